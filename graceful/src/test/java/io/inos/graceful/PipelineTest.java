package io.inos.graceful;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(VertxExtension.class)
@Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
class PipelineTest {

  private final List<String> ran = new CopyOnWriteArrayList<>();

  private OutcomeHook recording(String name) {
    return ctx -> {
      ran.add(name);
      return Future.succeededFuture();
    };
  }

  private Pipeline standard() {
    return Pipeline.standard(recording("metadata"), recording("emit"), recording("log"), recording("metrics"),
      recording("ledger"));
  }

  private static OutcomeContext success() {
    return OutcomeContext.builder("campaign", "create_campaign", Outcome.success(null)).correlationId("c-1").build();
  }

  private static OutcomeContext failure() {
    return OutcomeContext.builder("campaign", "create_campaign", Outcome.failure(Code.NOT_FOUND, "no"))
      .correlationId("c-2").build();
  }

  @Test
  void runsTheStandardOrderOnSuccess() {
    Pipeline pipeline = standard();
    OutcomeContext ctx = pipeline.run(success()).result();
    List<String> expected = List.of("metadata", "emit", "log", "metrics", "ledger");
    assertEquals(expected, ran);
    assertEquals(expected, pipeline.order(Outcome.success(null)));
    assertTrue(ctx.hookFailures().isEmpty());
  }

  @Test
  void runsTheStandardOrderOnFailure() {
    Pipeline pipeline = standard();
    pipeline.run(failure());
    List<String> expected = List.of("metadata", "emit", "log", "metrics", "ledger");
    assertEquals(expected, ran);
    assertEquals(expected, pipeline.order(Outcome.failure(Code.INTERNAL, "x")));
  }

  @Test
  void successOnlyAndFailureOnlyHooksRunOnTheirPath() {
    Pipeline pipeline = standard()
      .addSuccess("cache", recording("cache"))
      .addFailure("alert", recording("alert"));

    pipeline.run(success());
    assertEquals(List.of("metadata", "emit", "log", "metrics", "ledger", "cache"), ran);
    ran.clear();
    pipeline.run(failure());
    assertEquals(List.of("metadata", "emit", "log", "metrics", "ledger", "alert"), ran);
    assertEquals(List.of("metadata", "emit", "log", "metrics", "ledger", "cache", "alert"), pipeline.names());
  }

  @Test
  void replacesAHookInPlaceOnBothPaths() {
    Pipeline original = standard();
    Pipeline replaced = original.replace(Pipeline.LOG, recording("my-log"));

    replaced.run(success());
    assertEquals(List.of("metadata", "emit", "my-log", "metrics", "ledger"), ran);
    ran.clear();
    replaced.run(failure());
    assertEquals(List.of("metadata", "emit", "my-log", "metrics", "ledger"), ran);
    ran.clear();
    original.run(success());
    assertEquals(List.of("metadata", "emit", "log", "metrics", "ledger"), ran, "the original is unchanged");
    assertThrows(IllegalArgumentException.class, () -> original.replace("nope", recording("x")));
  }

  @Test
  void disablesAHookOnBothPaths() {
    Pipeline pipeline = standard().disable(Pipeline.METRICS).disable(Pipeline.EMIT);

    pipeline.run(success());
    assertEquals(List.of("metadata", "log", "ledger"), ran);
    ran.clear();
    pipeline.run(failure());
    assertEquals(List.of("metadata", "log", "ledger"), ran);
    assertEquals(List.of("metadata", "log", "ledger"), pipeline.names());
    assertEquals(pipeline.names(), pipeline.disable("nothing-of-that-name").names());
  }

  @Test
  void addsHooksAtTheEndOrBeforeOrAfterAnother() {
    Pipeline pipeline = standard()
      .add("audit", recording("audit"))
      .addBefore(Pipeline.EMIT, "cache", recording("cache"))
      .addAfter(Pipeline.METADATA, "graph", recording("graph"));

    pipeline.run(success());
    assertEquals(List.of("metadata", "graph", "cache", "emit", "log", "metrics", "ledger", "audit"), ran);
    ran.clear();
    pipeline.run(failure());
    assertEquals(List.of("metadata", "graph", "cache", "emit", "log", "metrics", "ledger", "audit"), ran);

    ran.clear();
    pipeline.add("audit", recording("audit-2")).run(success());
    assertEquals(List.of("metadata", "graph", "cache", "emit", "log", "metrics", "ledger", "audit-2"), ran,
      "adding under an existing name replaces that hook");
    assertThrows(IllegalArgumentException.class, () -> pipeline.addBefore("nope", "x", recording("x")));
  }

