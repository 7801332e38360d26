package io.inos.bench.fanout;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * The settings of one {@link FanoutLoadGenerator} run, from {@code --name value} arguments (see {@link #usage()}).
 */
public final class FanoutOptions {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final String DEFAULT_PATH = "/eventbus/websocket";
  public static final int DEFAULT_SUBSCRIBERS = 1_000;
  public static final String DEFAULT_ADDRESS = "feed.bench";
  public static final String DEFAULT_PUBLISHER = "ws";
  public static final String DEFAULT_EVENT_TYPE = "feed:tick:v1:completed";
  public static final List<Integer> DEFAULT_RATES = List.of(10, 20, 40, 80, 160, 320, 640, 1280);
  public static final int DEFAULT_DURATION_S = 8;
  public static final int DEFAULT_DRAIN_S = 5;
  public static final int DEFAULT_QUIET_MS = 1_000;
  public static final int DEFAULT_CHECK_DURATION_S = 10;
  public static final int DEFAULT_WARMUP_S = 10;
  public static final int DEFAULT_WARMUP_RATE = 25;
  public static final int DEFAULT_CONNECT_CONCURRENCY = 100;
  public static final int DEFAULT_CLK_TCK = 100;
  /** The most subscribers one generator process may hold: a process may have 20,000 open files on these machines. */
  public static final int MAX_SUBSCRIBERS = 18_000;
  /** The longest step a run may ask for, so that a run always ends by itself. */
  public static final int MAX_DURATION_S = 120;

  private String label = "server";
  private String host = DEFAULT_HOST;
  private int port;
  /** Where subscribers connect, round-robin; empty = {@link #port}. Several nodes of one cluster, say. */
  private List<Integer> subscriberPorts = List.of();
  private String path = DEFAULT_PATH;
  private int subscribers = DEFAULT_SUBSCRIBERS;
  private String address = DEFAULT_ADDRESS;
  private String publisher = DEFAULT_PUBLISHER;
  private String publishAddress;
  private boolean envelopes;
  private String eventType = DEFAULT_EVENT_TYPE;
  private String campaign;
  private List<Integer> rates = new ArrayList<>(DEFAULT_RATES);
  private int durationS = DEFAULT_DURATION_S;
  private int drainS = DEFAULT_DRAIN_S;
  private int quietMs = DEFAULT_QUIET_MS;
  private double checkRate;
  private int checkDurationS = DEFAULT_CHECK_DURATION_S;
  private int warmupS = DEFAULT_WARMUP_S;
  private int warmupRate = DEFAULT_WARMUP_RATE;
  private boolean stopWhenSaturated = true;
  private int connectConcurrency = DEFAULT_CONNECT_CONCURRENCY;
  private long serverPid;
  private int clkTck = DEFAULT_CLK_TCK;
  private String out;

  /** @throws IllegalArgumentException with a message naming the bad argument */
  public static FanoutOptions parse(String[] args) {
    FanoutOptions o = new FanoutOptions();
    for (int i = 0; i < args.length; i++) {
      String name = args[i];
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(name + " needs a value");
      }
      String value = args[++i];
      switch (name) {
        case "--label" -> o.label = value;
        case "--host" -> o.host = value;
        case "--port" -> o.port = Integer.parseInt(value);
        case "--subscriber-ports" -> o.subscriberPorts = parsePorts(value);
        case "--path" -> o.path = value;
        case "--subscribers" -> o.subscribers = Integer.parseInt(value);
        case "--address" -> o.address = value;
        case "--publisher" -> o.publisher = value;
        case "--publish-address" -> o.publishAddress = value;
        case "--body" -> o.envelopes = switch (value) {
          case "plain" -> false;
          case "envelope" -> true;
          default -> throw new IllegalArgumentException("--body is plain or envelope, not " + value);
        };
        case "--event-type" -> o.eventType = value;
        case "--campaign" -> o.campaign = value;
        case "--rates" -> o.rates = parseRates(value);
        case "--duration-s" -> o.durationS = Integer.parseInt(value);
        case "--drain-s" -> o.drainS = Integer.parseInt(value);
        case "--quiet-ms" -> o.quietMs = Integer.parseInt(value);
        case "--check-rate" -> o.checkRate = Double.parseDouble(value);
        case "--check-duration-s" -> o.checkDurationS = Integer.parseInt(value);
        case "--warmup-s" -> o.warmupS = Integer.parseInt(value);
        case "--warmup-rate" -> o.warmupRate = Integer.parseInt(value);
        case "--stop-when-saturated" -> o.stopWhenSaturated = Boolean.parseBoolean(value);
        case "--connect-concurrency" -> o.connectConcurrency = Integer.parseInt(value);
        case "--server-pid" -> o.serverPid = Long.parseLong(value);
        case "--clk-tck" -> o.clkTck = Integer.parseInt(value);
        case "--out" -> o.out = value;
        default -> throw new IllegalArgumentException("unknown argument " + name + "\n" + usage());
      }
    }
    o.validate();
    return o;
  }

  private void validate() {
    if (port <= 0 || port > 65535) {
      throw new IllegalArgumentException("--port is required (the server's HTTP port)");
    }
    if (subscribers < 1 || subscribers > MAX_SUBSCRIBERS) {
      throw new IllegalArgumentException("--subscribers must be 1.." + MAX_SUBSCRIBERS
        + " per process (20,000 open files per process here): run several generator processes for more");
    }
    if (!publisher.equals("ws") && !publisher.equals("http")) {
      throw new IllegalArgumentException("--publisher is ws or http, not " + publisher);
    }
    if (publisher.equals("http") && !envelopes) {
      throw new IllegalArgumentException("--publisher http posts event envelopes: add --body envelope");
    }
    if (durationS < 1 || durationS > MAX_DURATION_S || checkDurationS < 1 || checkDurationS > MAX_DURATION_S) {
      throw new IllegalArgumentException("step durations must be 1.." + MAX_DURATION_S + " s");
    }
    if (warmupS < 0 || warmupS > MAX_DURATION_S || warmupRate < 1) {
      throw new IllegalArgumentException("--warmup-s must be 0.." + MAX_DURATION_S + " and --warmup-rate positive");
    }
    if (drainS < 0 || drainS > 60) {
      throw new IllegalArgumentException("--drain-s must be 0..60");
    }
    if (rates.isEmpty() && checkRate <= 0) {
      throw new IllegalArgumentException("nothing to run: give --rates and/or --check-rate");
    }
  }

  private static List<Integer> parseRates(String value) {
    List<Integer> rates = new ArrayList<>();
    for (String part : value.split(",")) {
      if (part.isBlank()) {
        continue;
      }
      int rate = Integer.parseInt(part.trim());
      if (rate < 1 || rate > 100_000) {
        throw new IllegalArgumentException("--rates: " + rate + " is not 1..100000 messages/s");
      }
      rates.add(rate);
    }
    return rates;
  }

  private static List<Integer> parsePorts(String value) {
    List<Integer> ports = new ArrayList<>();
    for (String part : value.split(",")) {
      int p = Integer.parseInt(part.trim());
      if (p <= 0 || p > 65535) {
        throw new IllegalArgumentException("--subscriber-ports: " + p + " is not a port");
      }
      ports.add(p);
    }
    return List.copyOf(ports);
  }

  public static String usage() {
    return """
      FanoutLoadGenerator --port P [options]
        --label NAME             name of the server in the report (bare, inos)
        --host H --path P        where the bridge is (127.0.0.1, /eventbus/websocket)
        --subscriber-ports P1,P2 subscribers connect to these ports round-robin (other nodes of a cluster); the
                                 publisher stays on --port
        --subscribers N          WebSocket subscribers (1000; at most 18000 per process)
        --address A              the address every subscriber registers (feed.bench)
        --publisher ws|http      ws: event-bus publish frames on one more WebSocket;
                                 http: POST /api/events (INOS) with event envelopes
        --publish-address A      ws: the address published to (default: --address)
        --body plain|envelope    plain {"seq","sent_ns"} or an INOS event envelope around it
        --event-type T --campaign C   the envelope's type and global_context.campaign_id
        --rates 50,100,...       the sweep, messages/s (each delivered to every subscriber)
        --duration-s S --drain-s S --quiet-ms MS   publishing time per step, then waiting for stragglers
        --warmup-s S --warmup-rate R               an unjudged first step, for the JIT (10 s at 25 msg/s; 0: none)
        --check-rate R --check-duration-s S        one more step at R messages/s after the sweep
        --stop-when-saturated true|false           end the sweep once deliveries stop growing
        --server-pid PID --clk-tck T               to report the server's CPU use (from /proc)
        --out FILE.json          where the results go
      """;
  }

  public JsonObject toJson() {
    return new JsonObject()
      .put("label", label).put("host", host).put("port", port).put("subscriberPorts", new JsonArray(
        new ArrayList<Object>(subscriberPorts()))).put("path", path)
      .put("subscribers", subscribers).put("address", address)
      .put("publisher", publisher).put("publishAddress", publishAddress())
      .put("body", envelopes ? "envelope" : "plain").put("eventType", eventType).put("campaign", campaign)
      .put("rates", new JsonArray(new ArrayList<Object>(rates)))
      .put("durationS", durationS).put("drainS", drainS).put("quietMs", quietMs)
      .put("checkRate", checkRate).put("checkDurationS", checkDurationS)
      .put("warmupS", warmupS).put("warmupRate", warmupRate)
      .put("stopWhenSaturated", stopWhenSaturated).put("connectConcurrency", connectConcurrency);
  }

  public String label() {
    return label;
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  /** @return the ports subscribers connect to, round-robin */
  public List<Integer> subscriberPorts() {
    return subscriberPorts.isEmpty() ? List.of(port) : subscriberPorts;
  }

  public String path() {
    return path;
  }

  public int subscribers() {
    return subscribers;
  }

  public String address() {
    return address;
  }

  public String publisher() {
    return publisher;
  }

  public String publishAddress() {
    return publishAddress == null ? address : publishAddress;
  }

  public FeedMessages messages() {
    return envelopes ? FeedMessages.envelopes(eventType, campaign) : FeedMessages.plain();
  }

  public List<Integer> rates() {
    return rates;
  }

  public int durationS() {
    return durationS;
  }

  public int drainS() {
    return drainS;
  }

  public int quietMs() {
    return quietMs;
  }

  public double checkRate() {
    return checkRate;
  }

  public int checkDurationS() {
    return checkDurationS;
  }

  public int warmupS() {
    return warmupS;
  }

  public int warmupRate() {
    return warmupRate;
  }

  public boolean stopWhenSaturated() {
    return stopWhenSaturated;
  }

  public int connectConcurrency() {
    return connectConcurrency;
  }

  public long serverPid() {
    return serverPid;
  }

  public int clkTck() {
    return clkTck;
  }

  public String out() {
    return out;
  }
}
