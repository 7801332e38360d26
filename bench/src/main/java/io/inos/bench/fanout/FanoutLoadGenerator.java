package io.inos.bench.fanout;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The fan-out load generator, a process of its own: N WebSocket subscribers speaking event-bus bridge frames, all
 * registered at one address, and ONE publisher that publishes to it at a set rate; every message should reach every
 * subscriber.
 *
 * <ol>
 *   <li>Opens the subscribers and registers them, then publishes probe messages (20 a second) until every
 *   subscriber has received one: everyone is really registered before anything is measured.</li>
 *   <li>A warm-up step (its results are kept but judged by nobody), so the JIT has compiled both sides.</li>
 *   <li>For each rate of the sweep: publishes {@code rate × duration} messages by the schedule of {@link Pacer},
 *   then waits for stragglers (until all arrived, or nothing came for {@code quietMs}, or {@code drainS} passed).
 *   Prints progress every second. A step is <em>saturated</em> when a delivery is missing, or fewer than 95% of
 *   the offered deliveries per second arrived, or p99 latency passed 1 s (a backlog); the sweep ends at a saturated
 *   step whose deliveries per second no longer grew by 5%, or when over 20% of them were missing.</li>
 *   <li>Optionally one more step at {@code --check-rate}.</li>
 * </ol>
 * Publisher and subscribers share this JVM, so latency is {@link System#nanoTime()} at receipt minus the time the
 * message was due, on one clock. Writes its results as JSON ({@code --out}) and ends by itself.
 */
public final class FanoutLoadGenerator {

  private static final double PROBE_RATE = 20;
  private static final int PROBE_MAX_S = 30;
  private static final double SATURATED_RATIO = 0.95;
  private static final double SATURATED_P99_MS = 1_000;

  private final FanoutOptions options;
  private final Vertx vertx;
  private final DeliveryTally tally = new DeliveryTally();
  private final SubscriberPool pool;
  private final FeedPublisher publisher;
  private final Pacer pacer;
  private long nextSeq;

  private FanoutLoadGenerator(FanoutOptions options) {
    this.options = options;
    this.vertx = Vertx.vertx();
    this.pool = new SubscriberPool(vertx, options.host(), options.subscriberPorts(), options.path(),
      options.subscribers());
    this.publisher = options.publisher().equals("http")
      ? new HttpEventsPublisher(vertx, options.host(), options.port(), options.messages())
      : new WsFeedPublisher(vertx, options.host(), options.port(), options.path(), options.publishAddress(),
      options.messages());
    Context publisherContext = vertx.getOrCreateContext();
    this.pacer = new Pacer(vertx, publisherContext, (seq, k, dueNs) -> publisher.publish(seq, dueNs));
  }

  public static void main(String[] args) {
    FanoutOptions options;
    try {
      options = FanoutOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("fanout: " + e.getMessage());
      System.exit(2);
      return;
    }
    FanoutLoadGenerator generator = new FanoutLoadGenerator(options);
    int exit = 0;
    try {
      generator.run();
    } catch (Exception e) {
      System.err.println("fanout: " + options.label() + ": " + e.getMessage());
      exit = 1;
    } finally {
      generator.close();
    }
    System.exit(exit);
  }

  private void run() throws Exception {
    JsonObject report = new JsonObject()
      .put("generator", "FanoutLoadGenerator")
      .put("started", Instant.now().toString())
      .put("options", options.toJson())
      .put("loadBefore", loadAverage());
    JsonArray steps = new JsonArray();
    report.put("steps", steps);
    try {
      long t0 = System.nanoTime();
      pool.open(i -> new SubscriberPool.Registration(options.address(), null), tally, options.connectConcurrency())
        .await(2, TimeUnit.MINUTES);
      long connectMs = (System.nanoTime() - t0) / 1_000_000;
      publisher.start().await(30, TimeUnit.SECONDS);
      report.put("publisherRoute", publisher.describe());
      log("%d subscribers connected and registered at %s in %,d ms", options.subscribers(), options.address(),
        connectMs);
      long probeMs = probe();
      report.put("connectMs", connectMs).put("probeMs", probeMs);
      log("every subscriber receives (probe took %,d ms); publisher: %s", probeMs, publisher.describe());

      if (options.warmupS() > 0) {
        steps.add(step("warmup", options.warmupRate(), options.warmupS()));
      }
      double best = 0;
      for (int rate : options.rates()) {
        JsonObject step = step("sweep", rate, options.durationS());
        steps.add(step);
        double perS = step.getDouble("deliveredPerS");
        boolean saturated = step.getBoolean("saturated");
        boolean deep = step.getDouble("lossPct") > 20;
        if (options.stopWhenSaturated() && saturated && (perS <= best * 1.05 || deep)) {
          log("saturated at %d msg/s (%s deliveries/s, best so far %s/s): the sweep ends here", rate,
            AsciiChart.human(perS), AsciiChart.human(Math.max(best, perS)));
          break;
        }
        best = Math.max(best, perS);
      }
      if (options.checkRate() > 0) {
        steps.add(step("check", options.checkRate(), options.checkDurationS()));
      }
    } catch (Exception e) {
      report.put("error", e.getMessage());
      throw e;
    } finally {
      report.put("refusals", pool.refusals())
        .put("unexpectedCloses", pool.unexpectedCloses())
        .put("staleDeliveries", tally.stale())
        .put("otherFrames", tally.otherFrames())
        .put("publishErrors", publisher.errors())
        .put("firstPublishError", publisher.firstError())
        .put("loadAfter", loadAverage())
        .put("finished", Instant.now().toString());
      write(report);
    }
    System.out.println();
    System.out.println(chart(steps));
  }

  /** Publishes probe messages until every subscriber got one; @return how long that took */
  private long probe() throws Exception {
    int count = (int) (PROBE_RATE * PROBE_MAX_S);
    FeedStep step = new FeedStep(nextSeq, count, options.subscribers());
    nextSeq += count;
    tally.begin(step);
    long t0 = System.nanoTime();
    var done = pacer.run(step.firstSeq, count, PROBE_RATE);
    while (step.reached.get() < options.subscribers() && !done.isComplete()) {
      Thread.sleep(50);
      if (pool.openConnections() < options.subscribers()) {
        break;
      }
    }
    pacer.cancel();
    done.await(5, TimeUnit.SECONDS);
    int reached = step.reached.get();
    if (reached < options.subscribers()) {
      throw new IllegalStateException(String.format(Locale.ROOT, "only %d of %d subscribers received a probe message"
          + " (open: %d, refusals: %d, publish errors: %d, first: %s): check the address and the server's rules",
        reached, options.subscribers(), pool.openConnections(), pool.refusals(), publisher.errors(),
        publisher.firstError()));
    }
    long probeMs = (System.nanoTime() - t0) / 1_000_000;
    settle();
    return probeMs;
  }

  /** One step: publish by the schedule, print progress each second, wait for stragglers, @return its results */
  private JsonObject step(String kind, double rate, int durationS) throws Exception {
    int count = (int) Math.round(rate * durationS);
    int n = options.subscribers();
    FeedStep step = new FeedStep(nextSeq, count, n);
    nextSeq += count;
    long errorsBefore = publisher.errors();
    long serverCpu0 = ProcessCpu.ofPidNs(options.serverPid(), options.clkTck());
    long ownCpu0 = ProcessCpu.ownNs();
    Histogram total = new Histogram(3);
    tally.begin(step);
    log("%s step: %s msg/s for %d s to %d subscribers (%s deliveries/s offered)", kind, fmtRate(rate), durationS, n,
      AsciiChart.human(rate * n));
    publisher.takeRoundTrips(); // forget the round trips of earlier steps
    var done = pacer.run(step.firstSeq, count, rate);
    long lastPrint = System.nanoTime();
    long deliveredAtPrint = 0;
    long publishEnd = 0;
    long drainDeadline = Long.MAX_VALUE;
    long expected = (long) count * n;
    while (true) {
      Thread.sleep(50);
      long now = System.nanoTime();
      if (publishEnd == 0 && done.isComplete()) {
        publishEnd = now;
        drainDeadline = now + TimeUnit.SECONDS.toNanos(options.drainS());
      }
      if (now - lastPrint >= 1_000_000_000L) {
        long delivered = step.delivered.sum();
        Histogram interval = step.drainInterval(total);
        double seconds = (now - lastPrint) / 1e9;
        log("  %-5s t=%4.1fs published %,7d  delivered %9s/s  p99 %8.2f ms  max %8.2f ms%s", kind,
          (now - pacer.startNs()) / 1e9, pacer.published(), AsciiChart.human((delivered - deliveredAtPrint) / seconds),
          interval.getTotalCount() == 0 ? 0 : interval.getValueAtPercentile(99) / 1e3,
          interval.getTotalCount() == 0 ? 0 : interval.getMaxValue() / 1e3, publishEnd == 0 ? "" : "  (draining)");
        lastPrint = now;
        deliveredAtPrint = delivered;
      }
      if (publishEnd != 0) {
        long delivered = step.delivered.sum();
        long last = step.lastReceiptNs.get();
        boolean quiet = now - Math.max(last, publishEnd) > TimeUnit.MILLISECONDS.toNanos(options.quietMs());
        if (delivered >= expected || quiet || now > drainDeadline) {
          break;
        }
      }
    }
    step.drainInterval(total);
    long serverCpu1 = ProcessCpu.ofPidNs(options.serverPid(), options.clkTck());
    long ownCpu1 = ProcessCpu.ownNs();
    tally.begin(null);
    JsonObject result = results(kind, rate, durationS, step, total, publisher.errors() - errorsBefore,
      serverCpu0, serverCpu1, ownCpu0, ownCpu1);
    log("  => %s", summary(result));
    settle();
    return result;
  }

  private JsonObject results(String kind, double rate, int durationS, FeedStep step, Histogram latency,
                             long publishErrors, long serverCpu0, long serverCpu1, long ownCpu0, long ownCpu1) {
    long expected = (long) step.count * step.subscribers;
    long delivered = step.delivered.sum();
    long missing = expected - delivered;
    long startNs = pacer.startNs();
    long lastNs = step.lastReceiptNs.get();
    double spanS = Math.max(durationS, (lastNs - startNs) / 1e9);
    double perS = delivered / spanS;
    double offered = rate * step.subscribers;
    double p99Ms = latency.getTotalCount() == 0 ? 0 : latency.getValueAtPercentile(99) / 1e3;
    boolean saturated = missing > 0 || perS < SATURATED_RATIO * offered || p99Ms > SATURATED_P99_MS;
    double wallS = (System.nanoTime() - startNs) / 1e9;
    JsonObject lat = new JsonObject();
    if (latency.getTotalCount() > 0) {
      lat.put("p50", latency.getValueAtPercentile(50) / 1e3)
        .put("p90", latency.getValueAtPercentile(90) / 1e3)
        .put("p99", p99Ms)
        .put("p999", latency.getValueAtPercentile(99.9) / 1e3)
        .put("max", latency.getMaxValue() / 1e3)
        .put("mean", latency.getMean() / 1e3);
    }
    JsonObject publishRoundTrips = null;
    Histogram trips = publisher.takeRoundTrips();
    if (trips != null && trips.getTotalCount() > 0) {
      publishRoundTrips = new JsonObject().put("p50", trips.getValueAtPercentile(50) / 1e3)
        .put("p99", trips.getValueAtPercentile(99) / 1e3).put("max", trips.getMaxValue() / 1e3);
    }
    return new JsonObject()
      .put("kind", kind)
      .put("rate", rate)
      .put("durationS", durationS)
      .put("published", step.count)
      .put("publishErrors", publishErrors)
      .put("subscribers", step.subscribers)
      .put("offeredPerS", offered)
      .put("expected", expected)
      .put("delivered", delivered)
      .put("duplicates", step.duplicates.sum())
      .put("frameBytes", delivered == 0 ? 0 : step.bytes.sum() / delivered)
      .put("missing", missing)
      .put("lossPct", expected == 0 ? 0 : 100.0 * missing / expected)
      .put("incompleteMessages", step.incompleteMessages())
      .put("spanS", spanS)
      .put("deliveredPerS", perS)
      .put("deliveredRatio", offered == 0 ? 0 : perS / offered)
      .put("latencyMs", lat)
      .put("publishRoundTripMs", publishRoundTrips)
      .put("wallS", wallS)
      .put("serverCpuS", serverCpu0 < 0 || serverCpu1 < 0 ? null : (serverCpu1 - serverCpu0) / 1e9)
      .put("serverCpuPct", cpuPct(serverCpu0, serverCpu1, wallS))
      .put("generatorCpuPct", cpuPct(ownCpu0, ownCpu1, wallS))
      .put("saturated", saturated);
  }

  /** Waits until deliveries of finished steps stop arriving (at most 10 s), so the next step starts clean. */
  private void settle() throws InterruptedException {
    tally.begin(null);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    long stale = tally.stale();
    long quietSince = System.nanoTime();
    while (System.nanoTime() < deadline) {
      Thread.sleep(100);
      long now = tally.stale();
      if (now != stale) {
        stale = now;
        quietSince = System.nanoTime();
      } else if (System.nanoTime() - quietSince > TimeUnit.MILLISECONDS.toNanos(500)) {
        return;
      }
    }
    log("  deliveries of earlier steps were still arriving after 10 s");
  }

  private static Double cpuPct(long before, long after, double wallS) {
    if (before < 0 || after < 0 || wallS <= 0) {
      return null;
    }
    return 100.0 * (after - before) / 1e9 / wallS;
  }

  private static String summary(JsonObject r) {
    JsonObject lat = r.getJsonObject("latencyMs");
    return String.format(Locale.ROOT, "%s msg/s: delivered %s/s of %s/s offered (%.1f%%), loss %.3f%% (%,d missing, "
        + "%,d duplicates), p50 %.2f ms p99 %.2f ms max %.1f ms, server CPU %s, generator CPU %s%s",
      fmtRate(r.getDouble("rate")), AsciiChart.human(r.getDouble("deliveredPerS")),
      AsciiChart.human(r.getDouble("offeredPerS")), 100 * r.getDouble("deliveredRatio"), r.getDouble("lossPct"),
      r.getLong("missing"), r.getLong("duplicates"), lat.getDouble("p50", 0.0), lat.getDouble("p99", 0.0),
      lat.getDouble("max", 0.0), pct(r.getDouble("serverCpuPct")), pct(r.getDouble("generatorCpuPct")),
      r.getBoolean("saturated") ? "  SATURATED" : "");
  }

  private String chart(JsonArray steps) {
    List<AsciiChart.Bar> bars = new ArrayList<>();
    for (int i = 0; i < steps.size(); i++) {
      JsonObject s = steps.getJsonObject(i);
      bars.add(new AsciiChart.Bar(s.getString("kind") + " " + fmtRate(s.getDouble("rate")) + " msg/s",
        s.getDouble("deliveredPerS"), String.format(Locale.ROOT, "p99 %.1f ms, loss %.3f%%%s",
        s.getJsonObject("latencyMs").getDouble("p99", 0.0), s.getDouble("lossPct"),
        s.getBoolean("saturated") ? ", saturated" : "")));
    }
    return options.label() + ": deliveries per second, " + options.subscribers() + " subscribers\n"
      + AsciiChart.bars(bars, 50, "/s");
  }

  private static String pct(Double v) {
    return v == null ? "n/a" : String.format(Locale.ROOT, "%.0f%%", v);
  }

  static String fmtRate(double rate) {
    return rate == Math.rint(rate) ? Long.toString((long) rate) : String.format(Locale.ROOT, "%.1f", rate);
  }

  private void write(JsonObject report) throws IOException {
    if (options.out() == null) {
      return;
    }
    Path out = Path.of(options.out());
    if (out.getParent() != null) {
      Files.createDirectories(out.getParent());
    }
    Files.writeString(out, report.encodePrettily());
    log("results written to %s", out);
  }

  private static String loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return parts[0] + " " + parts[1] + " " + parts[2];
    } catch (IOException | RuntimeException e) {
      return "n/a";
    }
  }

  private void log(String format, Object... args) {
    System.out.println("[" + options.label() + "] " + String.format(Locale.ROOT, format, args));
    System.out.flush();
  }

  private void close() {
    try {
      publisher.close().await(5, TimeUnit.SECONDS);
      pool.close().await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      System.err.println("fanout: closing: " + e.getMessage());
    }
    try {
      vertx.close().await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      System.err.println("fanout: closing Vert.x: " + e.getMessage());
    }
  }
}
