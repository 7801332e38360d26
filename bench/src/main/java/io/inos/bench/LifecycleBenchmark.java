package io.inos.bench;

import io.inos.nexus.Event;
import io.inos.nexus.EventState;
import io.inos.nexus.Nexus;
import io.inos.nexus.NexusOptions;
import io.inos.nexus.ServiceDefinition;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.util.concurrent.TimeUnit;

/**
 * One request/reply round trip, bare Vert.x against the Nexus lifecycle, measured the same way (see
 * {@link RoundTrips}): average time per round trip, {@value RoundTrips#BATCH} requests outstanding per invocation,
 * caller and service on the same event-loop context (so no cross-thread wake-up is counted, only the work).
 *
 * <ul>
 *   <li>{@link #bareRequestReply}: {@code eventBus().request(address, JsonObject)} to a consumer that replies with
 *   the body, the peer every Vert.x application has;</li>
 *   <li>{@link #nexusRequest}: {@code nexus.request(event)} through the whole lifecycle: the {@code :requested}
 *   event is built (it needs a fresh id), {@code :started} published, the echo handler run, {@code :success}
 *   made and emitted through the graceful pipeline (metadata normalised, log, a journal that keeps nothing);</li>
 *   <li>{@link #nexusRequestMetered}: the same with the metrics hook on (a {@code SimpleMeterRegistry}).</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class LifecycleBenchmark {

  private static final String PEER_ADDRESS = "bench.peer.echo";

  /** A verticle whose context the round trips run on; {@code start} registers the service on that context. */
  private abstract static class Host extends VerticleBase {
    Context context() {
      return context;
    }
  }

  /** The bare Vert.x peer: a consumer that replies with the body it got. */
  @State(Scope.Benchmark)
  public static class BarePeer {
    Vertx vertx;
    Host host;
    JsonObject body;

    @Setup
    public void setUp() throws Exception {
      vertx = Vertx.vertx();
      body = SampleEvents.data();
      host = new Host() {
        @Override
        public Future<?> start() {
          return vertx.eventBus().<JsonObject>consumer(PEER_ADDRESS, msg -> msg.reply(msg.body())).completion();
        }
      };
      vertx.deployVerticle(host).await(10, TimeUnit.SECONDS);
      Object echoed = vertx.eventBus().request(PEER_ADDRESS, body).await(10, TimeUnit.SECONDS).body();
      if (!body.equals(echoed)) {
        throw new IllegalStateException("the peer did not echo the body: " + echoed);
      }
    }

    Future<?> roundTrip() {
      return vertx.eventBus().request(PEER_ADDRESS, body);
    }

    @TearDown
    public void tearDown() throws Exception {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  /** A Nexus serving {@code bench:echo:v1}, whose one action answers with the request's data. */
  public abstract static class NexusPeer {
    Vertx vertx;
    Host host;
    Nexus nexus;
    JsonObject metadata;
    JsonObject data;

    void open(NexusOptions options) throws Exception {
      vertx = Vertx.vertx();
      metadata = SampleEvents.metadata();
      data = SampleEvents.data();
      host = new Host() {
        @Override
        public Future<?> start() {
          nexus = Nexus.create(vertx, options);
          return nexus.serve(ServiceDefinition.builder("bench")
            .action("echo", req -> Future.succeededFuture(req.data()))
            .build());
        }
      };
      vertx.deployVerticle(host).await(10, TimeUnit.SECONDS);
      Event answer = roundTrip().await(10, TimeUnit.SECONDS);
      if (!answer.type().hasState(EventState.SUCCESS) || !data.equals(answer.data())) {
        throw new IllegalStateException("the service did not echo the data: " + answer.toJson());
      }
    }

    /** Every request is a new event: the Nexus answers a repeated event id only once. */
    Future<Event> roundTrip() {
      return nexus.request(SampleEvents.requested(metadata, data).build());
    }

    @TearDown
    public void tearDown() throws Exception {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  /**
   * The Nexus options every Nexus peer starts from: the defaults. For diagnosis only, the system properties
   * {@value #DUPLICATE_CAPACITY_PROPERTY} and {@value #DUPLICATE_ANSWER_CAPACITY_PROPERTY} change how many ids and
   * answers the duplicate filter keeps (e.g. no answers, to see what keeping them costs); the published figures
   * never set them.
   */
  static NexusOptions baseOptions() {
    NexusOptions options = new NexusOptions();
    Integer capacity = Integer.getInteger(DUPLICATE_CAPACITY_PROPERTY);
    if (capacity != null) {
      options.setDuplicateCapacity(capacity);
    }
    Integer answers = Integer.getInteger(DUPLICATE_ANSWER_CAPACITY_PROPERTY);
    if (answers != null) {
      options.setDuplicateAnswerCapacity(answers);
    }
    return options;
  }

  static final String DUPLICATE_CAPACITY_PROPERTY = "bench.nexus.duplicateCapacity";
  static final String DUPLICATE_ANSWER_CAPACITY_PROPERTY = "bench.nexus.duplicateAnswerCapacity";

  /** The Nexus with its default options: no metrics, a journal that keeps nothing. */
  @State(Scope.Benchmark)
  public static class PlainNexusPeer extends NexusPeer {
    @Setup
    public void setUp() throws Exception {
      open(baseOptions());
    }
  }

  /** The Nexus with the metrics hook on. */
  @State(Scope.Benchmark)
  public static class MeteredNexusPeer extends NexusPeer {
    @Setup
    public void setUp() throws Exception {
      open(baseOptions().setMeterRegistry(new SimpleMeterRegistry()));
    }
  }

  @Benchmark
  @OperationsPerInvocation(RoundTrips.BATCH)
  public void bareRequestReply(BarePeer peer) throws Exception {
    RoundTrips.run(peer.host.context(), RoundTrips.BATCH, peer::roundTrip);
  }

  @Benchmark
  @OperationsPerInvocation(RoundTrips.BATCH)
  public void nexusRequest(PlainNexusPeer peer) throws Exception {
    RoundTrips.run(peer.host.context(), RoundTrips.BATCH, peer::roundTrip);
  }

  @Benchmark
  @OperationsPerInvocation(RoundTrips.BATCH)
  public void nexusRequestMetered(MeteredNexusPeer peer) throws Exception {
    RoundTrips.run(peer.host.context(), RoundTrips.BATCH, peer::roundTrip);
  }
}
