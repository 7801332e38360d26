package io.inos.bench.mqtt;

import io.inos.bench.fanout.Pacer;
import io.inos.bench.fanout.AsciiChart;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The MQTT load generator, a process of its own, for any MQTT 3.1.1 server (INOS, Mosquitto): publishers and
 * subscribers of one workload ({@link MqttBenchOptions}), QoS 0 or 1, a sweep of publish rates until saturation.
 *
 * <ol>
 *   <li>Connects the subscribers and subscribes them (every SUBACK granted), connects the publishers, then publishes
 *   probe messages until every subscriber got one and every publisher's first message arrived everywhere.</li>
 *   <li>A warm-up step (kept, judged by nobody).</li>
 *   <li>Each rate of the sweep (messages published per second, all publishers together): {@code rate × duration}
 *   messages by the schedule of {@link Pacer}, then a wait for stragglers. Progress is printed every second.
 *   A step is <em>saturated</em> when a delivery is missing, fewer than 95% of the offered deliveries per second
 *   arrived, or p99 passed 1 s; the sweep ends at a saturated step whose deliveries per second did not grow by 5%,
 *   or that lost over 20%.</li>
 *   <li>Optionally one more step at {@code --check-rate} (the same offered load on every server).</li>
 * </ol>
 * Every message carries its sequence number and due time; each subscriber counts every id it receives (new,
 * duplicate, or of another step), so loss and duplicates are exact. Writes JSON ({@code --out}) and ends by itself.
 */
public final class MqttLoadGenerator {

  private static final double SATURATED_RATIO = 0.95;
  private static final double SATURATED_P99_MS = 1_000;
  /** Held so that the level sticks: vertx-mqtt's client logs every connection at INFO. */
  static final java.util.logging.Logger MQTT_CLIENT_LOG = quiet();

  private final MqttBenchOptions options;
  private final Vertx vertx = Vertx.vertx();
  private final MqttClients clients;
  private final Pacer pacer;
  private final LongAdder stale = new LongAdder();
  private final LongAdder unreadable = new LongAdder();
  private volatile MqttStep current;
  private long nextSeq;

  private MqttLoadGenerator(MqttBenchOptions options) {
    this.options = options;
    String pid = Long.toString(ProcessHandle.current().pid());
    this.clients = new MqttClients(vertx, options.host(), options.port(), options.label() + "-" + pid);
    this.pacer = new Pacer(vertx, clients.publisherContext, options.httpPort() > 0
      ? (seq, k, dueNs) -> clients.publishHttp(MqttStep.payload(seq, dueNs, options.payloadBytes()))
      : (seq, k, dueNs) -> clients.publish(options.publisherOf(seq),
      MqttStep.payload(seq, dueNs, options.payloadBytes())));
  }

  public static void main(String[] args) {
    MqttBenchOptions options;
    try {
      options = MqttBenchOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("mqtt-bench: " + e.getMessage());
      System.exit(2);
      return;
    }
    MqttLoadGenerator generator = new MqttLoadGenerator(options);
    int exit = 0;
    try {
      generator.run();
    } catch (Exception e) {
      System.err.println("mqtt-bench: " + options.label() + ": " + e);
      exit = 1;
    } finally {
      generator.close();
    }
    System.exit(exit);
  }

  private void onMessage(int subscriber, Buffer payload, long nowNs) {
    long seq = MqttStep.field(payload, "seq");
    long sentNs = MqttStep.field(payload, "sent_ns");
    if (seq < 0 || sentNs == Long.MIN_VALUE) {
      unreadable.increment();
      return;
    }
    MqttStep step = current;
    if (step == null || !step.covers(seq)) {
      stale.increment();
      return;
    }
    step.record(subscriber, seq, sentNs, nowNs);
  }

