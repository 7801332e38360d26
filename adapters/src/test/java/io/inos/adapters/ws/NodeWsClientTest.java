package io.inos.adapters.ws;

import io.inos.adapters.bridge.BridgeOptions;
import io.inos.adapters.bridge.GuestIds;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A third-party client: the {@code ws} npm package (from {@code e2e/node_modules}) speaks to the gateway from a Node
 * process: a request answered with its correlation id, and an error frame after which the socket keeps serving.
 */
@ExtendWith(VertxExtension.class)
class NodeWsClientTest {

  private static final String SCRIPT = """
    const WebSocket = require(process.argv[2]);
    const ws = new WebSocket(process.argv[3]);
    const seen = [];
    const timer = setTimeout(() => { console.log(JSON.stringify({timeout: true, seen})); process.exit(2); }, 15000);
    ws.on('open', () => {
      ws.send('{not json');
      ws.send(JSON.stringify({type: 'campaign:create_campaign:v1:requested', correlation_id: 'corr-node',
        payload: {data: {slug: 'node'}}}));
    });
    ws.on('message', (data, isBinary) => {
      const frame = JSON.parse(data.toString('utf8'));
      seen.push(frame.type);
      if (frame.type === 'campaign:create_campaign:v1:success') {
        clearTimeout(timer);
        console.log(JSON.stringify({seen, answer: frame, binary: isBinary}));
        ws.close();
      }
    });
    ws.on('error', e => { console.log(JSON.stringify({error: String(e)})); process.exit(3); });
    """;

  private WsServer server;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    server = WsServer.start(vertx, new BridgeOptions().setRequestTimeoutMs(2_000), new GatewayDoorOptions());
  }

  @Test
  void theWsPackageGetsAnErrorFrameThenItsAnswer() throws Exception {
    File ws = new File("../e2e/node_modules/ws").getCanonicalFile();
    assertTrue(ws.isDirectory(), "run 'npm install' in e2e/ first: " + ws);
    Path script = Files.createTempFile("gateway-ws-client", ".cjs");
    Files.writeString(script, SCRIPT);
    String guest = GuestIds.newGuestId();
    Process node = new ProcessBuilder("node", script.toString(), ws.getPath(),
      "ws://127.0.0.1:" + server.port() + "/ws-text/0/" + guest).redirectErrorStream(true).start();
    assertTrue(node.waitFor(30, TimeUnit.SECONDS), "node did not finish");
    String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    Files.deleteIfExists(script);
    assertEquals(0, node.exitValue(), out);
    JsonObject result = new JsonObject(out.substring(out.lastIndexOf('\n') + 1));
    assertEquals("error:parse_error", result.getJsonArray("seen").getString(0), out);
    JsonObject answer = result.getJsonObject("answer");
    assertEquals("corr-node", answer.getString("correlation_id"));
    assertEquals(guest, answer.getJsonObject("metadata").getJsonObject("global_context").getString("user_id"));
    assertEquals("node", answer.getJsonObject("payload").getJsonObject("data").getJsonObject("echo")
      .getString("slug"));
  }
}
