package io.inos.bench.mqtt;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.VertxInternal;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;

/**
 * The generator's MQTT 3.1.1 connections (vertx-mqtt's client): publishers, all on one event loop (the one the
 * {@link io.inos.bench.fanout.Pacer} runs on, so a publish is a plain call on the connection's own thread), and subscribers spread
 * over every event loop of the generator.
 */
final class MqttClients {

  /** What a subscriber does with each message it receives: called on its event loop. */
  interface Sink {
    void onMessage(int subscriber, Buffer payload, long nowNs);
  }

  private final Vertx vertx;
  private final String host;
  private final int port;
  private final String idPrefix;
  final Context publisherContext;
  private final List<MqttClient> publishers = new ArrayList<>();
  private final List<String> publisherTopics = new ArrayList<>();
  private final List<MqttClient> subscribers = new ArrayList<>();
  private final LongAdder unexpectedCloses = new LongAdder();
  private final LongAdder publishErrors = new LongAdder();
  private final AtomicReference<String> firstPublishError = new AtomicReference<>();
  private volatile boolean closing;
  private io.vertx.core.http.HttpClient http;
  private String eventType;
  private MqttQoS qos = MqttQoS.AT_MOST_ONCE;

  MqttClients(Vertx vertx, String host, int port, String idPrefix) {
    this.vertx = vertx;
    this.host = host;
    this.port = port;
    this.idPrefix = idPrefix;
    this.publisherContext = ((VertxInternal) vertx).createEventLoopContext();
  }