  private void run() throws Exception {
    JsonObject report = new JsonObject().put("generator", "MqttLoadGenerator").put("started", Instant.now().toString())
      .put("options", options.toJson()).put("loadBefore", loadAverage())
      .put("generatorJvm", String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
    JsonArray steps = new JsonArray();
    report.put("steps", steps);
    try {
      long t0 = System.nanoTime();
      clients.openSubscribers(options.subscribers(), options::topicOfSubscriber, options.qos(), this::onMessage, 100)
        .await(3, TimeUnit.MINUTES);
      (options.httpPort() > 0 ? clients.openHttpPublisher(options.httpPort(), options.eventType(), 32)
        : clients.openPublishers(options.publishers(), options::topicOfPublisher, options.qos(), options.maxInflight()))
        .await(1, TimeUnit.MINUTES);
      long connectMs = (System.nanoTime() - t0) / 1_000_000;
      log("%s, QoS %d: %d publishers and %d subscribers connected and subscribed in %,d ms", options.workload(),
        options.qos(), options.publishers(), options.subscribers(), connectMs);
      long probeMs = probe();
      report.put("connectMs", connectMs).put("probeMs", probeMs);
      log("every subscriber receives, every publisher reaches them (probe took %,d ms)", probeMs);
      if (options.warmupS() > 0) {
        steps.add(step("warmup", options.warmupRate(), options.warmupS()));
      }
      double best = 0;
      for (int rate : options.rates()) {
        JsonObject step = step("sweep", rate, options.durationS());
        steps.add(step);
        double perS = step.getDouble("deliveredPerS");
        if (options.stopWhenSaturated() && step.getBoolean("saturated")
          && (perS <= best * 1.05 || step.getDouble("lossPct") > 20)) {
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
      report.put("error", e.toString());
      throw e;
    } finally {
      report.put("unexpectedCloses", clients.unexpectedCloses()).put("staleDeliveries", stale.sum())
        .put("unreadableMessages", unreadable.sum()).put("publishErrors", clients.publishErrors())
        .put("firstPublishError", clients.firstPublishError()).put("loadAfter", loadAverage())
        .put("finished", Instant.now().toString());
      write(report);
    }
    System.out.println();
    System.out.println(chart(steps));
  }

  /** Publishes probe messages (one per publisher a round) until every subscriber and publisher is seen to work */
  private long probe() throws Exception {
    double rate = Math.max(20, options.publishers() * 2.0);
    int count = (int) (rate * 30);
    MqttStep step = new MqttStep(nextSeq, count, options.receiversPerMessage(), options.subscribers());
    nextSeq += count;
    current = step;
    long t0 = System.nanoTime();
    var done = pacer.run(step.firstSeq, count, rate);
    int needed = options.publishers();
    while (!done.isComplete()) {
      Thread.sleep(50);
      if (step.reached.get() >= options.subscribers() && step.completeAmongFirst(needed) >= needed) {
        break;
      }
    }
    pacer.cancel();
    done.await(5, TimeUnit.SECONDS);
    if (step.reached.get() < options.subscribers() || step.completeAmongFirst(needed) < needed) {
      throw new IllegalStateException(String.format(Locale.ROOT, "probe: %d of %d subscribers received, %d of the "
          + "first %d messages arrived everywhere (publish errors %d, first: %s, unexpected closes %d, unreadable %d)",
        step.reached.get(), options.subscribers(), step.completeAmongFirst(needed), needed, clients.publishErrors(),
        clients.firstPublishError(), clients.unexpectedCloses(), unreadable.sum()));
    }
    long probeMs = (System.nanoTime() - t0) / 1_000_000;
    settle();
    return probeMs;
  }

  private JsonObject step(String kind, double rate, int durationS) throws Exception {
    int count = (int) Math.round(rate * durationS);
    MqttStep step = new MqttStep(nextSeq, count, options.receiversPerMessage(), options.subscribers());
    nextSeq += count;
    long errorsBefore = clients.publishErrors();
    long serverCpu0 = cpuOfPid(options.serverPid(), options.clkTck());
    long ownCpu0 = ownCpu();
    Histogram total = new Histogram(3);
    current = step;
    double offered = rate * options.receiversPerMessage();
    log("%s step: %s msg/s for %d s (%s deliveries/s offered)", kind, fmt(rate), durationS, AsciiChart.human(offered));
    var done = pacer.run(step.firstSeq, count, rate);
    long lastPrint = System.nanoTime();
    long deliveredAtPrint = 0;
    long publishEnd = 0;
    long drainDeadline = Long.MAX_VALUE;
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
        log("  %-6s t=%4.1fs published %,8d  delivered %9s/s  p99 %8.2f ms  max %8.2f ms%s", kind,
          (now - pacer.startNs()) / 1e9, pacer.published(),
          AsciiChart.human((delivered - deliveredAtPrint) / ((now - lastPrint) / 1e9)),
          interval.getTotalCount() == 0 ? 0 : interval.getValueAtPercentile(99) / 1e3,
          interval.getTotalCount() == 0 ? 0 : interval.getMaxValue() / 1e3, publishEnd == 0 ? "" : "  (draining)");
        lastPrint = now;
        deliveredAtPrint = delivered;
      }
      if (publishEnd != 0) {
        boolean quiet = now - Math.max(step.lastReceiptNs.get(), publishEnd)
          > TimeUnit.MILLISECONDS.toNanos(options.quietMs());
        if (step.delivered.sum() >= step.expected() || quiet || now > drainDeadline) {
          break;
        }
      }
    }
    step.drainInterval(total);
    long serverCpu1 = cpuOfPid(options.serverPid(), options.clkTck());
    long ownCpu1 = ownCpu();
    current = null;
    long delivered = step.delivered.sum();
    long missing = step.expected() - delivered;
    long startNs = pacer.startNs();
    double spanS = Math.max(durationS, (step.lastReceiptNs.get() - startNs) / 1e9);
    double perS = delivered / spanS;
    double p99 = total.getTotalCount() == 0 ? 0 : total.getValueAtPercentile(99) / 1e3;
    double wallS = (System.nanoTime() - startNs) / 1e9;
    JsonObject lat = new JsonObject();
    if (total.getTotalCount() > 0) {
      lat.put("p50", total.getValueAtPercentile(50) / 1e3).put("p90", total.getValueAtPercentile(90) / 1e3)
        .put("p99", p99).put("p999", total.getValueAtPercentile(99.9) / 1e3).put("max", total.getMaxValue() / 1e3)
        .put("mean", total.getMean() / 1e3);
    }
    JsonObject result = new JsonObject().put("kind", kind).put("rate", rate).put("durationS", durationS)
      .put("published", count).put("publishErrors", clients.publishErrors() - errorsBefore)
      .put("offeredPerS", offered).put("expected", step.expected()).put("delivered", delivered)
      .put("duplicates", step.duplicates.sum()).put("missing", missing)
      .put("lossPct", step.expected() == 0 ? 0 : 100.0 * missing / step.expected())
      .put("incompleteMessages", step.incompleteMessages()).put("spanS", spanS).put("deliveredPerS", perS)
      .put("deliveredRatio", offered == 0 ? 0 : perS / offered).put("latencyMs", lat).put("wallS", wallS)
      .put("serverCpuPct", pct(serverCpu0, serverCpu1, wallS)).put("generatorCpuPct", pct(ownCpu0, ownCpu1, wallS))
      .put("saturated", missing > 0 || perS < SATURATED_RATIO * offered || p99 > SATURATED_P99_MS);
    log("  => %s", summary(result));
    settle();
    return result;
  }

  /** Waits until deliveries of finished steps stop arriving (at most 10 s), so the next step starts clean. */
  private void settle() throws InterruptedException {
    current = null;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    long seen = stale.sum();
    long quietSince = System.nanoTime();
    while (System.nanoTime() < deadline) {
      Thread.sleep(100);
      long now = stale.sum();
      if (now != seen) {
        seen = now;
        quietSince = System.nanoTime();
      } else if (System.nanoTime() - quietSince > TimeUnit.MILLISECONDS.toNanos(500)) {
        return;
      }
    }
    log("  deliveries of earlier steps were still arriving after 10 s");
  }

  private static String summary(JsonObject r) {
    JsonObject lat = r.getJsonObject("latencyMs");
    return String.format(Locale.ROOT, "%s msg/s: delivered %s/s of %s/s offered (%.1f%%), loss %.3f%% (%,d missing, "
        + "%,d duplicates, %,d publish errors), p50 %.2f ms p99 %.2f ms max %.1f ms, server CPU %s, generator CPU %s%s",
      fmt(r.getDouble("rate")), AsciiChart.human(r.getDouble("deliveredPerS")),
      AsciiChart.human(r.getDouble("offeredPerS")), 100 * r.getDouble("deliveredRatio"), r.getDouble("lossPct"),
      r.getLong("missing"), r.getLong("duplicates"), r.getLong("publishErrors"), lat.getDouble("p50", 0.0),
      lat.getDouble("p99", 0.0), lat.getDouble("max", 0.0), pctText(r.getDouble("serverCpuPct")),
      pctText(r.getDouble("generatorCpuPct")), r.getBoolean("saturated") ? "  SATURATED" : "");
  }

  private String chart(JsonArray steps) {
    List<AsciiChart.Bar> bars = new ArrayList<>();
    for (int i = 0; i < steps.size(); i++) {
      JsonObject s = steps.getJsonObject(i);
      bars.add(new AsciiChart.Bar(s.getString("kind") + " " + fmt(s.getDouble("rate")) + " msg/s",
        s.getDouble("deliveredPerS"), String.format(Locale.ROOT, "p99 %.1f ms, loss %.3f%%%s",
        s.getJsonObject("latencyMs").getDouble("p99", 0.0), s.getDouble("lossPct"),
        s.getBoolean("saturated") ? ", saturated" : "")));
    }
    return options.label() + ": deliveries per second (" + options.workload() + ", QoS " + options.qos() + ")\n"
      + AsciiChart.bars(bars, 50, "/s");
  }

  static String fmt(double rate) {
    return rate == Math.rint(rate) ? Long.toString((long) rate) : String.format(Locale.ROOT, "%.1f", rate);
  }

  private static String pctText(Double v) {
    return v == null ? "n/a" : String.format(Locale.ROOT, "%.0f%%", v);
  }

  private static Double pct(long before, long after, double wallS) {
    return before < 0 || after < 0 || wallS <= 0 ? null : 100.0 * (after - before) / 1e9 / wallS;
  }

  private static long ownCpu() {
    return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
      ? os.getProcessCpuTime() : -1;
  }

  /** @return user + system CPU of {@code pid} in ns (Linux /proc), -1 when unknown */
  private static long cpuOfPid(long pid, int clkTck) {
    if (pid <= 0) {
      return -1;
    }
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 1_000_000_000L / clkTck;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
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

  static java.util.logging.Logger quiet() {
    java.util.logging.Logger log = java.util.logging.Logger.getLogger("io.vertx.mqtt");
    log.setLevel(java.util.logging.Level.WARNING);
    return log;
  }

  static String loadAverage() {
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
      clients.close().await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      System.err.println("mqtt-bench: closing: " + e.getMessage());
    }
    try {
      vertx.close().await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      System.err.println("mqtt-bench: closing Vert.x: " + e.getMessage());
    }
  }
}
