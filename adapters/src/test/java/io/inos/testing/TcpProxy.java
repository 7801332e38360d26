package io.inos.testing;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy a test controls, to simulate a server outage: {@link #pause()} closes every proxied connection and
 * stops listening (new connections are refused, as when the server is down); {@link #resume()} listens again on the
 * same port.
 *
 * <pre>{@code
 * TcpProxy proxy = TcpProxy.start(vertx, "127.0.0.1", 5432).await();
 * // point the client at 127.0.0.1:proxy.port()
 * proxy.pause().await();   // outage
 * proxy.resume().await();  // back
 * }</pre>
 */
public final class TcpProxy {

  private static final String LOCALHOST = "127.0.0.1";

  private final Vertx vertx;
  private final String targetHost;
  private final int targetPort;
  private final NetClient client;
  private final Set<NetSocket> sockets = ConcurrentHashMap.newKeySet();
  private volatile NetServer server;
  private volatile boolean paused;
  private int port;

  private TcpProxy(Vertx vertx, String targetHost, int targetPort) {
    this.vertx = vertx;
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    this.client = vertx.createNetClient(new NetClientOptions().setConnectTimeout(2_000));
  }

  /**
   * Starts a proxy on a free port of 127.0.0.1.
   *
   * @param vertx      the Vert.x instance
   * @param targetHost where connections go
   * @param targetPort where connections go
   * @return the running proxy
   */
  public static Future<TcpProxy> start(Vertx vertx, String targetHost, int targetPort) {
    TcpProxy proxy = new TcpProxy(vertx, targetHost, targetPort);
    return proxy.listen(0).map(proxy);
  }

  /** @return the port clients connect to */
  public int port() {
    return port;
  }

  /**
   * Simulates an outage: refuses new connections and closes the open ones.
   *
   * @return a future completed when the port is closed and every connection is closed
   */
  public Future<Void> pause() {
    paused = true;
    NetServer current = server;
    server = null;
    List<Future<Void>> closing = new ArrayList<>();
    if (current != null) {
      closing.add(current.close());
    }
    for (NetSocket socket : sockets) {
      closing.add(socket.close());
    }
    sockets.clear();
    return Future.join(closing).mapEmpty();
  }

  /**
   * Ends the outage: listens again on the same port.
   *
   * @return a future completed when connections are accepted again
   */
  public Future<Void> resume() {
    paused = false;
    return listen(port).mapEmpty();
  }

  /**
   * Stops the proxy.
   *
   * @return a future completed when everything is closed
   */
  public Future<Void> close() {
    return pause().eventually(client::close);
  }

  private Future<NetServer> listen(int requestedPort) {
    NetServer created = vertx.createNetServer().connectHandler(this::proxy);
    return created.listen(requestedPort, LOCALHOST).onSuccess(s -> {
      server = s;
      port = s.actualPort();
    });
  }

  private void proxy(NetSocket inbound) {
    if (paused) {
      inbound.close();
      return;
    }
    inbound.pause(); // hold the client's first bytes until the upstream connection exists
    sockets.add(inbound);
    inbound.closeHandler(v -> sockets.remove(inbound));
    client.connect(targetPort, targetHost).onComplete(ar -> {
      if (ar.failed() || paused) {
        inbound.close();
        if (ar.succeeded()) {
          ar.result().close();
        }
        return;
      }
      NetSocket upstream = ar.result();
      sockets.add(upstream);
      upstream.closeHandler(v -> sockets.remove(upstream));
      // each pipe ends its destination when its source ends, so a close on either side closes both
      upstream.pipeTo(inbound);
      inbound.pipeTo(upstream);
    });
  }
}
