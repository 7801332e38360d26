package io.inos.nexus;

import io.inos.graceful.Code;
import io.inos.graceful.Outcome;
import io.inos.graceful.OutcomeException;
import io.inos.graceful.Pipeline;
import io.inos.nexus.NexusTesting.Inbox;
import io.inos.nexus.NexusTesting.RecordingJournal;
import io.inos.nexus.impl.NexusImpl;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.inos.nexus.NexusTesting.await;
import static io.inos.nexus.NexusTesting.failureOf;
import static io.inos.nexus.NexusTesting.requested;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The lifecycle the service host runs for each request, on a real Vert.x event bus: {@code :requested} →
 * {@code :started} → the handler → {@code :success} or {@code :failed}, whatever the handler does.
 *
 * <p>Most tests wait on the test thread ({@link NexusTesting#await}); none waits on time except where a time-out
 * is the behaviour under test, and then the deadline is short and nothing is asserted about how long it took.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
class NexusLifecycleTest {

  private static final String CREATE = "campaign:create_campaign:v1:requested";

  private Vertx vertx;
  private RecordingJournal journal;
  private Nexus nexus;

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    this.journal = new RecordingJournal();
    this.nexus = Nexus.create(vertx, new NexusOptions().setJournal(journal));
  }

  private Nexus.ServiceBinding serve(String action, ActionHandler handler) {
    return await(nexus.serve(ServiceDefinition.builder("campaign").action(action, handler).build()));
  }

  private static ActionHandler echoUpperCase() {
    return request -> Future.succeededFuture(new JsonObject()
      .put("name", request.data().getString("name").toUpperCase())
      .put("by", request.userId()));
  }

  @Test
  void aRequestIsStartedThenAnsweredWithTheSameCorrelation(VertxTestContext test) {
    serve("create_campaign", echoUpperCase());
    Inbox startedInbox = await(Inbox.listen(vertx, "campaign:create_campaign:v1:started"));
    Inbox successInbox = await(Inbox.listen(vertx, "campaign:create_campaign:v1:success"));
    Inbox userInbox = await(Inbox.listen(vertx, Addresses.user("u-1")));
    Event request = requested(CREATE, "u-1", new JsonObject().put("name", "autumn"));
    Checkpoint answered = test.checkpoint(4);

    nexus.request(request).onComplete(test.succeeding(success -> {
      test.verify(() -> {
        assertEquals("campaign:create_campaign:v1:success", success.type().toString());
        assertEquals(request.correlationId(), success.correlationId());
        assertEquals(request.id(), success.causationId());
        assertEquals(new JsonObject().put("name", "AUTUMN").put("by", "u-1"), success.data());
        JsonObject payload = success.payload();
        assertEquals("create_campaign", payload.getString("action"));
        assertEquals(request.id(), payload.getString("original_event_id"));
        assertTrue(payload.containsKey("completed_at"));
        JsonObject system = success.metadata().getJsonObject("service_specific").getJsonObject("system");
        assertEquals(1, system.getJsonObject("calculation").getInteger("score"));
        assertEquals(request.id(), system.getString("prev_state_id"));
        assertEquals(success.id(), system.getString("next_state_id"));
        assertEquals("u-1", success.userId());
      });
      answered.flag();

      startedInbox.first(request.correlationId(), EventState.STARTED).onComplete(test.succeeding(started -> {
        test.verify(() -> {
          assertEquals(request.id(), started.causationId());
          assertEquals("create_campaign", started.payload().getString("action"));
          assertEquals(request.id(), started.payload().getString("original_event_id"));
        });
        answered.flag();
      }));
      successInbox.first(request.correlationId(), EventState.SUCCESS).onComplete(test.succeeding(published -> {
        test.verify(() -> assertEquals(success.id(), published.id(), "the published and the returned are one"));
        answered.flag();
      }));
      // the user's scope sees the whole lifecycle except the request itself
      userInbox.first(request.correlationId(), EventState.SUCCESS)
        .compose(s -> userInbox.first(request.correlationId(), EventState.STARTED))
        .onComplete(test.succeeding(started -> {
          test.verify(() -> assertTrue(userInbox.events().stream()
            .noneMatch(e -> e.type().hasState(EventState.REQUESTED))));
          answered.flag();
        }));
    }));
  }

  @Test
  void aHandlerFailureWithAnOutcomeIsFailedWithThatCode() {
    serve("create_campaign", request -> Future.failedFuture(OutcomeException.of(Code.NOT_FOUND, "no such owner")));
    Inbox failedInbox = await(Inbox.listen(vertx, "campaign:create_campaign:v1:failed"));
    Event request = requested(CREATE, "u-1", new JsonObject().put("name", "x"));

    Outcome outcome = failureOf(nexus.request(request));
    assertSame(Code.NOT_FOUND, outcome.code());
    assertEquals("no such owner", outcome.message());

    Event failed = await(failedInbox.first(request.correlationId(), EventState.FAILED));
    assertEquals(request.id(), failed.causationId());
    JsonObject payload = failed.payload();
    assertEquals("NOT_FOUND", payload.getString("code"));
    assertEquals("no such owner", payload.getString("message"));
    assertEquals(request.correlationId(), payload.getString("correlation_id"));
    assertEquals("campaign", payload.getString("service"));
    assertEquals("create_campaign", payload.getString("action"));
    assertEquals("u-1", payload.getString("actor"));
    assertEquals(request.id(), payload.getString("original_event_id"));
    assertEquals(new JsonObject().put("name", "x"), payload.getJsonObject("data"));
    assertEquals(5, payload.getJsonObject("error").getInteger("grpc_code"));
    JsonObject calculation = failed.metadata().getJsonObject("service_specific").getJsonObject("system")
      .getJsonObject("calculation");
    assertEquals(1, calculation.getInteger("error_count"));
  }

  @Test
  void exchangeHandsTheFailedEventItself() {
    serve("create_campaign", request -> Future.failedFuture(OutcomeException.of(Code.ALREADY_EXISTS, "taken")));
    Event request = requested(CREATE, "u-1", new JsonObject());

    Event answer = await(nexus.exchange(request, 5_000));
    assertEquals("campaign:create_campaign:v1:failed", answer.type().toString());
    assertEquals(request.correlationId(), answer.correlationId());
    assertSame(Code.ALREADY_EXISTS, Outcomes.of(answer).code());
  }

  @Test
  void aHandlerThatThrowsIsFailedInternal() {
    serve("create_campaign", request -> {
      throw new NullPointerException("oops");
    });
    assertSame(Code.INTERNAL, failureOf(nexus.request(requested(CREATE, "u-1", new JsonObject()))).code());
  }

  @Test
  void aHandlerThatThrowsIllegalArgumentIsFailedInvalidArgument() {
    serve("create_campaign", request -> {
      throw new IllegalArgumentException("name is required");
    });
    Outcome outcome = failureOf(nexus.request(requested(CREATE, "u-1", new JsonObject())));
    assertSame(Code.INVALID_ARGUMENT, outcome.code());
    assertEquals("name is required", outcome.message());
  }

  @Test
  void aHandlerThatFailsWithAPlainExceptionIsClassified() {
    serve("create_campaign", request -> Future.failedFuture(new IllegalStateException("campaign closed")));
    assertSame(Code.FAILED_PRECONDITION,
      failureOf(nexus.request(requested(CREATE, "u-1", new JsonObject()))).code());
  }

  @Test
  void aHandlerThatReturnsNoFutureIsFailedInternal() {
    serve("create_campaign", request -> null);
    Outcome outcome = failureOf(nexus.request(requested(CREATE, "u-1", new JsonObject())));
    assertSame(Code.INTERNAL, outcome.code());
    assertTrue(outcome.message().contains("returned no future"), outcome.message());
  }

  @Test
  void aHandlerThatSucceedsWithNothingAnswersWithEmptyData() {
    serve("create_campaign", request -> Future.succeededFuture(null));
    Event success = await(nexus.request(requested(CREATE, "u-1", new JsonObject())));
    assertTrue(success.data().isEmpty());
    assertTrue(success.type().hasState(EventState.SUCCESS));
  }

  @Test
  void aHandlerThatNeverAnswersIsFailedAfterTheServiceTimeout() {
    await(nexus.serve(ServiceDefinition.builder("campaign").handlerTimeoutMs(200)
      .action("create_campaign", request -> Promise.<JsonObject>promise().future()).build()));
    Event request = requested(CREATE, "u-1", new JsonObject());

    Outcome outcome = failureOf(nexus.request(request, 10_000));
    assertSame(Code.DEADLINE_EXCEEDED, outcome.code());
    assertTrue(outcome.message().contains("did not finish within 200 ms"), outcome.message());
    assertEquals(List.of("campaign:create_campaign:v1:requested", "campaign:create_campaign:v1:started",
      "campaign:create_campaign:v1:failed"), journal.typesOf(request.correlationId()));
  }

  @Test
  void aHandlerThatNeverAnswersIsFailedWithinTheCallersTimeout() {
    // the host's own bound is far beyond the test's time-out: only the caller's header can end the handler in time
    nexus = Nexus.create(vertx, new NexusOptions().setJournal(journal).setHandlerTimeoutMs(600_000));
    serve("create_campaign", request -> Promise.<JsonObject>promise().future());
    Inbox failedInbox = await(Inbox.listen(vertx, "campaign:create_campaign:v1:failed"));
    Event request = requested(CREATE, "u-1", new JsonObject());

    assertSame(Code.DEADLINE_EXCEEDED, failureOf(nexus.request(request, 300)).code());

    Event failed = await(failedInbox.first(request.correlationId(), EventState.FAILED));
    assertSame(Code.DEADLINE_EXCEEDED, Outcomes.outcomeOf(failed).code());
    assertTrue(Outcomes.outcomeOf(failed).message().contains("within 300 ms"));
  }

  @Test
  void aRequestToAnUnknownServiceIsNotFound() {
    Outcome outcome = failureOf(nexus.request(requested("nobody:do_it:v1:requested", "u-1", new JsonObject())));
    assertSame(Code.NOT_FOUND, outcome.code());
    assertTrue(outcome.message().contains("no service 'nobody'"), outcome.message());
  }

  @Test
  void anUnknownActionOfAKnownServiceIsUnimplemented() {
    serve("create_campaign", echoUpperCase());
    Outcome outcome = failureOf(nexus.request(requested("campaign:delete_campaign:v1:requested", "u-1",
      new JsonObject())));
    assertSame(Code.UNIMPLEMENTED, outcome.code());
    assertTrue(outcome.message().contains("has no action 'delete_campaign'"), outcome.message());
    assertSame(Code.UNIMPLEMENTED, failureOf(nexus.request(requested("campaign:create_campaign:v2:requested", "u-1",
      new JsonObject()))).code(), "another version is another action");
  }

  @Test
  void onlyRequestedEventsCanBeRequests() {
    serve("create_campaign", echoUpperCase());
    for (Event notARequest : List.of(
      Event.builder("campaign:create_campaign:v1:success").build(),
      Event.builder("campaign:create_campaign:v1:started").build(),
      Event.builder("echo").build(),
      Event.builder("campaign:switch:required").build())) {
      Outcome outcome = failureOf(nexus.request(notARequest));
      assertSame(Code.INVALID_ARGUMENT, outcome.code(), notARequest.toString());
      assertTrue(outcome.message().contains("only :requested events"), outcome.message());
    }
    assertSame(Code.INVALID_ARGUMENT, failureOf(nexus.request(requested(CREATE, "u", new JsonObject()), 0)).code());
  }

  @Test
  void aDuplicateIdIsProcessedOnceAndEveryCopyGetsTheSameAnswer() {
    AtomicInteger runs = new AtomicInteger();
    Promise<JsonObject> gate = Promise.promise();
    serve("create_campaign", request -> {
      if (request.data().getBoolean("release", false)) {
        gate.complete(new JsonObject().put("run", "first"));
        return Future.succeededFuture(new JsonObject());
      }
      runs.incrementAndGet();
      return gate.future();
    });
    Event original = requested(CREATE, "u-1", new JsonObject().put("name", "a"));

    // WHEN the original and its duplicate are in flight together; a third request, delivered after both on the same
    // inbox, lets the first finish, so the duplicate certainly arrived while the original was running
    Future<Event> first = nexus.request(original);
    Future<Event> inFlightDuplicate = nexus.request(original);
    await(nexus.request(requested(CREATE, "u-1", new JsonObject().put("release", true))));

    // THEN both get the one answer
    Event answer = await(first);
    assertEquals(answer.id(), await(inFlightDuplicate).id());
    assertEquals("first", answer.data().getString("run"));

    // AND a copy that comes after the answer gets it too, in the form it asked in
    assertEquals(answer.id(), await(nexus.request(original)).id());
    JsonObject overJson = (JsonObject) await(vertx.eventBus().request(CREATE, original.toJson())).body();
    assertEquals(answer.id(), overJson.getString("id"));
    assertEquals(1, runs.get());
    assertEquals(1, journal.typesOf(original.correlationId()).stream()
      .filter(t -> t.endsWith(":success")).count(), "the ledger saw one outcome");
  }

  @Test
  void aDuplicateWhoseAnswerIsNoLongerKeptIsRefusedNotProcessedAgain() {
    Nexus keepsOne = Nexus.create(vertx, new NexusOptions().setDuplicateAnswerCapacity(1));
    AtomicInteger runs = new AtomicInteger();
    await(keepsOne.serve(ServiceDefinition.builder("campaign").action("create_campaign", request -> {
      runs.incrementAndGet();
      return Future.succeededFuture(new JsonObject());
    }).build()));
    Event first = requested(CREATE, "u-1", new JsonObject());
    Event answer = await(keepsOne.request(first));

    // WHEN a later request takes the one place for answers, and then the first one comes again
    await(keepsOne.request(requested(CREATE, "u-1", new JsonObject())));
    Outcome outcome = failureOf(keepsOne.request(first));

    // THEN it is refused, naming the answer it had, and its handler did not run again
    assertSame(Code.ALREADY_EXISTS, outcome.code());
    assertEquals(answer.id(), outcome.context().getString("answer_id"));
    assertEquals("OK", outcome.context().getString("answer_code"));
    assertTrue(outcome.message().contains("already processed"), outcome.message());
    assertEquals(2, runs.get());
  }

  @Test
  void anIdThatComesAgainAfterItsWindowIsProcessedAgain() {
    Nexus shortWindow = Nexus.create(vertx, new NexusOptions().setDuplicateWindowMs(20));
    AtomicInteger runs = new AtomicInteger();
    await(shortWindow.serve(ServiceDefinition.builder("campaign").action("create_campaign", request ->
      Future.succeededFuture(new JsonObject().put("run", runs.incrementAndGet()))).build()));
    Event request = requested(CREATE, "u-1", new JsonObject());
    assertEquals(1, await(shortWindow.request(request)).data().getInteger("run"));

    // the same id again until the window has passed (each copy inside the window gets the first answer)
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(NexusTesting.WAIT_SECONDS);
    int run = 1;
    while (run == 1 && System.nanoTime() < deadline) {
      run = await(shortWindow.request(request)).data().getInteger("run");
    }
    assertEquals(2, run, "processed again once its window had passed");
  }

  @Test
  void anIdReusedByAnotherRequestIsRefusedNotAnsweredWithSomeoneElsesResult() {
    AtomicInteger runs = new AtomicInteger();
    serve("create_campaign", request -> {
      runs.incrementAndGet();
      return Future.succeededFuture(new JsonObject().put("secret", "of " + request.userId()));
    });
    Event mine = requested(CREATE, "u-1", new JsonObject());
    await(nexus.request(mine));

    Event theirs = Event.builder(CREATE).id(mine.id()).globalContext("user_id", "u-2").build();
    Outcome outcome = failureOf(nexus.request(theirs));
    assertSame(Code.ALREADY_EXISTS, outcome.code());
    assertEquals(1, runs.get());
  }

  @Test
  void aJsonBodySentOnTheBusGetsAJsonAnswer() {
    serve("create_campaign", echoUpperCase());
    Event request = requested(CREATE, "u-1", new JsonObject().put("name", "json"));

    Message<Object> reply = await(vertx.eventBus().request(CREATE, request.toJson()));

    JsonObject answer = assertInstanceOf(JsonObject.class, reply.body());
    assertEquals("campaign:create_campaign:v1:success", answer.getString("type"));
    assertEquals(request.correlationId(), answer.getString("correlation_id"));
    assertEquals("JSON", answer.getJsonObject("payload").getJsonObject("data").getString("name"));
    assertEquals("OK", reply.headers().get(NexusImpl.OUTCOME_HEADER));
  }

  @Test
  void aFailureToAJsonSenderIsAJsonFailedEvent() {
    serve("create_campaign", request -> Future.failedFuture(OutcomeException.of(Code.PERMISSION_DENIED, "no")));
    Message<Object> reply = await(vertx.eventBus().request(CREATE,
      requested(CREATE, "u-1", new JsonObject()).toJson().encode()));
    JsonObject answer = assertInstanceOf(JsonObject.class, reply.body());
    assertEquals("campaign:create_campaign:v1:failed", answer.getString("type"));
    assertEquals("PERMISSION_DENIED", reply.headers().get(NexusImpl.OUTCOME_HEADER));
  }

  @Test
  void aMalformedBodyIsRefusedAndTheServiceKeepsServing() {
    serve("create_campaign", echoUpperCase());

    for (Object bad : List.of(new JsonObject().put("type", "Campaign:x"), "{not json", new JsonArray().add(1),
      new JsonObject().put("type", CREATE).put("payload", "text"),
      new JsonObject().put("type", "campaign:delete_campaign:v1:requested"))) {
      ReplyException refused = assertThrows(ReplyException.class,
        () -> await(vertx.eventBus().request(CREATE, bad)), String.valueOf(bad));
      assertSame(ReplyFailure.RECIPIENT_FAILURE, refused.failureType());
      assertEquals(Code.INVALID_ARGUMENT.grpcStatus(), refused.failureCode());
    }

    Event success = await(nexus.request(requested(CREATE, "u-1", new JsonObject().put("name", "still here"))));
    assertEquals("STILL HERE", success.data().getString("name"));
  }

  @Test
  void theJournalRecordsEveryStepOfEveryRequest() {
    serve("create_campaign", request -> request.data().getBoolean("fail", false)
      ? Future.failedFuture(OutcomeException.of(Code.ABORTED, "conflict"))
      : Future.succeededFuture(new JsonObject()));
    Event good = requested(CREATE, "u-1", new JsonObject());
    Event bad = requested(CREATE, "u-1", new JsonObject().put("fail", true));

    await(nexus.request(good));
    failureOf(nexus.request(bad));

    assertEquals(List.of("campaign:create_campaign:v1:requested", "campaign:create_campaign:v1:started",
      "campaign:create_campaign:v1:success"), journal.typesOf(good.correlationId()));
    assertEquals(List.of("campaign:create_campaign:v1:requested", "campaign:create_campaign:v1:started",
      "campaign:create_campaign:v1:failed"), journal.typesOf(bad.correlationId()));
    Event recorded = journal.events.stream().filter(e -> e.correlationId().equals(bad.correlationId())
      && e.type().hasState(EventState.FAILED)).findFirst().orElseThrow();
    assertSame(Code.ABORTED, Outcomes.outcomeOf(recorded).code());
  }

  @Test
  void aJournalThatThrowsDoesNotStopTheRequest() {
    nexus = Nexus.create(vertx, new NexusOptions().setJournal(event -> {
      throw new IllegalStateException("disk full");
    }));
    serve("create_campaign", echoUpperCase());
    Event success = await(nexus.request(requested(CREATE, "u-1", new JsonObject().put("name", "a"))));
    assertEquals("A", success.data().getString("name"));
  }

  @Test
  void aServiceChangesItsOwnPipelineOnly() {
    List<String> probed = new CopyOnWriteArrayList<>();
    await(nexus.serve(ServiceDefinition.builder("quiet")
      .action("ping", request -> Future.succeededFuture(new JsonObject()))
      .pipeline(p -> p.disable(Pipeline.LEDGER)
        .replace(Pipeline.METRICS, ctx -> {
          probed.add("metrics:" + ctx.outcome().code());
          return Future.succeededFuture();
        }))
      .build()));
    serve("create_campaign", echoUpperCase());

    Event quiet = await(nexus.request(requested("quiet:ping:v1:requested", "u-1", new JsonObject())));
    Event loud = await(nexus.request(requested(CREATE, "u-1", new JsonObject().put("name", "a"))));

    assertEquals(List.of("quiet:ping:v1:requested", "quiet:ping:v1:started"), journal.typesOf(quiet.correlationId()),
      "no ledger record of the outcome");
    assertEquals(List.of("metrics:OK"), probed);
    assertEquals(3, journal.typesOf(loud.correlationId()).size(), "the other service keeps the default pipeline");
    assertEquals(List.of(Pipeline.METADATA, Pipeline.EMIT, Pipeline.LOG, Pipeline.METRICS, Pipeline.LEDGER),
      nexus.pipeline().names());
  }

  @Test
  void aServiceWhosePipelineChangeFailsIsNotServed() {
    Future<Nexus.ServiceBinding> serving = nexus.serve(ServiceDefinition.builder("broken")
      .action("ping", request -> Future.succeededFuture(new JsonObject()))
      .pipeline(p -> p.replace("no-such-hook", ctx -> Future.succeededFuture()))
      .build());
    assertThrows(IllegalArgumentException.class, () -> await(serving));
    assertSame(Code.NOT_FOUND, failureOf(nexus.request(requested("broken:ping:v1:requested", "u", new JsonObject())))
      .code());
  }

  @Test
  void closingStopsTakingRequestsAndWaitsForTheRunningOnes() {
    AtomicInteger runs = new AtomicInteger();
    Promise<Void> running = Promise.promise();
    Promise<JsonObject> gate = Promise.promise();
    Nexus.ServiceBinding binding = serve("create_campaign", request -> {
      runs.incrementAndGet();
      running.tryComplete();
      return gate.future();
    });
    Future<Event> inFlight = nexus.request(requested(CREATE, "u-1", new JsonObject()));
    await(running.future());

    Future<Void> closed = binding.close();

    Outcome refused = failureOf(nexus.request(requested(CREATE, "u-1", new JsonObject())));
    assertTrue(Set.of(Code.NOT_FOUND, Code.UNAVAILABLE).contains(refused.code()), refused.toString());
    assertFalse(closed.isComplete(), "a request is still running");
    assertSame(closed, binding.close(), "closing twice is closing once");

    gate.complete(new JsonObject().put("done", true));
    assertTrue(await(inFlight).data().getBoolean("done"));
    await(closed);
    assertEquals(1, runs.get());
    assertSame(Code.NOT_FOUND, failureOf(nexus.request(requested(CREATE, "u-1", new JsonObject()))).code());
  }

  @Test
  void aServiceServedOutsideAVertxThreadRunsAllItsActionsOnOneContext() {
    List<Context> contexts = new CopyOnWriteArrayList<>();
    ActionHandler recordContext = request -> {
      contexts.add(Vertx.currentContext());
      return Future.succeededFuture(new JsonObject());
    };
    await(nexus.serve(ServiceDefinition.builder("campaign").action("a", recordContext).action("b", recordContext)
      .action("c", recordContext).build()));

    for (String action : List.of("a", "b", "c", "a")) {
      await(nexus.request(requested("campaign:" + action + ":v1:requested", "u-1", new JsonObject())));
    }
    assertEquals(4, contexts.size());
    // handlers run on duplicates of their consumer's context; the consumer's own context is what must be shared
    assertEquals(1, contexts.stream().map(c -> ((ContextInternal) c).unwrap()).distinct().count(),
      "one context: " + contexts);
  }

  @Test
  void aServiceServedByAVerticleStopsWhenTheVerticleIsUndeployed() {
    String deployment = await(vertx.deployVerticle(new VerticleBase() {
      @Override
      public Future<?> start() {
        return Nexus.create(vertx).serve(ServiceDefinition.builder("campaign")
          .action("create_campaign", echoUpperCase()).build());
      }
    }));
    assertEquals("A", await(nexus.request(requested(CREATE, "u-1", new JsonObject().put("name", "a"))))
      .data().getString("name"));

    await(vertx.undeploy(deployment));

    assertSame(Code.NOT_FOUND, failureOf(nexus.request(requested(CREATE, "u-1", new JsonObject()))).code());
  }

  @Test
  void healthIsAnsweredByTheHost() {
    serve("create_campaign", echoUpperCase());
    Event health = await(nexus.request(requested("campaign:health:v1:requested", "u-1", new JsonObject())));
    JsonObject status = health.data();
    assertEquals("UP", status.getString("status"));
    assertEquals("campaign", status.getString("service"));
    assertEquals(new JsonArray().add("create_campaign"), status.getJsonArray("actions"));
  }

  @Test
  void aPublishedRequestIsProcessedAndItsOutcomePublished() {
    serve("create_campaign", echoUpperCase());
    Inbox userInbox = await(Inbox.listen(vertx, Addresses.user("u-9")));
    Event request = requested(CREATE, "u-9", new JsonObject().put("name", "fire and forget"));

    nexus.publish(request);

    Event success = await(userInbox.first(request.correlationId(), EventState.SUCCESS));
    assertEquals("FIRE AND FORGET", success.data().getString("name"));
  }

  @Test
  void outcomesAreTimedWhenARegistryIsGiven() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    nexus = Nexus.create(vertx, new NexusOptions().setMeterRegistry(registry));
    serve("create_campaign", request -> request.data().containsKey("name")
      ? Future.succeededFuture(new JsonObject())
      : Future.failedFuture(OutcomeException.of(Code.INVALID_ARGUMENT, "name missing")));

    await(nexus.request(requested(CREATE, "u-1", new JsonObject().put("name", "a"))));
    await(nexus.request(requested(CREATE, "u-1", new JsonObject().put("name", "b"))));
    failureOf(nexus.request(requested(CREATE, "u-1", new JsonObject())));

    assertEquals(2, registry.get("inos.outcomes").tag("service", "campaign").tag("code", "OK").timer().count());
    assertEquals(1, registry.get("inos.outcomes").tag("code", "INVALID_ARGUMENT").timer().count());
  }

  @Test
  void twoNexusInstancesShareOneVertx() {
    Nexus other = Nexus.create(vertx);
    serve("create_campaign", echoUpperCase());
    Event success = await(other.request(requested(CREATE, "u-1", new JsonObject().put("name", "shared"))));
    assertEquals("SHARED", success.data().getString("name"));
    assertNotEquals(nexus, other);
  }

  @Test
  void theAnswerCarriesTheOutcomeOfARejectedPayload() {
    serve("create_campaign", request -> Future.failedFuture(OutcomeException.of(Code.OUT_OF_RANGE, "budget")));
    OutcomeException e = assertThrows(OutcomeException.class,
      () -> await(nexus.request(requested(CREATE, "u-1", new JsonObject()))));
    assertEquals(Code.OUT_OF_RANGE.httpStatus(), e.code().httpStatus());
    assertTrue(e.outcome().context().containsKey("event_id"), "the failure points at its :failed event");
  }
}
