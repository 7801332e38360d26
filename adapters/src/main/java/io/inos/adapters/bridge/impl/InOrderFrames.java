package io.inos.adapters.bridge.impl;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.function.Function;

/**
 * A connection's client frames, handled one after the other: a frame waits while the one before it is still being
 * handled (a {@code register} waits for its consumer), so a page that registers and then sends never misses what
 * it registered for. The loop handles them without nesting callbacks (10,000 queued frames must not become 10,000
 * stack frames), and the connection stops reading while {@value #MAX_WAITING} wait, so a client cannot queue
 * without bound. Used on the connection's context only.
 */
public final class InOrderFrames {

  /** Frames that may wait before the connection stops reading. */
  public static final int MAX_WAITING = 256;

  private static final Logger LOG = LoggerFactory.getLogger(InOrderFrames.class);

  private final String door;
  private final ReadStream<?> connection;
  private final Function<Buffer, Future<Void>> handler;
  private final ArrayDeque<Buffer> waiting = new ArrayDeque<>();
  private boolean busy;
  private boolean readingPaused;

  /**
   * @param door names the door in logs
   * @param connection paused and resumed as frames pile up and drain
   * @param handler handles one frame; its future completes when the next may be handled
   */
  public InOrderFrames(String door, ReadStream<?> connection, Function<Buffer, Future<Void>> handler) {
    this.door = door;
    this.connection = connection;
    this.handler = handler;
  }

  /** Takes a frame from the client: handled now, or after those before it. */
  public void offer(Buffer frame) {
    waiting.add(frame);
    if (waiting.size() >= MAX_WAITING && !readingPaused) {
      readingPaused = true;
      connection.pause();
    }
    if (!busy) {
      handleWaiting();
    }
  }

  private void handleWaiting() {
    Buffer next;
    while ((next = waiting.poll()) != null) {
      Future<Void> handled = handle(next);
      if (!handled.isComplete()) {
        busy = true;
        handled.onComplete(ar -> {
          busy = false;
          handleWaiting();
        });
        return;
      }
    }
    if (readingPaused) {
      readingPaused = false;
      connection.resume();
    }
  }

  private Future<Void> handle(Buffer frame) {
    try {
      return handler.apply(frame);
    } catch (RuntimeException e) {
      // one broken frame must not stop the connection's others
      LOG.error("{}: a client frame failed", door, e);
      return Future.succeededFuture();
    }
  }
}
