package io.inos.adapters;

import io.inos.nexus.Nexus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;

import java.util.concurrent.TimeUnit;

/** A real HTTP server on a free port with every door mounted on one router, and the test campaign service. */
public final class DoorsServer {

  public final Vertx vertx;
  public final Nexus nexus;
  public final WebDoors doors;
  public final HttpServer server;

  private DoorsServer(Vertx vertx, Nexus nexus, WebDoors doors, HttpServer server) {
    this.vertx = vertx;
    this.nexus = nexus;
    this.doors = doors;
    this.server = server;
  }

  public static DoorsServer start(Vertx vertx, WebDoorsOptions options) throws Exception {
    Nexus nexus = Nexus.create(vertx);
    await(TestCampaign.serve(nexus));
    WebDoors doors = WebDoors.create(vertx, nexus, options);
    Router router = Router.router(vertx);
    doors.mount(router);
    router.get("/health").handler(ctx -> ctx.response().end("UP"));
    HttpServer server = await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
    return new DoorsServer(vertx, nexus, doors, server);
  }

  public int port() {
    return server.actualPort();
  }

  /** Waits for {@code future} on the test thread (never an event loop). */
  public static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }
}
