package io.inos.bench.fanout;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders {@value #SECTION} of {@code docs/benchmarks.md} from the results of {@code bench/fanout.sh}
 * ({@code bench/results/fanout/*.json}) and {@code bench/memory.sh} ({@code bench/results/memory/*.json}); only that
 * section is (re)written, the rest of the document is kept. Also answers {@code --half-rate SWEEP.json} for the script.
 *
 * <p>Definitions the verdicts use, all from the generator's results:
 * <ul>
 *   <li>a step is saturated when a delivery is missing, fewer than 95% of the offered deliveries per second arrived,
 *   or p99 passed 1 s;</li>
 *   <li>a server's deliveries per second at saturation: the most any step of its sweep delivered; its saturation rate:
 *   that divided by the subscribers, in messages per second;</li>
 *   <li>"below saturation": the sweep steps before the first saturated one.</li>
 * </ul>
 */
public final class BridgeBenchReport {

  static final String SECTION = "## Bridge fan-out and idle connections (issue 3)";
  private static final double TARGET_RATIO = 2.0;
  private static final double TARGET_P99_MS = 50;
  /** "≤ 18 KB each", read strictly: 18,000 bytes (180 MiB / 10,000 would allow 18,874). */
  private static final double TARGET_BYTES_PER_CONNECTION = 18_000;
  private static final String MPSC_QUEUE = "io.netty.util.internal.shaded.org.jctools.queues.MpscUnboundedArrayQueue";
  private static final Pattern HISTOGRAM_LINE = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");

  private BridgeBenchReport() {
  }

  public static void main(String[] args) throws IOException {
    Map<String, String> a = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      a.put(args[i], args[i + 1]);
    }
    if (a.containsKey("--append-history")) {
      appendHistory(Path.of(a.get("--append-history")));
      return;
    }
    if (a.containsKey("--half-rate")) {
      Sweep sweep = Sweep.of(read(Path.of(a.get("--half-rate"))));
      System.out.println(String.format(Locale.ROOT, "%.1f", Math.max(1, sweep.saturationRate() / 2)));
      return;
    }
    Path doc = Path.of(a.getOrDefault("--doc", "docs/benchmarks.md"));
    Path fanout = Path.of(a.getOrDefault("--fanout", "bench/results/fanout"));
    Path memory = Path.of(a.getOrDefault("--memory", "bench/results/memory"));
    String section = render(fanout, memory);
    write(doc, section);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // the sweep of one server

  /** The results of one server's sweep and check runs. */
  record Sweep(String label, JsonObject report, List<JsonObject> steps, JsonObject check, JsonObject checkReport) {

    static Sweep of(JsonObject report) {
      return of(report, null);
    }

    static Sweep of(JsonObject report, JsonObject checkReport) {
      List<JsonObject> steps = new ArrayList<>();
      JsonArray all = report.getJsonArray("steps", new JsonArray());
      for (int i = 0; i < all.size(); i++) {
        if ("sweep".equals(all.getJsonObject(i).getString("kind"))) {
          steps.add(all.getJsonObject(i));
        }
      }
      JsonObject check = null;
      if (checkReport != null) {
        JsonArray cs = checkReport.getJsonArray("steps", new JsonArray());
        for (int i = 0; i < cs.size(); i++) {
          if ("check".equals(cs.getJsonObject(i).getString("kind"))) {
            check = cs.getJsonObject(i);
          }
        }
      }
      return new Sweep(report.getJsonObject("options").getString("label"), report, steps, check, checkReport);
    }

    int subscribers() {
      return report.getJsonObject("options").getInteger("subscribers");
    }

    double peak() {
      return steps.stream().mapToDouble(s -> s.getDouble("deliveredPerS")).max().orElse(0);
    }

    JsonObject peakStep() {
      return steps.stream().max((x, y) -> Double.compare(x.getDouble("deliveredPerS"), y.getDouble("deliveredPerS")))
        .orElse(null);
    }

    /** @return the index of the first saturated step, or -1 when the sweep never saturated */
    int firstSaturated() {
      for (int i = 0; i < steps.size(); i++) {
        if (steps.get(i).getBoolean("saturated")) {
          return i;
        }
      }
      return -1;
    }

    boolean saturates() {
      return firstSaturated() >= 0;
    }

    double saturationRate() {
      return peak() / subscribers();
    }

    List<JsonObject> belowSaturation() {
      int first = firstSaturated();
      return first < 0 ? steps : steps.subList(0, first);
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // rendering

  static String render(Path fanoutDir, Path memoryDir) throws IOException {
    StringBuilder md = new StringBuilder();
    md.append(SECTION).append("\n\n");
    md.append("Written by `bench/fanout.sh` and `bench/memory.sh`; each re-renders this whole section from the results "
      + "it finds in `bench/results/fanout` and `bench/results/memory`, and keeps the rest of the document.\n\n");
    renderFanout(md, fanoutDir);
    renderMemory(md, memoryDir);
    return md.toString();
  }

  private static void renderFanout(StringBuilder md, Path dir) throws IOException {
    md.append("### Fan-out: one publisher, ").append("many WebSocket subscribers\n\n");
    JsonObject bareSweep = readIfThere(dir.resolve("bare-sweep.json"));
    JsonObject inosSweep = readIfThere(dir.resolve("inos-sweep.json"));
    if (bareSweep == null || inosSweep == null) {
      md.append("Not measured yet: run `bench/fanout.sh`.\n\n");
      return;
    }
    Map<String, String> facts = facts(dir.resolve("facts.txt"));
    Sweep bare = Sweep.of(bareSweep, readIfThere(dir.resolve("bare-check.json")));
    Sweep inos = Sweep.of(inosSweep, readIfThere(dir.resolve("inos-check.json")));
    int n = bare.subscribers();

    md.append(String.format(Locale.ROOT, "Measured %s with `bench/fanout.sh`. Load average (1, 5, 15 min) before the "
        + "run: %s, after: %s.%s\n\n", facts.getOrDefault("date", "?"), facts.getOrDefault("load_before", "?"),
      facts.getOrDefault("load_after", "?"), busyNote(facts)));
    md.append("What runs (each server alone on the machine with the generator, one after the other, same JVM flags `")
      .append(facts.getOrDefault("server_jvm", "?")).append("`):\n\n");
    md.append("- *bare*: `BareBridgeServer`, plain Vert.x 5 with vertx-web's stock `SockJSHandler.bridge(...)` at "
      + "`/eventbus`, permitting `feed\\..+` both ways; one HTTP server. Each subscriber's `register` becomes an "
      + "event-bus consumer of its own, and each delivery is encoded per socket.\n");
    md.append("- *INOS*: the whole server (`io.inos.server.Main` from `verticles/target/inos-server.jar`, built ")
      .append(facts.getOrDefault("inos_jar", "?")).append("; the work tree at the run: `")
      .append(facts.getOrDefault("git", "?"))
      .append("`), with a throw-away PostgreSQL database; the bench's rules (`bench/lib-bridge-servers.sh`) make the "
        + "feed public and let the one publishing connection past the default 100 frames/s.\n");
    md.append(String.format(Locale.ROOT, "- `FanoutLoadGenerator` (a third JVM): %,d WebSocket subscribers on "
        + "`ws://127.0.0.1:PORT/eventbus/websocket` speaking event-bus frames, each registered at one address "
        + "(bare: `%s`, INOS: `%s`), pinging every 5 s; it waits until every subscriber has received a probe message "
        + "(a fair start), runs an unjudged warm-up step, then the sweep. Each step publishes *rate × %d s* messages "
        + "by a schedule and waits up to %d s for stragglers.\n", n,
      bare.report().getJsonObject("options").getString("address"),
      inos.report().getJsonObject("options").getString("address"),
      bare.report().getJsonObject("options").getInteger("durationS"),
      bare.report().getJsonObject("options").getInteger("drainS")));
    md.append("- The publisher: bare: ").append(bare.report().getString("publisherRoute", "?")).append("; INOS: ")
      .append(inos.report().getString("publisherRoute", "?")).append(".");
    if ("http".equals(inos.report().getJsonObject("options").getString("publisher"))) {
      md.append(" INOS's default bridge rules let a guest publish only `campaign:…:requested` (which is a request to "
        + "the campaign service, not a feed), so the INOS feed is published through the REST door; the Nexus "
        + "delivers each event to `campaign:bench_feed`, where the subscribers are. When configurable rules permit "
        + "a public feed address, `INOS_PUBLISHER=ws` publishes with event-bus frames instead.");
    }
    md.append("\n");
    md.append("- The publisher and the subscribers share the generator's JVM, so latency is `System.nanoTime()` at "
      + "receipt minus the time the message was *due* by the schedule (a publisher running late counts against the "
      + "server, no coordinated omission). Loss counts, per subscriber and message, every message not received by "
      + "the end of the step's drain. Delivered/s is the deliveries divided by the time from the step's start to its "
      + "last receipt. A delivery missing at the end of the drain was either dropped (INOS drops deliveries to a "
      + "socket whose write queue is full: its slow-consumer bound) or still queued (the stock bridge queues without "
      + "bound); the generator cannot tell which.\n");
    md.append("- A step is *saturated* when a delivery is missing at the end of its drain, fewer than 95% of the "
      + "offered deliveries per second arrived, or p99 passed 1 s (a backlog). A server's figure *at saturation* is "
      + "the most deliveries per second any step of its sweep reached; its *saturation rate* is that divided by the "
      + "subscribers. The sweep ends at a saturated step that no longer grew by 5%.\n");
    md.append("- The two servers do not send the same frame: the bare bridge delivers the published body "
      + "(`{\"seq\",\"sent_ns\"}`), INOS the whole canonical event envelope (id, type, correlation id, timestamp, "
      + "source, metadata, payload), so each INOS delivery carries several times the bytes (column *frame B*).\n");
    md.append("- All three processes share the 2 cores: the generator's own CPU is part of every figure, the same for "
      + "both servers. The CPU columns say how the cores were shared (100% = one core). *POST p99* is the round trip "
      + "of INOS's publishing requests.\n\n");

    md.append("| server | rate msg/s | offered/s | delivered/s | of offered | loss | p50 ms | p90 ms | p99 ms | max ms "
      + "| frame B | server CPU | server µs/delivery | generator CPU | POST p99 ms | |\n");
    md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
    for (Sweep s : List.of(bare, inos)) {
      for (JsonObject step : s.steps()) {
        md.append(row(s.label(), step));
      }
      if (s.check() != null) {
        md.append(row(s.label() + " (check)", s.check()));
      }
    }
    md.append("\n");

    List<AsciiChart.Bar> bars = new ArrayList<>();
    for (Sweep s : List.of(bare, inos)) {
      for (JsonObject step : s.steps()) {
        bars.add(new AsciiChart.Bar(String.format(Locale.ROOT, "%-4s %5s msg/s", s.label(),
          FanoutLoadGenerator.fmtRate(step.getDouble("rate"))), step.getDouble("deliveredPerS"),
          String.format(Locale.ROOT, "p99 %s ms%s", ms(p99(step)), step.getBoolean("saturated") ? ", saturated" : "")));
      }
    }
    md.append("Deliveries per second by step:\n\n```\n").append(AsciiChart.bars(bars, 48, "/s")).append("```\n\n");

    md.append("#### Saturation and verdicts\n\n");
    for (Sweep s : List.of(bare, inos)) {
      md.append(saturationLine(s));
    }
    md.append("\n");
    double ratio = bare.peak() == 0 ? 0 : inos.peak() / bare.peak();
    boolean ratioConclusive = bare.saturates();
    String ratioPrefix = inos.saturates() ? "" : "at least ";
    md.append(String.format(Locale.ROOT, "1. *INOS delivers at least 2× the bare bridge's deliveries per second at "
        + "saturation*: %s / %s = %s**%.2f×** → **%s**%s\n", AsciiChart.human(inos.peak()),
      AsciiChart.human(bare.peak()), ratioPrefix, ratio,
      verdict(ratio >= TARGET_RATIO && ratioConclusive, ratioConclusive || ratio < TARGET_RATIO),
      ratioConclusive ? "" : " (the bare bridge did not saturate within the sweep, so its figure is a lower bound)"));

    double[] ratios = historyRatios(dir);
    if (ratios.length > 1) {
      double min = java.util.Arrays.stream(ratios).min().orElse(0);
      double max = java.util.Arrays.stream(ratios).max().orElse(0);
      md.append(String.format(Locale.ROOT, "   Over the %d runs of this code in the table further down the ratio went from %.2f× to "
          + "%.2f×%s\n", ratios.length, min, max, min < TARGET_RATIO && max >= TARGET_RATIO
          ? ": the runs disagree, so this verdict is **not settled** on this shared machine."
          : min >= TARGET_RATIO ? ": every run passed." : ": every run failed."));
    }
    List<JsonObject> below = inos.belowSaturation();
    long lost = below.stream().mapToLong(st -> st.getLong("missing") + st.getLong("duplicates")).sum();
    String belowRates = below.stream().map(st -> FanoutLoadGenerator.fmtRate(st.getDouble("rate")))
      .reduce((x, y) -> x + ", " + y).orElse("none");
    md.append(String.format(Locale.ROOT, "2. *Zero loss below saturation* (INOS): steps below saturation: %s msg/s; "
        + "missing or duplicated deliveries there: %,d → **%s**%s\n", belowRates, lost,
      verdict(!below.isEmpty() && lost == 0, true),
      below.isEmpty() ? " (INOS saturated at the lowest rate of the sweep, so no step was below saturation)" : ""));

    JsonObject ic = inos.check();
    JsonObject bc = bare.check();
    if (ic == null) {
      md.append("3. *p99 under 50 ms at half the bare bridge's saturation rate*: not measured (no check step).\n");
    } else {
      double p99 = p99(ic);
      md.append(String.format(Locale.ROOT, "3. *p99 under 50 ms at half the bare bridge's saturation rate* (%s / 2 = "
          + "%s msg/s, %s deliveries/s): INOS p99 **%s ms** (loss %s) → **%s**%s\n",
        FanoutLoadGenerator.fmtRate(bare.saturationRate()), FanoutLoadGenerator.fmtRate(ic.getDouble("rate")),
        AsciiChart.human(ic.getDouble("offeredPerS")), ms(p99), pct(ic.getDouble("lossPct")),
        verdict(p99 < TARGET_P99_MS && ic.getLong("missing") == 0, true),
        bc == null ? "" : String.format(Locale.ROOT, "; the bare bridge at the same rate: p99 %s ms, loss %s",
          ms(p99(bc)), pct(bc.getDouble("lossPct")))));
    }
    md.append("\n");
    Double bareUs = medianCpuUs(bare);
    Double inosUs = medianCpuUs(inos);
    if (bareUs != null && inosUs != null) {
      md.append(String.format(Locale.ROOT, "Less sensitive to what else runs on the machine: the server's own CPU time "
          + "per delivery (median over the steps below saturation) is %.1f µs for the bare bridge and %.1f µs for "
          + "INOS, so INOS does a delivery with %.2f× the bare bridge's CPU (%s).\n\n", bareUs, inosUs,
        inosUs / bareUs, inosUs < bareUs ? String.format(Locale.ROOT, "%.2f× as many deliveries per CPU-second",
          bareUs / inosUs) : "more CPU per delivery"));
    }
    md.append("Where the difference comes from (the code, and thread dumps from earlier runs): the bare bridge "
      + "registers one event-bus consumer per socket, copies and encodes each message per socket, and serves every "
      + "socket from one event loop (one HTTP server). INOS registers one consumer per address and node, builds "
      + "each message's frame once for every socket, serves the port with one HTTP server per event loop (the "
      + "table hands each message to each loop's sockets in one task) and writes through Netty's native epoll "
      + "transport. The bare bridge flushes every frame to its socket at once (one `write` system call per "
      + "delivery); INOS's connections coalesce their flushes (`CoalescedFlushes`, `LoopFlushes`: while the "
      + "event loop's sockets get several frames a round, a flush waits until the loop has run the tasks already "
      + "queued; while they get one, the loop's waiting sockets are flushed every 32, runs before 2026-12-08 04:30 "
      + "waited in every case), so under a backlog a socket gets several frames per system call and the server's "
      + "CPU per delivery falls as the rate rises. Near INOS's "
      + "saturation the generator, which shares the two cores and reads every frame, takes as much CPU as the "
      + "server.\n\n");
    renderHistory(md, dir);
    appendRunErrors(md, List.of(bare, inos));

    md.append("#### How it was run\n\n```\n");
    md.append("cd ").append(Path.of("").toAbsolutePath()).append(" && bench/fanout.sh\n");
    facts.entrySet().stream().filter(e -> e.getKey().startsWith("command_"))
      .forEach(e -> md.append("# ").append(e.getKey().substring("command_".length())).append(": ")
        .append(e.getValue().replaceAll(" --server-pid \\d+", " --server-pid PID")
          .replaceAll(" --port \\d+", " --port PORT")).append("\n"));
    md.append("```\n\n");
    md.append(machine(facts)).append("\n");
  }

  /** Appends the headline figures of the run in {@code dir} to {@code dir/history.jsonl}, one JSON object a line. */
  static void appendHistory(Path dir) throws IOException {
    JsonObject bareSweep = readIfThere(dir.resolve("bare-sweep.json"));
    JsonObject inosSweep = readIfThere(dir.resolve("inos-sweep.json"));
    if (bareSweep == null || inosSweep == null) {
      return;
    }
    Map<String, String> facts = facts(dir.resolve("facts.txt"));
    Sweep bare = Sweep.of(bareSweep, readIfThere(dir.resolve("bare-check.json")));
    Sweep inos = Sweep.of(inosSweep, readIfThere(dir.resolve("inos-check.json")));
    JsonObject line = new JsonObject()
      .put("date", facts.get("date"))
      .put("load", facts.get("load_before") + " / " + facts.get("load_after"))
      .put("barePeak", bare.peak())
      .put("inosPeak", inos.peak())
      .put("halfRate", bare.saturationRate() / 2)
      .put("bareCheckP99", bare.check() == null ? null : p99(bare.check()))
      .put("inosCheckP99", inos.check() == null ? null : p99(inos.check()))
      .put("inosLossBelow", inos.belowSaturation().stream().mapToLong(st -> st.getLong("missing")).sum())
      .put("bareCpuUs", medianCpuUs(bare))
      .put("inosCpuUs", medianCpuUs(inos));
    Files.writeString(dir.resolve("history.jsonl"), line.encode() + "\n", java.nio.file.StandardOpenOption.CREATE,
      java.nio.file.StandardOpenOption.APPEND);
  }

  private static void renderHistory(StringBuilder md, Path dir) throws IOException {
    Path file = dir.resolve("history.jsonl");
    if (!Files.exists(file)) {
      return;
    }
    List<String> lines = Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList();
    if (lines.size() < 2) {
      return;
    }
    md.append("Every run on this machine so far (the figures above are the last one's); how much they move from run to "
      + "run with the other work on the machine is the best guide to how far to trust one run:\n\n");
    md.append("| run | load (before / after) | bare at saturation | INOS at saturation | INOS / bare | half bare rate "
      + "| p99 bare / INOS there | INOS loss below saturation | server µs/delivery bare / INOS |\n");
    md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
    for (String l : lines) {
      JsonObject h = new JsonObject(l);
      double ratio = h.getDouble("barePeak") == 0 ? 0 : h.getDouble("inosPeak") / h.getDouble("barePeak");
      md.append(String.format(Locale.ROOT, "| %s | %s | %s/s | %s/s | %.2f× | %s msg/s | %s / %s ms | %,d | %s / %s |\n",
        h.getString("date") + (h.getString("note") == null ? "" : " (" + h.getString("note") + ")"), h.getString("load"), AsciiChart.human(h.getDouble("barePeak")),
        AsciiChart.human(h.getDouble("inosPeak")), ratio, FanoutLoadGenerator.fmtRate(h.getDouble("halfRate")),
        ms(h.getDouble("bareCheckP99")), ms(h.getDouble("inosCheckP99")), h.getLong("inosLossBelow", 0L),
        us(h.getDouble("bareCpuUs")), us(h.getDouble("inosCpuUs"))));
    }
    md.append("\n");
  }

  private static double[] historyRatios(Path dir) throws IOException {
    Path file = dir.resolve("history.jsonl");
    if (!Files.exists(file)) {
      return new double[0];
    }
    return Files.readAllLines(file).stream().filter(l -> !l.isBlank()).map(JsonObject::new)
      // a run of code since changed (marked "superseded" by hand) stays in the table but says nothing of this code
      .filter(h -> h.getDouble("barePeak") > 0 && !h.getBoolean("superseded", false))
      .mapToDouble(h -> h.getDouble("inosPeak") / h.getDouble("barePeak")).toArray();
  }

  private static String us(Double v) {
    return v == null ? "n/a" : String.format(Locale.ROOT, "%.1f", v);
  }

  private static String row(String label, JsonObject step) {
    JsonObject lat = step.getJsonObject("latencyMs", new JsonObject());
    JsonObject post = step.getJsonObject("publishRoundTripMs");
    return String.format(Locale.ROOT, "| %s | %s | %s | %s | %.1f%% | %s | %s | %s | %s | %s | %d | %s | %s | %s | %s | %s "
        + "|\n",
      label, FanoutLoadGenerator.fmtRate(step.getDouble("rate")), AsciiChart.human(step.getDouble("offeredPerS")),
      AsciiChart.human(step.getDouble("deliveredPerS")), 100 * step.getDouble("deliveredRatio"),
      pct(step.getDouble("lossPct")), ms(lat.getDouble("p50")), ms(lat.getDouble("p90")), ms(lat.getDouble("p99")),
      ms(lat.getDouble("max")), step.getLong("frameBytes", 0L), cpu(step.getDouble("serverCpuPct")),
      cpuPerDelivery(step), cpu(step.getDouble("generatorCpuPct")), post == null ? "–" : ms(post.getDouble("p99")),
      step.getBoolean("saturated") ? "saturated" : "");
  }

  private static String saturationLine(Sweep s) {
    JsonObject peak = s.peakStep();
    if (peak == null) {
      return "- " + s.label() + ": no sweep step completed.\n";
    }
    int first = s.firstSaturated();
    String where = first < 0
      ? "never saturated up to " + FanoutLoadGenerator.fmtRate(s.steps().get(s.steps().size() - 1).getDouble("rate"))
        + " msg/s (the figure is a lower bound)"
      : "first saturated at " + FanoutLoadGenerator.fmtRate(s.steps().get(first).getDouble("rate")) + " msg/s"
        + (first == 0 ? " (the lowest rate of the sweep)" : ", sustained "
          + FanoutLoadGenerator.fmtRate(s.steps().get(first - 1).getDouble("rate")) + " msg/s");
    return String.format(Locale.ROOT, "- %s: at most **%s deliveries/s** (at %s msg/s), i.e. a saturation rate of "
        + "%s msg/s to %,d subscribers; %s.\n", s.label(), AsciiChart.human(s.peak()),
      FanoutLoadGenerator.fmtRate(peak.getDouble("rate")), FanoutLoadGenerator.fmtRate(s.saturationRate()),
      s.subscribers(), where);
  }

  private static void appendRunErrors(StringBuilder md, List<Sweep> sweeps) {
    for (Sweep s : sweeps) {
      for (JsonObject r : new JsonObject[] {s.report(), s.checkReport()}) {
        if (r == null) {
          continue;
        }
        List<String> notes = new ArrayList<>();
        if (r.getString("error") != null) {
          notes.add("the run failed: " + r.getString("error"));
        }
        if (r.getLong("publishErrors", 0L) > 0) {
          notes.add(r.getLong("publishErrors") + " publishes failed (first: " + r.getString("firstPublishError") + ")");
        }
        if (r.getInteger("unexpectedCloses", 0) > 0) {
          notes.add(r.getInteger("unexpectedCloses") + " subscriber connections were closed by the server");
        }
        if (r.getInteger("refusals", 0) > 0) {
          notes.add(r.getInteger("refusals") + " refusal frames");
        }
        if (!notes.isEmpty()) {
          md.append("Note (").append(s.label()).append("): ").append(String.join("; ", notes)).append(".\n\n");
        }
      }
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // memory

  private static void renderMemory(StringBuilder md, Path dir) throws IOException {
    md.append("### Idle connections: heap per connection\n\n");
    List<JsonObject> runs = new ArrayList<>();
    if (Files.isDirectory(dir)) {
      try (var files = Files.list(dir)) {
        for (Path p : files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList()) {
          runs.add(read(p));
        }
      }
    }
    if (runs.isEmpty()) {
      md.append("Not measured yet: run `bench/memory.sh`.\n\n");
      return;
    }
    Map<String, String> facts = facts(dir.resolve("facts.txt"));
    md.append(String.format(Locale.ROOT, "Measured %s with `bench/memory.sh`. Load average before: %s, after: %s."
        + "%s\n\n", facts.getOrDefault("date", "?"), facts.getOrDefault("load_before", "?"),
      facts.getOrDefault("load_after", "?"), busyNote(facts)));
    md.append("Each server runs alone in a JVM with `").append(facts.getOrDefault("server_jvm", "?"))
      .append("`. `IdleConnections` (another JVM) first opens and closes a few hundred connections (class loading, "
        + "JIT and pools are then not counted), the server's heap is measured, then it opens the connections, each "
        + "registered at one address and pinging every 5 s as the JS client does, proves every registration live with "
        + "one probe message per address, and the heap is measured again. A measurement is `jcmd PID GC.run` (a full "
        + "collection) twice, then `GC.heap_info` (used heap) and `GC.class_histogram` (live bytes, exact). Address "
        + "*own*: connection i registers at an address of its own (INOS: its `user:{guest id}`; bare: `feed.idle.i`); "
        + "*shared*: all at one address.\n\n");
    md.append("| server | addresses | identity | connections | used heap before | with the connections "
      + "| per connection (used heap) | per connection (live objects) | after they closed | server RSS growth |\n");
    md.append("|---|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
    JsonObject inosOwn = null;
    for (JsonObject r : runs) {
      int n = r.getInteger("connections");
      double perHeap = (r.getLong("heapAfterK") - r.getLong("heapBeforeK")) * 1024.0 / n;
      double perLive = (r.getLong("liveAfter") - r.getLong("liveBefore")) * 1.0 / n;
      md.append(String.format(Locale.ROOT, "| %s | %s | %s | %,d | %s | %s | **%s** | %s | %s | %s |\n",
        r.getString("server"), r.getString("addresses"), identity(r.getString("auth", "none")), n, mib(r.getLong("heapBeforeK") * 1024.0),
        mib(r.getLong("heapAfterK") * 1024.0), kb(perHeap), kb(perLive), mib(r.getLong("heapClosedK") * 1024.0),
        mib((r.getLong("rssAfterK") - r.getLong("rssBeforeK")) * 1024.0)));
      if ("inos".equals(r.getString("server")) && "own".equals(r.getString("addresses"))) {
        inosOwn = r;
      }
    }
    md.append("\n(KB = 1,000 bytes, MiB = 1,048,576 bytes.)\n\n");

    md.append("#### Verdict\n\n");
    if (inosOwn == null) {
      md.append("No INOS run with one address per connection: nothing to judge.\n\n");
    } else {
      int n = inosOwn.getInteger("connections");
      double per = (inosOwn.getLong("heapAfterK") - inosOwn.getLong("heapBeforeK")) * 1024.0 / n;
      double whole = inosOwn.getLong("heapAfterK") * 1024.0;
      double budget = 180.0 * 1024 * 1024;
      boolean enough = n >= 10_000;
      boolean strict = per <= TARGET_BYTES_PER_CONNECTION;
      boolean byBudget = per * 10_000 <= budget;
      md.append(String.format(Locale.ROOT, "*10,000 idle authenticated WebSocket connections fit in 180 MiB of heap, "
          + "i.e. ≤ 18 KB each.* INOS, %,d connections, each at its own `user:` address: **%s per connection**. The "
          + "sentence reads three ways, so all three are checked:\n\n", n, kb(per)));
      md.append(String.format(Locale.ROOT, "- the connections' own heap (used heap with them minus before them) within "
          + "180 MiB, i.e. at most %s each: %s for 10,000 → **%s**\n", kb(budget / 10_000), mib(per * 10_000),
        verdict(enough && byBudget, true)));
      md.append(String.format(Locale.ROOT, "- at most 18 KB = %s each: %s → **%s**\n",
        kb(TARGET_BYTES_PER_CONNECTION), kb(per), verdict(enough && strict, true)));
      md.append(String.format(Locale.ROOT, "- the whole server's used heap with the connections (its %s before "
          + "them included) within 180 MiB: %s → **%s**\n\n", mib(inosOwn.getLong("heapBeforeK") * 1024.0),
        mib(whole), verdict(enough && whole <= budget, true)));
      JsonObject bareOwn = runs.stream().filter(r -> "bare".equals(r.getString("server"))
        && "own".equals(r.getString("addresses"))).findFirst().orElse(null);
      if (bareOwn != null) {
        double barePer = (bareOwn.getLong("heapAfterK") - bareOwn.getLong("heapBeforeK")) * 1024.0
          / bareOwn.getInteger("connections");
        md.append(String.format(Locale.ROOT, "The bare bridge needs %s per connection in the same test, so INOS adds "
            + "%s per connection over it (%+.1f%%).\n\n", kb(barePer), kb(per - barePer),
          100 * (per - barePer) / barePer));
      }
      if ("jwt".equals(inosOwn.getString("auth"))) {
        md.append("Each INOS connection signed in as its own user with an HS256 JWT (`Authorization: Bearer …` in its "
          + "frames' headers, the key given to the server as `INOS_JWT_KEY`), as the issue asks.\n\n");
      } else {
        md.append("The INOS connections are anonymous guests (a guest id each, proposed in the `inos-guest-id` "
          + "header): the server jar measured does not take a JWT key into its bridge yet, so **the authenticated "
          + "figure is pending**. `IDLE_AUTH=jwt bench/memory.sh` signs every connection in with a token once it "
          + "does; an authenticated connection also holds its verified identity (user id, roles, campaigns).\n\n");
      }
    }
    renderHistogramDeltas(md, dir, runs);
    md.append("#### How it was run\n\n```\ncd ").append(Path.of("").toAbsolutePath()).append(" && bench/memory.sh\n");
    facts.entrySet().stream().filter(e -> e.getKey().startsWith("command_"))
      .forEach(e -> md.append("# ").append(e.getKey().substring("command_".length())).append(": ")
        .append(e.getValue().replaceAll(" --port \\d+", " --port PORT")).append("\n"));
    md.append("```\n\n").append(machine(facts)).append("\n");
  }

  /** What the connections hold, by class: the largest growths of live bytes between the two histograms. */
  private static void renderHistogramDeltas(StringBuilder md, Path dir, List<JsonObject> runs) throws IOException {
    boolean mpscExplained = false;
    for (JsonObject r : runs) {
      if (!"own".equals(r.getString("addresses"))) {
        continue;
      }
      Path before = dir.resolve(r.getString("histogramBefore", "-"));
      Path after = dir.resolve(r.getString("histogramAfter", "-"));
      if (!Files.exists(before) || !Files.exists(after)) {
        continue;
      }
      Map<String, long[]> b = histogram(before);
      Map<String, long[]> a = histogram(after);
      int n = r.getInteger("connections");
      List<Map.Entry<String, long[]>> deltas = new ArrayList<>();
      for (Map.Entry<String, long[]> e : a.entrySet()) {
        long[] was = b.getOrDefault(e.getKey(), new long[2]);
        deltas.add(Map.entry(e.getKey(), new long[] {e.getValue()[0] - was[0], e.getValue()[1] - was[1]}));
      }
      deltas.sort((x, y) -> Long.compare(y.getValue()[1], x.getValue()[1]));
      long[] mpsc = a.containsKey(MPSC_QUEUE) ? deltas.stream().filter(e -> e.getKey().equals(MPSC_QUEUE))
        .findFirst().map(Map.Entry::getValue).orElse(new long[2]) : new long[2];
      if (mpsc[0] >= 1.5 * n && !mpscExplained) {
        mpscExplained = true;
        md.append("Most of a connection's heap is Vert.x's own, the same in both servers: each connection holds "
          + "two Netty MPSC queues (`PlatformDependent.newMpscQueue()`, from Vert.x 5's "
          + "`MessagePassingQueue.MpSc`), each with a first chunk of 1,024 references (about 4.1 KB), which is most "
          + "of the `[Ljava.lang.Object;` row below (about 8.4 KB per connection).\n\n");
      }
      md.append("Largest growths of live objects, ").append(r.getString("server")).append(" (own addresses), per "
        + "connection:\n\n| class | objects | bytes |\n|---|---:|---:|\n");
      for (int i = 0; i < Math.min(10, deltas.size()); i++) {
        var e = deltas.get(i);
        md.append(String.format(Locale.ROOT, "| `%s` | %.1f | %,.0f |\n", e.getKey(), e.getValue()[0] * 1.0 / n,
          e.getValue()[1] * 1.0 / n));
      }
      md.append("\n");
    }
  }

  private static Map<String, long[]> histogram(Path file) throws IOException {
    Map<String, long[]> classes = new LinkedHashMap<>();
    for (String line : Files.readAllLines(file)) {
      Matcher m = HISTOGRAM_LINE.matcher(line);
      if (m.find()) {
        classes.merge(m.group(3), new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))},
          (x, y) -> new long[] {x[0] + y[0], x[1] + y[1]});
      }
    }
    return classes;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // small helpers

  private static String machine(Map<String, String> facts) {
    return String.format(Locale.ROOT, "Machine: `nproc` = %s, %s, %s of memory, Linux %s; %s; open files per process "
        + "%s.\n", facts.getOrDefault("nproc", "?"), facts.getOrDefault("cpu", "?"),
      facts.getOrDefault("memory", "?"), facts.getOrDefault("kernel", "?"), facts.getOrDefault("java", "?"),
      facts.getOrDefault("open_files", "?"));
  }

  private static String busyNote(Map<String, String> facts) {
    double load = 0;
    for (String key : new String[] {"load_before", "load_after"}) {
      try {
        load = Math.max(load, Double.parseDouble(facts.getOrDefault(key, "0").split(" ")[0]));
      } catch (NumberFormatException ignored) {
        // no figure: no note
      }
    }
    return load > 2 ? " The machine was shared with other engineers' builds and tests (a load above 2 means the run "
      + "competed for the two cores), so absolute figures are low and noisy; the two servers ran within minutes of "
      + "each other, but that other work changed from minute to minute." : "";
  }

  /** @return the server's CPU time per delivery in microseconds, or null when unknown */
  static Double cpuUsPerDelivery(JsonObject step) {
    Double cpuS = step.getDouble("serverCpuS");
    long delivered = step.getLong("delivered", 0L);
    return cpuS == null || delivered == 0 ? null : cpuS * 1e6 / delivered;
  }

  private static String cpuPerDelivery(JsonObject step) {
    Double us = cpuUsPerDelivery(step);
    return us == null ? "n/a" : String.format(Locale.ROOT, "%.1f", us);
  }

  /** @return the median CPU per delivery over the steps below saturation, or null when there are none */
  static Double medianCpuUs(Sweep s) {
    List<Double> values = new ArrayList<>();
    for (JsonObject step : s.belowSaturation()) {
      Double us = cpuUsPerDelivery(step);
      if (us != null) {
        values.add(us);
      }
    }
    if (values.isEmpty()) {
      return null;
    }
    values.sort(Double::compare);
    int m = values.size() / 2;
    return values.size() % 2 == 1 ? values.get(m) : (values.get(m - 1) + values.get(m)) / 2;
  }

  private static String identity(String auth) {
    return switch (auth) {
      case "jwt" -> "JWT user";
      case "guest" -> "guest";
      default -> "–";
    };
  }

  private static String verdict(boolean pass, boolean conclusive) {
    return pass ? "PASS" : conclusive ? "FAIL" : "NOT SHOWN";
  }

  private static double p99(JsonObject step) {
    return step.getJsonObject("latencyMs", new JsonObject()).getDouble("p99", 0.0);
  }

  private static String ms(Double v) {
    if (v == null) {
      return "–";
    }
    return v >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.2f", v);
  }

  private static String pct(Double v) {
    if (v == null || v == 0) {
      return "0";
    }
    return v < 0.01 ? String.format(Locale.ROOT, "%.4f%%", v) : String.format(Locale.ROOT, "%.2f%%", v);
  }

  private static String cpu(Double v) {
    return v == null ? "n/a" : String.format(Locale.ROOT, "%.0f%%", v);
  }

  private static String kb(double bytes) {
    return String.format(Locale.ROOT, "%,.1f KB", bytes / 1000);
  }

  private static String mib(double bytes) {
    return String.format(Locale.ROOT, "%,.1f MiB", bytes / (1024 * 1024));
  }

  private static Map<String, String> facts(Path file) throws IOException {
    Map<String, String> facts = new LinkedHashMap<>();
    if (Files.exists(file)) {
      for (String line : Files.readAllLines(file)) {
        int eq = line.indexOf('=');
        if (eq > 0) {
          facts.put(line.substring(0, eq), line.substring(eq + 1));
        }
      }
    }
    return facts;
  }

  private static JsonObject read(Path file) throws IOException {
    return new JsonObject(Files.readString(file));
  }

  private static JsonObject readIfThere(Path file) throws IOException {
    return Files.exists(file) ? read(file) : null;
  }

  /** Replaces the section (up to the next {@code ## } heading) or appends it; nothing else changes. */
  static void write(Path doc, String section) throws IOException {
    String text = Files.exists(doc) ? Files.readString(doc) : "# Benchmarks\n";
    int start = text.indexOf(SECTION + "\n");
    if (start < 0) {
      text = text.stripTrailing() + "\n\n" + section;
    } else {
      Matcher next = Pattern.compile("^## ", Pattern.MULTILINE).matcher(text);
      int end = next.find(start + SECTION.length()) ? next.start() : text.length();
      text = text.substring(0, start) + section + (end < text.length() ? "\n" + text.substring(end) : "");
    }
    Files.writeString(doc, text.stripTrailing() + "\n");
  }
}
