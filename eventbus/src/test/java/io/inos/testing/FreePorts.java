package io.inos.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for the servers a test launches in processes of their own (cluster members, redis-server), which bind them
 * some seconds after the port was chosen, and ports where nothing listens (a server that is down). Shared by the tests
 * of eventbus, adapters and verticles through this module's test-jar.
 *
 * <p>Why not a port the system picks ({@code new ServerSocket(0)}): it comes from the ephemeral range, from which
 * every outgoing connection meanwhile (Hazelcast members calling each other, clients) also takes its local port; a
 * CI run lost a cluster node that way ("Port 34797 is already in use"). A port below that range is taken only by
 * servers binding it on purpose.
 */
public final class FreePorts {

  private static final int LOWEST = 10_000;

  private FreePorts() {
  }

  /** @return a port on 127.0.0.1 that was free just now, below the ephemeral range */
  public static int belowEphemeralRange() {
    int ceiling = ephemeralLow();
    for (int attempt = 0; attempt < 200; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(LOWEST, ceiling);
      try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        return socket.getLocalPort();
      } catch (IOException taken) {
        // another one
      }
    }
    throw new IllegalStateException("no free port between " + LOWEST + " and " + ceiling);
  }

  private static int ephemeralLow() {
    try {
      String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
      int low = Integer.parseInt(range.split("\\s+")[0]);
      return low > LOWEST + 1000 ? low : 32_768;
    } catch (IOException | RuntimeException e) {
      return 32_768;
    }
  }
}
