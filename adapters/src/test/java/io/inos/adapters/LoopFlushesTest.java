package io.inos.adapters;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.local.LocalServerChannel;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link LoopFlushes} on Netty's in-VM transport, one event loop: which flushes reach the socket at once, which wait
 * for the end of the loop's round.
 *
 * <p>Each task given to the loop is one round: the round's end is a task queued behind it. A counter between the
 * handler and the socket counts the flushes let through. A fresh loop (a fresh thread, hence a fresh batch) per case.
 */
class LoopFlushesTest {

  private static final int EARLY = LoopFlushes.LoopBatch.EARLY_FLUSH_AFTER;

  private EventLoopGroup loop;
  private Channel server;

  @BeforeEach
  void start() throws InterruptedException {
    loop = new MultiThreadIoEventLoopGroup(1, LocalIoHandler.newFactory());
    server = new ServerBootstrap().group(loop).channel(LocalServerChannel.class)
      .childHandler(new Discard())
      .bind(new LocalAddress(LoopFlushesTest.class)).sync().channel();
  }

  @AfterEach
  void stop() throws InterruptedException {
    server.close().sync();
    loop.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS).sync();
  }

  @Test
  void oneMessageToManyConnectionsLeavesEveryFewConnectionsNotAfterTheLast() throws Exception {
    List<Connection> subscribers = connect(EARLY + 8);

    int flushedDuringTheRound = onLoop(() -> {
      writeToAll(subscribers, 1);
      return flushed(subscribers);
    });
    assertEquals(EARLY, flushedDuringTheRound, "the first batch left before the loop's round ended");
    assertEquals(EARLY + 8, onLoop(() -> flushed(subscribers)), "the rest left at the round's end");
  }

  @Test
  void connectionsWrittenSeveralTimesARoundWaitForItsEndOnceTheLoopHasSeenIt() throws Exception {
    List<Connection> subscribers = connect(64);
    backlog(subscribers, 4);
    onLoop(() -> resetCounts(subscribers));

    int flushedDuringTheRound = onLoop(() -> {
      writeToAll(subscribers, 3);
      return flushed(subscribers);
    });
    assertEquals(0, flushedDuringTheRound, "nothing left before the round's end");
    List<Integer> flushesEach = onLoop(() -> subscribers.stream().map(c -> c.flushes.count).toList());
    assertEquals(Collections.nCopies(subscribers.size(), 1), flushesEach,
      "each connection's three messages left with one flush, at the round's end");
  }

  @Test
  void onceTheBacklogIsGoneBatchesLeaveEarlyAgain() throws Exception {
    List<Connection> subscribers = connect(EARLY);
    backlog(subscribers, 4);
    int rounds = 0;
    int flushedDuringTheRound = 0;
    // one message a round: the loop flushes early again within a few dozen rounds (the average of the rounds decays)
    while (flushedDuringTheRound < subscribers.size() && rounds++ < 100) {
      onLoop(() -> resetCounts(subscribers));
      flushedDuringTheRound = onLoop(() -> {
        writeToAll(subscribers, 1);
        return flushed(subscribers);
      });
    }
    assertEquals(subscribers.size(), flushedDuringTheRound, "after " + rounds + " rounds of one message each");
  }

  /** Rounds of three messages to each connection: coalescing pays. */
  private void backlog(List<Connection> connections, int rounds) throws Exception {
    for (int round = 0; round < rounds; round++) {
      onLoop(() -> writeToAll(connections, 3));
    }
  }

  @Test
  void aFlushDuringTheConnectionsOwnReadWaitsForTheReadsEnd() throws Exception {
    Connection connection = connect(1).get(0);
    int flushedDuringTheRead = onLoop(() -> {
      connection.channel.pipeline().fireChannelRead(Unpooled.wrappedBuffer(new byte[] {7}));
      return connection.flushes.count;
    });
    assertEquals(0, flushedDuringTheRead, "the reply waited while the read went on");
    assertEquals(1, onLoop(() -> {
      connection.channel.pipeline().fireChannelReadComplete();
      return connection.flushes.count;
    }));
  }

  @Test
  void closingFlushesWhatWaits() throws Exception {
    Connection connection = connect(1).get(0);
    backlog(List.of(connection), 4);
    int flushedAtClose = onLoop(() -> {
      connection.channel.write(Unpooled.wrappedBuffer(new byte[] {1}));
      connection.channel.flush();
      int before = connection.flushes.count;
      connection.channel.close();
      return connection.flushes.count - before;
    });
    assertEquals(1, flushedAtClose);
  }

  /** A client connection with the handler, a flush counter between it and the socket, and a reply to each read. */
  private record Connection(Channel channel, FlushCounter flushes) {
  }

  private List<Connection> connect(int n) throws InterruptedException {
    List<Connection> list = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      FlushCounter counter = new FlushCounter();
      Channel channel = new Bootstrap().group(loop).channel(LocalChannel.class)
        .handler(new ChannelInitializer<LocalChannel>() {
          @Override
          protected void initChannel(LocalChannel ch) {
            ch.pipeline().addLast(counter, new LoopFlushes(), new ChannelInboundHandlerAdapter() {
              @Override
              public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ctx.writeAndFlush(msg); // a reply, as a PUBACK to a PUBLISH
              }
            });
          }
        })
        .connect(server.localAddress()).sync().channel();
      list.add(new Connection(channel, counter));
    }
    return list;
  }

  private static void writeToAll(List<Connection> connections, int messages) {
    for (int m = 0; m < messages; m++) {
      connections.forEach(c -> c.channel.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {1})));
    }
  }

  private static int flushed(List<Connection> connections) {
    return (int) connections.stream().filter(c -> c.flushes.count > 0).count();
  }

  private static Void resetCounts(List<Connection> connections) {
    connections.forEach(c -> c.flushes.count = 0);
    return null;
  }

  /** Runs {@code body} as one task of the loop, and waits for it. */
  private <T> T onLoop(Callable<T> body) throws Exception {
    return loop.next().submit(body).get();
  }

  private void onLoop(Runnable body) throws Exception {
    loop.next().submit(body).get();
  }

  /** The server's side of every connection: reads and forgets. */
  @ChannelHandler.Sharable
  private static final class Discard extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ReferenceCountUtil.release(msg);
    }
  }

  /** Counts the flushes that reach the socket. Touched on the loop only. */
  private static final class FlushCounter extends ChannelOutboundHandlerAdapter {
    int count;

    @Override
    public void flush(ChannelHandlerContext ctx) {
      count++;
      ctx.flush();
    }
  }
}
