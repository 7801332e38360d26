package io.inos.adapters;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.FastThreadLocal;

import java.util.ArrayList;

/**
 * A connection's share of its event loop's flush batch ({@link CoalescedFlushes}).
 *
 * <p>A flush during the connection's own read waits for the end of that read (its replies go out in one write). A
 * flush from outside (a delivery while the loop serves other connections) joins the loop's batch, which is flushed
 * when the loop has run the tasks and reads already queued, so that a connection written many times meanwhile costs
 * one system call. Unlike Netty's {@code FlushConsolidationHandler}, the batch is the loop's, not the connection's:
 * once {@value LoopBatch#EARLY_FLUSH_AFTER} connections wait in it and the batch's connections were each written
 * once in its previous round, they are flushed at once. One message to many subscribers then starts leaving
 * after a few writes instead of after the last subscriber's; many messages to the same connections (a backlog, a
 * burst) are still written with one call per connection.
 */
final class LoopFlushes extends ChannelDuplexHandler {

  /** A connection flushed this many times while waiting is flushed at once, as Netty's handler does. */
  static final int FLUSH_AFTER_FLUSHES = 256;

  private ChannelHandlerContext ctx;
  private boolean readInProgress;
  private int pendingFlushes;
  private boolean inBatch;
  /** the batch round in which this connection last joined or was flushed, to count repeat writes */
  private long round = -1;

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    readInProgress = true;
    ctx.fireChannelRead(msg);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    readInProgress = false;
    flushIfPending();
    ctx.fireChannelReadComplete();
  }

  @Override
  public void flush(ChannelHandlerContext ctx) {
    if (++pendingFlushes >= FLUSH_AFTER_FLUSHES) {
      flushNow();
    } else if (!readInProgress) {
      LoopBatch batch = LoopBatch.of(ctx.executor());
      if (round == batch.round()) {
        batch.repeated();
      }
      round = batch.round();
      if (!inBatch) {
        inBatch = true;
        batch.add(this);
      }
    }
  }

  /** Called by the loop's batch: flushes unless the connection's own read will. */
  void flushFromBatch() {
    inBatch = false;
    if (!readInProgress) {
      flushIfPending();
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (!ctx.channel().isWritable()) {
      // the bytes waiting are what made it unwritable: let them go rather than hold them for the batch
      flushIfPending();
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    flushIfPending();
    ctx.fireExceptionCaught(cause);
  }

  @Override
  public void disconnect(ChannelHandlerContext ctx, ChannelPromise promise) {
    flushIfPending();
    ctx.disconnect(promise);
  }

  @Override
  public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
    flushIfPending();
    ctx.close(promise);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    flushIfPending();
  }

  private void flushIfPending() {
    if (pendingFlushes > 0) {
      flushNow();
    }
  }

  private void flushNow() {
    pendingFlushes = 0;
    ctx.flush();
  }

  /**
   * The connections of one event loop waiting to be flushed. Only that loop's thread touches it.
   */
  static final class LoopBatch {

    /** Connections that may wait together before an early flush, when early flushes are on. */
    static final int EARLY_FLUSH_AFTER = 32;
    /** Early flushes stop once this share of a round's flushes (averaged) were repeats. */
    private static final double EARLY_FLUSH_BELOW_REPEAT_SHARE = 0.1;
    /** Weight of the last round in the average. */
    private static final double SMOOTHING = 1.0 / 8;

    private static final FastThreadLocal<LoopBatch> BATCHES = new FastThreadLocal<>() {
      @Override
      protected LoopBatch initialValue() {
        return new LoopBatch();
      }
    };

    private ArrayList<LoopFlushes> waiting = new ArrayList<>();
    private ArrayList<LoopFlushes> spare = new ArrayList<>();
    private final Runnable endOfRound = this::endRound;
    private boolean scheduled;
    private long round;
    private int joined;
    private int repeats;
    private double repeatShare;
    private boolean earlyFlushes = true;

    static LoopBatch of(EventExecutor loop) {
      LoopBatch batch = BATCHES.get();
      if (!batch.scheduled) {
        batch.scheduled = true;
        loop.execute(batch.endOfRound);
      }
      return batch;
    }

    long round() {
      return round;
    }

    /** A connection already written this round was written again: coalescing pays. */
    void repeated() {
      repeats++;
    }

    void add(LoopFlushes connection) {
      joined++;
      waiting.add(connection);
      if (earlyFlushes && waiting.size() >= EARLY_FLUSH_AFTER) {
        flushWaiting();
      }
    }

    private void endRound() {
      scheduled = false;
      flushWaiting();
      if (joined > 0) {
        // early flushes only while connections get about one write a round: when they get several (a backlog, a
        // burst, a saturated fan-out reading many messages at once), waiting for the round's end writes each
        // connection once. Averaged over rounds, so that a loop near saturation, whose rounds alternate between
        // one message and several, does not switch every round.
        repeatShare += ((double) repeats / joined - repeatShare) * SMOOTHING;
        earlyFlushes = repeatShare < EARLY_FLUSH_BELOW_REPEAT_SHARE;
      }
      joined = 0;
      repeats = 0;
      round++;
    }

    private void flushWaiting() {
      ArrayList<LoopFlushes> batch = waiting;
      waiting = spare;
      spare = batch;
      for (int i = 0; i < batch.size(); i++) {
        batch.get(i).flushFromBatch();
      }
      batch.clear();
    }
  }
}
