package io.inos.adapters;

import io.inos.adapters.bridge.BridgeOptions;
import io.inos.nexus.Event;
import io.inos.nexus.Nexus;
import io.inos.nexus.redis.RedisExtension;
import io.inos.nexus.redis.RedisExtensionOptions;
import io.inos.nexus.redis.RedisExtensionOptions.HistoryScope;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.util.UUID;

import static io.inos.adapters.DoorsServer.await;

/**
 * Every door on one HTTP server (free port) of a node whose bridge has the Redis extension, against the machine's
 * Redis under a key prefix of this test alone (never FLUSHALL: {@link #close()} deletes the prefix's keys).
 * History: {@code campaign:trim*} keeps 5 events (Redis trims whole stream nodes of 100 entries), the other
 * {@code campaign:*} 1000.
 */
public final class RedisDoorsServer implements AutoCloseable {

  public static final String REDIS_URL = "redis://127.0.0.1:6379";

  public final Vertx vertx;
  public final Nexus nexus;
  public final RedisExtension redis;
  public final WebDoors doors;
  public final HttpServer server;
  public final String prefix;

  private RedisDoorsServer(Vertx vertx, Nexus nexus, RedisExtension redis, WebDoors doors, HttpServer server,
                           String prefix) {
    this.vertx = vertx;
    this.nexus = nexus;
    this.redis = redis;
    this.doors = doors;
    this.server = server;
    this.prefix = prefix;
  }

  public static String newPrefix() {
    return "inos-test-" + UUID.randomUUID().toString().substring(0, 8) + ":";
  }

  /** A node on the machine's Redis, keys under a new prefix. */
  public static RedisDoorsServer start(BridgeOptions bridge) throws Exception {
    return start(bridge, REDIS_URL, newPrefix());
  }

  /** A node on {@code url} under {@code prefix} (two nodes of one test share both). */
  public static RedisDoorsServer start(BridgeOptions bridge, String url, String prefix) throws Exception {
    Vertx vertx = Vertx.vertx();
    Nexus nexus = Nexus.create(vertx);
    RedisExtension redis = RedisExtension.create(nexus, new RedisExtensionOptions().setUrl(url).setKeyPrefix(prefix)
      .addHistoryScope(HistoryScope.ofLength("campaign:trim*", 5))
      .addHistoryScope(HistoryScope.ofLength("campaign:*", 1000)));
    await(redis.start());
    WebDoors doors = WebDoors.create(vertx, nexus, new WebDoorsOptions().setGrpcEnabled(false).setBridge(bridge)
      .setRedis(redis));
    Router router = Router.router(vertx);
    doors.mount(router);
    HttpServer server = await(vertx.createHttpServer(doors.httpServerOptions()).requestHandler(router)
      .listen(0, "127.0.0.1"));
    return new RedisDoorsServer(vertx, nexus, redis, doors, server, prefix);
  }

  public int port() {
    return server.actualPort();
  }

  /** An event the Nexus publishes at its type and at {@code campaign:{campaign}}. */
  public static Event campaignEvent(String campaign, int n) {
    return Event.builder("content:create_content:v1:success").source("test").globalContext("campaign_id", campaign)
      .data(new JsonObject().put("n", n)).build();
  }

  @Override
  public void close() throws Exception {
    try {
      await(server.close());
      await(doors.close());
      await(redis.close());
      deleteKeys(vertx, REDIS_URL, prefix);
    } finally {
      await(vertx.close());
    }
  }

  /** Deletes every key under {@code prefix} (SCAN + DEL, never FLUSHALL). */
  public static void deleteKeys(Vertx vertx, String url, String prefix) throws Exception {
    Redis client = Redis.createClient(vertx, url);
    try {
      String cursor = "0";
      do {
        Response r = await(client.send(Request.cmd(Command.SCAN).arg(cursor).arg("MATCH").arg(prefix + "*")
          .arg("COUNT").arg(1000)));
        cursor = r.get(0).toString();
        for (Response key : r.get(1)) {
          await(client.send(Request.cmd(Command.DEL).arg(key.toString())));
        }
      } while (!cursor.equals("0"));
    } finally {
      client.close();
    }
  }
}
