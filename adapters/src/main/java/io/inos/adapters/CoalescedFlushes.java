package io.inos.adapters;

import io.netty.channel.ChannelPipeline;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.impl.HttpServerConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets an HTTP server connection's flushes wait until its event loop has run the tasks already queued, so that a
 * socket sent several frames meanwhile writes them with one system call instead of one each.
 *
 * <p>Why: a bridge delivery reaches a WebSocket from a task on the socket's event loop, outside any read, so Vert.x
 * writes and flushes each frame at once; under a backlog (many messages queued for the loop) every frame then costs
 * a {@code write} system call per socket, which is most of a fan-out's CPU. {@link LoopFlushes} turns such a flush
 * into a place in the loop's batch, flushed once the tasks already queued have run (at most
 * {@value LoopFlushes#FLUSH_AFTER_FLUSHES} flushes of one connection wait). When the batch's connections got one
 * write each in its last round (one message to many subscribers, no backlog), the batch is flushed every
 * {@value LoopFlushes.LoopBatch#EARLY_FLUSH_AFTER} connections instead, so that the first subscribers do not wait for
 * the last one's write. The write-queue bounds still see the unflushed bytes, so slow consumers are still caught.
 *
 * <pre>{@code
 * vertx.createHttpServer(options).connectionHandler(CoalescedFlushes::install).requestHandler(router).listen();
 * }</pre>
 */
public final class CoalescedFlushes {

  private static final Logger LOG = LoggerFactory.getLogger(CoalescedFlushes.class);
  private static final String HANDLER_NAME = "inos-coalesced-flushes";
  private static volatile boolean warned;

  private CoalescedFlushes() {
  }

  /**
   * Installs the consolidation on {@code connection}'s channel, first in the pipeline so that it sees every read and
   * every flush, whatever the connection becomes (HTTP/1, WebSocket after the upgrade, HTTP/2).
   *
   * <p>Vert.x has no public hook into a connection's pipeline; this uses its internal server-connection interface and
   * leaves the connection as it is (with a single warning) when that is not what the server gives.
   */
  public static void install(HttpConnection connection) {
    if (!(connection instanceof HttpServerConnection internal)) {
      if (!warned) {
        warned = true;
        LOG.warn("flushes are not coalesced: this Vert.x gives HTTP connections of type {}",
          connection.getClass().getName());
      }
      return;
    }
    install(internal.channelHandlerContext().pipeline());
  }

  /** Installs the consolidation first in {@code pipeline}, once (a connection of another protocol's server). */
  public static void install(ChannelPipeline pipeline) {
    if (pipeline.get(HANDLER_NAME) == null) {
      pipeline.addFirst(HANDLER_NAME, new LoopFlushes());
    }
  }
}
