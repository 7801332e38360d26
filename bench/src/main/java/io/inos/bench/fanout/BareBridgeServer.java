package io.inos.bench.fanout;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.sockjs.SockJSBridgeOptions;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;

import java.util.concurrent.TimeUnit;

/**
 * The peer of the fan-out and idle-connection benchmarks: plain Vert.x 5 with vertx-web's stock
 * {@code SockJSHandler.bridge(...)} at {@code /eventbus}, as its documentation shows it, and nothing else. Inbound
 * publish/send and outbound delivery are permitted on {@code feed.*}; one HTTP server on the given port, on one event
 * loop (as INOS's one HTTP port is).
 *
 * <pre>java -cp benchmarks.jar io.inos.bench.fanout.BareBridgeServer --port 8089</pre>
 * Prints {@value #LISTENING} and the port once it listens ({@code --port 0}: any free port); stops on SIGTERM.
 */
public final class BareBridgeServer {

  /** Printed on standard output, followed by the port, once the server listens. */
  public static final String LISTENING = "bare-bridge: listening on port ";
  /** The addresses the bridge lets through, both ways (a whole-address regex, as {@code PermittedOptions} has it). */
  public static final String FEED_REGEX = "feed\\..+";

  private BareBridgeServer() {
  }

  public static void main(String[] args) throws Exception {
    int port = 0;
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (args[i].equals("--port")) {
        port = Integer.parseInt(args[i + 1]);
      } else {
        System.err.println("usage: BareBridgeServer --port PORT");
        System.exit(2);
      }
    }
    Vertx vertx = Vertx.vertx();
    PermittedOptions feed = new PermittedOptions().setAddressRegex(FEED_REGEX);
    SockJSBridgeOptions bridge = new SockJSBridgeOptions().addInboundPermitted(feed).addOutboundPermitted(feed);
    Router router = Router.router(vertx);
    router.route("/eventbus/*").subRouter(SockJSHandler.create(vertx).bridge(bridge));
    HttpServer server = vertx.createHttpServer().requestHandler(router).listen(port, "127.0.0.1")
      .await(30, TimeUnit.SECONDS);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        vertx.close().await(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        System.err.println("bare-bridge: close: " + e.getMessage());
      }
    }, "bare-bridge-shutdown"));
    System.out.println(LISTENING + server.actualPort());
    System.out.flush();
  }
}