  @Test
  void aThrowingOrFailingHookDoesNotStopTheRest() {
    IllegalStateException thrown = new IllegalStateException("hook threw");
    RuntimeException failed = new RuntimeException("hook failed");
    Pipeline pipeline = standard()
      .replace(Pipeline.EMIT, ctx -> {
        ran.add("emit");
        throw thrown;
      })
      .replace(Pipeline.LOG, ctx -> {
        ran.add("log");
        return Future.failedFuture(failed);
      })
      .replace(Pipeline.METRICS, ctx -> {
        ran.add("metrics");
        return null;
      })
      .addAfter(Pipeline.METRICS, "assertion", ctx -> {
        ran.add("assertion");
        throw new AssertionError("even an Error");
      });

    Future<OutcomeContext> run = pipeline.run(failure());

    assertTrue(run.succeeded());
    assertEquals(List.of("metadata", "emit", "log", "metrics", "assertion", "ledger"), ran);
    OutcomeContext ctx = run.result();
    assertEquals(List.of("emit", "log", "assertion"), List.copyOf(ctx.hookFailures().keySet()));
    assertEquals(thrown, ctx.hookFailures().get("emit"));
    assertEquals(failed, ctx.hookFailures().get("log"));
  }

  @Test
  void asyncHooksRunInOrderEachAfterThePreviousCompleted(Vertx vertx, VertxTestContext test) {
    OutcomeHook slow = ctx -> {
      ran.add("slow:start");
      Promise<Void> done = Promise.promise();
      vertx.setTimer(50, t -> {
        ran.add("slow:end");
        done.complete();
      });
      return done.future();
    };
    OutcomeHook failingLater = ctx -> {
      ran.add("failing:start");
      Promise<Void> done = Promise.promise();
      vertx.setTimer(10, t -> done.fail("later"));
      return done.future();
    };
    Pipeline pipeline = Pipeline.empty()
      .add("slow", slow)
      .add("sync", recording("sync"))
      .add("failing", failingLater)
      .add("fromOtherThread", ctx -> vertx.executeBlocking(() -> {
        ran.add("blocking");
        return null;
      }))
      .add("last", recording("last"));

    pipeline.run(success()).onComplete(test.succeeding(ctx -> test.verify(() -> {
      assertEquals(List.of("slow:start", "slow:end", "sync", "failing:start", "blocking", "last"), ran);
      assertEquals(List.of("failing"), List.copyOf(ctx.hookFailures().keySet()));
      test.completeNow();
    })));
  }

  @Test
  void aHookThatNeverCompletesIsLeftBehindAfterTheHookTimeout(VertxTestContext test) {
    Pipeline pipeline = Pipeline.empty()
      .add("stuck", ctx -> {
        ran.add("stuck");
        return Promise.<Void>promise().future();
      })
      .add("after", recording("after"))
      .withHookTimeout(100);

    assertEquals(100, pipeline.hookTimeoutMs());
    assertEquals(100, pipeline.disable("after").hookTimeoutMs(), "changes keep the bound");
    pipeline.run(failure()).onComplete(test.succeeding(ctx -> test.verify(() -> {
      assertEquals(List.of("stuck", "after"), ran);
      assertInstanceOf(java.util.concurrent.TimeoutException.class, ctx.hookFailures().get("stuck"));
      test.completeNow();
    })));
  }

  @Test
  void hooksHandEachOtherAttributes() {
    Pipeline pipeline = Pipeline.empty()
      .add("first", ctx -> {
        ctx.attribute("answer", 42);
        return Future.succeededFuture();
      })
      .add("second", ctx -> {
        ran.add("second saw " + ctx.<Integer>attribute("answer"));
        return Future.succeededFuture();
      });
    pipeline.run(success());
    assertEquals(List.of("second saw 42"), ran);
  }

  @Test
  void anEmptyPipelineCompletesAtOnce() {
    assertTrue(Pipeline.empty().run(success()).succeeded());
    assertThrows(IllegalArgumentException.class, () -> Pipeline.empty().withHookTimeout(0));
  }
}
