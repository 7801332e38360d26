package io.inos.adapters.ws;

import io.inos.adapters.TestCampaign;
import io.inos.adapters.bridge.Bridge;
import io.inos.adapters.bridge.BridgeOptions;
import io.inos.nexus.Nexus;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;

import static io.inos.adapters.DoorsServer.await;

/** Both WebSocket doors on one shared bridge and one real HTTP server (port 0), with the test campaign service. */
final class WsServer {

  final Nexus nexus;
  final Bridge bridge;
  final GatewayDoor gateway;
  final TcpBridgeDoor tcpBridge;
  final HttpServer server;

  private WsServer(Nexus nexus, Bridge bridge, GatewayDoor gateway, TcpBridgeDoor tcpBridge, HttpServer server) {
    this.nexus = nexus;
    this.bridge = bridge;
    this.gateway = gateway;
    this.tcpBridge = tcpBridge;
    this.server = server;
  }

  /**
   * The gateway at {@code /ws} with the given options, a second one at {@code /ws-idle} with a 300 ms read deadline,
   * a third at {@code /ws-text} that never compresses,
   * and the TCP-bridge door at {@code /bridge/ws}.
   */
  static WsServer start(Vertx vertx, BridgeOptions bridgeOptions, GatewayDoorOptions gatewayOptions) throws Exception {
    Nexus nexus = Nexus.create(vertx);
    await(TestCampaign.serve(nexus));
    Bridge bridge = Bridge.create(vertx, nexus, bridgeOptions);
    GatewayDoor gateway = GatewayDoor.create(bridge, gatewayOptions);
    GatewayDoor idle = GatewayDoor.create(bridge, new GatewayDoorOptions().setPath("/ws-idle")
      .setReadTimeoutMs(300).setPingIntervalMs(60_000));
    // for clients without zstd (Node 20's zlib has none): nothing is compressed
    GatewayDoor text = GatewayDoor.create(bridge, new GatewayDoorOptions().setPath("/ws-text")
      .setCompressionThreshold(Integer.MAX_VALUE));
    TcpBridgeDoor tcpBridge = TcpBridgeDoor.create(bridge, new TcpBridgeDoorOptions());
    Router router = Router.router(vertx);
    gateway.mount(router);
    idle.mount(router);
    text.mount(router);
    tcpBridge.mount(router);
    // the gateway's 2 MB frames need a server that takes them (Vert.x allows 256 KiB messages by default)
    HttpServerOptions http = new HttpServerOptions()
      .setMaxWebSocketMessageSize(4 * GatewayDoorOptions.DEFAULT_MAX_FRAME_BYTES)
      .setMaxWebSocketFrameSize(4 * GatewayDoorOptions.DEFAULT_MAX_FRAME_BYTES);
    HttpServer server = await(vertx.createHttpServer(http).requestHandler(router).listen(0, "127.0.0.1"));
    return new WsServer(nexus, bridge, gateway, tcpBridge, server);
  }

  int port() {
    return server.actualPort();
  }
}