  /** Connects {@code n} publishers, publisher i to publish on {@code topicOf(i)}. */
  Future<Void> openPublishers(int n, IntFunction<String> topicOf, int qos, int maxInflight) {
    this.qos = MqttQoS.valueOf(qos);
    Promise<Void> done = Promise.promise();
    publisherContext.runOnContext(v -> {
      List<Future<?>> connects = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        MqttClient client = MqttClient.create(vertx, options(idPrefix + "-pub-" + i).setMaxInflightQueue(maxInflight));
        client.closeHandler(x -> closed());
        publishers.add(client);
        publisherTopics.add(topicOf.apply(i));
        connects.add(client.connect(port, host).compose(this::accepted));
      }
      Future.all(connects).<Void>mapEmpty().onComplete(done);
    });
    return done.future();
  }

  /**
   * Connects {@code n} subscribers, {@code concurrency} at a time, each on the next event loop, and subscribes
   * subscriber i to {@code topicOf(i)} with {@code qos}; completes once every SUBACK granted it.
   */
  Future<Void> openSubscribers(int n, IntFunction<String> topicOf, int qos, Sink sink, int concurrency) {
    List<Context> contexts = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      contexts.add(((VertxInternal) vertx).createEventLoopContext());
      subscribers.add(null);
    }
    Promise<Void> done = Promise.promise();
    int[] next = {0};
    int[] finished = {0};
    Context control = ((VertxInternal) vertx).createEventLoopContext();
    control.runOnContext(v -> {
      Runnable[] launch = new Runnable[1];
      launch[0] = () -> {
        if (next[0] >= n) {
          return;
        }
        int i = next[0]++;
        Promise<Void> one = Promise.promise();
        contexts.get(i).runOnContext(x -> {
          MqttClient client = MqttClient.create(vertx, options(idPrefix + "-sub-" + i));
          subscribers.set(i, client);
          client.publishHandler(msg -> sink.onMessage(i, msg.payload(), System.nanoTime()));
          client.closeHandler(y -> closed());
          String topic = topicOf.apply(i);
          client.connect(port, host).compose(this::accepted)
            .compose(c -> {
              Promise<Void> granted = Promise.promise();
              client.subscribeCompletionHandler(ack -> {
                int code = ack.grantedQoSLevels().isEmpty() ? 0x80 : ack.grantedQoSLevels().get(0);
                if (code == 0x80) {
                  granted.tryFail("SUBACK refused " + topic);
                } else {
                  granted.tryComplete();
                }
              });
              return client.subscribe(topic, qos).compose(id -> granted.future());
            })
            .onComplete(one);
        });
        one.future().onComplete(ar -> control.runOnContext(y -> {
          if (ar.failed()) {
            done.tryFail(new IllegalStateException("subscriber " + i + ": " + ar.cause().getMessage(), ar.cause()));
            return;
          }
          if (++finished[0] == n) {
            done.tryComplete();
          } else {
            launch[0].run();
          }
        }));
      };
      for (int k = 0; k < Math.min(concurrency, n); k++) {
        launch[0].run();
      }
    });
    return done.future();
  }

  /**
   * Instead of MQTT publishers: INOS's REST door, {@code POST /api/events} of event envelopes of {@code eventType}
   * whose {@code payload.data} is the message, over up to {@code connections} keep-alive connections.
   */
  Future<Void> openHttpPublisher(int httpPort, String eventType, int connections) {
    this.eventType = eventType;
    Promise<Void> done = Promise.promise();
    publisherContext.runOnContext(v -> {
      http = vertx.createHttpClient(new io.vertx.core.http.HttpClientOptions().setKeepAlive(true)
        .setDefaultHost(host).setDefaultPort(httpPort), new io.vertx.core.http.PoolOptions()
        .setHttp1MaxSize(connections));
      done.complete();
    });
    return done.future();
  }

  /** POSTs message {@code payload} as the data of an event envelope; call it on {@link #publisherContext}. */
  void publishHttp(Buffer payload) {
    String body = "{\"type\":\"" + eventType + "\",\"source\":\"bench\",\"payload\":{\"data\":" + payload + "}}";
    http.request(new io.vertx.core.http.RequestOptions().setMethod(io.vertx.core.http.HttpMethod.POST)
        .setURI("/api/events").putHeader("content-type", "application/json"))
      .compose(req -> req.send(body))
      .compose(resp -> resp.body().map(answer -> {
        if (resp.statusCode() != 202) {
          throw new IllegalStateException("POST /api/events answered " + resp.statusCode() + ": " + answer);
        }
        return null;
      }))
      .onFailure(err -> {
        publishErrors.increment();
        firstPublishError.compareAndSet(null, err.toString());
      });
  }

  /** Publishes {@code payload} by publisher {@code index} to its topic; call it on {@link #publisherContext}. */
  void publish(int index, Buffer payload) {
    publishers.get(index).publish(publisherTopics.get(index), payload, qos, false, false)
      .onFailure(err -> {
        publishErrors.increment();
        firstPublishError.compareAndSet(null, err.toString());
      });
  }

  private Future<Void> accepted(io.vertx.mqtt.messages.MqttConnAckMessage ack) {
    return ack.code().byteValue() == 0 ? Future.succeededFuture()
      : Future.failedFuture("CONNACK " + ack.code());
  }

  private MqttClientOptions options(String clientId) {
    MqttClientOptions o = new MqttClientOptions().setClientId(clientId).setCleanSession(true)
      .setKeepAliveInterval(120).setAutoKeepAlive(true).setMaxMessageSize(256 * 1024);
    o.setConnectTimeout(30_000);
    return o;
  }

  private void closed() {
    if (!closing) {
      unexpectedCloses.increment();
    }
  }

  long unexpectedCloses() {
    return unexpectedCloses.sum();
  }

  long publishErrors() {
    return publishErrors.sum();
  }

  String firstPublishError() {
    return firstPublishError.get();
  }

  long openSubscribers() {
    return subscribers.stream().filter(c -> c != null && c.isConnected()).count();
  }

  Future<Void> close() {
    closing = true;
    List<Future<?>> all = new ArrayList<>();
    publisherContext.runOnContext(v -> publishers.forEach(c -> {
      if (c.isConnected()) {
        c.disconnect();
      }
    }));
    for (MqttClient c : subscribers) {
      if (c != null && c.isConnected()) {
        all.add(c.disconnect().recover(err -> Future.succeededFuture()));
      }
    }
    return Future.all(all).mapEmpty();
  }
}
