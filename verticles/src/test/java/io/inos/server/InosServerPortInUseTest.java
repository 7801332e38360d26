package io.inos.server;

import io.inos.testing.TestDatabases;
import io.vertx.core.net.NetServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static io.inos.server.InosServerHarness.await;
import static io.inos.server.InosServerHarness.awaitFailure;
import static io.inos.server.InosServerHarness.awaitUntil;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A port in use is a start-up error naming the setting to change, and the failed server leaves nothing running. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class InosServerPortInUseTest {

  private InosServerHarness harness;
  private NetServer squatter;

  @BeforeEach
  void takeAPort() {
    harness = new InosServerHarness();
    // on every interface, as the server binds by default (http.host 0.0.0.0)
    squatter = await(harness.vertx.createNetServer().connectHandler(socket -> socket.close()).listen(0, "0.0.0.0"));
  }

  @AfterEach
  void release() {
    await(squatter.close());
    harness.close();
  }

  @Test
  void portInUseFailsNamingTheSettingAndClosesEverything() {
    Set<Thread> before = Thread.getAllStackTraces().keySet();
    int port = squatter.actualPort();

    Throwable failure = awaitFailure(InosServer.start(harness.config(TestDatabases.PORT,
      Map.of("INOS_HTTP_PORT", Integer.toString(port)))));

    assertTrue(failure.getMessage().contains("INOS_HTTP_PORT"), failure.getMessage());
    assertTrue(failure.getMessage().contains(Integer.toString(port)), failure.getMessage());
    // Vert.x threads are not daemons: one left alive would keep a failed process from exiting
    awaitUntil("the failed server's threads have ended", () -> startedSince(before).isEmpty());
  }

  private static Set<String> startedSince(Set<Thread> before) {
    return Thread.getAllStackTraces().keySet().stream()
      .filter(t -> !before.contains(t) && t.isAlive() && !t.isDaemon())
      .map(Thread::getName)
      .collect(Collectors.toSet());
  }
}
