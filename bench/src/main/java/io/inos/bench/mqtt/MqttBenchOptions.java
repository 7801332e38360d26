package io.inos.bench.mqtt;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The options of {@link MqttLoadGenerator}, from {@code --key value} pairs.
 *
 * <p>Workloads: {@code fanin} (P publishers → one topic → 1 subscriber), {@code fanout} (1 publisher → one topic →
 * S subscribers), {@code p2p} (N pairs: publisher i → its own topic → subscriber i). {@code --publish-topic} and
 * {@code --subscribe-topic} split the topic of a one-pair p2p run in two, for a path that leaves MQTT and comes back
 * (the AMQP benchmark: INOS → RabbitMQ → INOS). With {@code --http-port} and {@code --event-type} the one publisher
 * is INOS's REST door instead ({@code POST /api/events}), for a path into the Nexus that is not MQTT.
 */
record MqttBenchOptions(String label, String host, int port, String workload, int publishers, int subscribers,
                        int qos, List<Integer> rates, int durationS, int drainS, int quietMs, double checkRate,
                        int checkDurationS, double warmupRate, int warmupS, long serverPid, int clkTck, String out,
                        String publishTopic, String subscribeTopic, int payloadBytes, int maxInflight,
                        boolean stopWhenSaturated, int httpPort, String eventType) {

  private static final Set<String> WORKLOADS = Set.of("fanin", "fanout", "p2p");

  static MqttBenchOptions parse(String[] args) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("arguments are --key value pairs; '" + args[i] + "' is not");
      }
      m.put(args[i].substring(2), args[++i]);
    }
    String workload = m.getOrDefault("workload", "p2p");
    if (!WORKLOADS.contains(workload)) {
      throw new IllegalArgumentException("--workload is fanin, fanout or p2p, not " + workload);
    }
    int publishers = Integer.parseInt(m.getOrDefault("publishers",
      switch (workload) { case "fanin" -> "100"; case "fanout" -> "1"; default -> "10"; }));
    int subscribers = Integer.parseInt(m.getOrDefault("subscribers",
      switch (workload) { case "fanin" -> "1"; case "fanout" -> "1000"; default -> Integer.toString(publishers); }));
    if (workload.equals("fanin") && subscribers != 1 || workload.equals("fanout") && publishers != 1
      || workload.equals("p2p") && subscribers != publishers) {
      throw new IllegalArgumentException("fanin has 1 subscriber, fanout 1 publisher, p2p as many subscribers as "
        + "publishers");
    }
    String base = m.getOrDefault("topic", "bench/" + workload);
    String pubTopic = m.getOrDefault("publish-topic", base);
    String subTopic = m.getOrDefault("subscribe-topic", base);
    if (!pubTopic.equals(subTopic) && !(workload.equals("p2p") && publishers == 1)) {
      throw new IllegalArgumentException("--publish-topic differing from --subscribe-topic needs --workload p2p "
        + "--publishers 1");
    }
    if (m.containsKey("http-port") != m.containsKey("event-type")
      || m.containsKey("http-port") && !(workload.equals("p2p") && publishers == 1)) {
      throw new IllegalArgumentException("--http-port (INOS's POST /api/events instead of an MQTT publisher) goes with "
        + "--event-type, --workload p2p --publishers 1");
    }
    int qos = Integer.parseInt(m.getOrDefault("qos", "0"));
    if (qos < 0 || qos > 1) {
      throw new IllegalArgumentException("--qos is 0 or 1");
    }
    List<Integer> rates = new ArrayList<>();
    for (String r : m.getOrDefault("rates", "").split(",")) {
      if (!r.isBlank()) {
        rates.add(Integer.parseInt(r.trim()));
      }
    }
    int port = Integer.parseInt(m.getOrDefault("port", "0"));
    if (port <= 0) {
      throw new IllegalArgumentException("--port is required");
    }
    if (m.containsKey("label") && !m.get("label").matches("[A-Za-z0-9_.-]+")) {
      throw new IllegalArgumentException("--label: letters, digits, _ . - only");
    }
    return new MqttBenchOptions(m.getOrDefault("label", "mqtt"), m.getOrDefault("host", "127.0.0.1"), port, workload,
      publishers, subscribers, qos, rates, Integer.parseInt(m.getOrDefault("duration-s", "5")),
      Integer.parseInt(m.getOrDefault("drain-s", "5")), Integer.parseInt(m.getOrDefault("quiet-ms", "1500")),
      Double.parseDouble(m.getOrDefault("check-rate", "0")), Integer.parseInt(m.getOrDefault("check-duration-s", "8")),
      Double.parseDouble(m.getOrDefault("warmup-rate",
        workload.equals("fanout") ? "2" : "100")), Integer.parseInt(m.getOrDefault("warmup-s", "3")),
      Long.parseLong(m.getOrDefault("server-pid", "0")), Integer.parseInt(m.getOrDefault("clk-tck", "100")),
      m.get("out"), pubTopic, subTopic, Integer.parseInt(m.getOrDefault("payload-bytes", "64")),
      Integer.parseInt(m.getOrDefault("max-inflight", "65535")),
      Boolean.parseBoolean(m.getOrDefault("stop-when-saturated", "true")),
      Integer.parseInt(m.getOrDefault("http-port", "0")), m.get("event-type"));
  }

  /** @return how many subscribers receive each message */
  int receiversPerMessage() {
    return workload.equals("fanout") ? subscribers : 1;
  }

  /** @return the publisher that publishes message {@code k} of a step (round robin) */
  int publisherOf(long k) {
    return (int) (k % publishers);
  }

  String topicOfPublisher(int i) {
    return workload.equals("p2p") && publishers > 1 ? publishTopic + "/" + i : publishTopic;
  }

  String topicOfSubscriber(int i) {
    return workload.equals("p2p") && subscribers > 1 ? subscribeTopic + "/" + i : subscribeTopic;
  }

  JsonObject toJson() {
    return new JsonObject().put("label", label).put("workload", workload).put("publishers", publishers)
      .put("subscribers", subscribers).put("qos", qos).put("rates", new JsonArray(new ArrayList<>(rates)))
      .put("durationS", durationS).put("drainS", drainS).put("checkRate", checkRate)
      .put("checkDurationS", checkDurationS).put("warmupRate", warmupRate).put("warmupS", warmupS)
      .put("publishTopic", publishTopic).put("subscribeTopic", subscribeTopic).put("payloadBytes", payloadBytes)
      .put("maxInflight", maxInflight)
      .put("publisher", httpPort > 0 ? "POST /api/events, event type " + eventType : "MQTT");
  }
}
