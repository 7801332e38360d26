package io.inos.nexus;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Event and correlation ids: UUID version 7 (RFC 9562), the Unix time in milliseconds followed by 74 random bits,
 * in the usual 36-character text form.
 *
 * <p>Why not {@link UUID#randomUUID()}: it draws from one shared {@code SecureRandom}, which is synchronised and
 * costs more than the rest of making an id, and a request makes four ids. Event ids are names, not secrets: nobody
 * gains by guessing one (a duplicate id is answered with the first request's answer only when it is the same
 * request, see the Nexus), so {@link ThreadLocalRandom} is enough. The time prefix makes ids of one period sort
 * together, which keeps the ledger's id index local (new ids land at its end, not all over it).
 */
public final class EventIds {

  private EventIds() {
  }

  /** @return a new id, e.g. {@code 0193a1f2-7c4e-7b1d-9f3a-2c8e5d7b9a10} */
  public static String next() {
    return nextUuid().toString();
  }

  /** @return a new version 7 UUID */
  public static UUID nextUuid() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long millis = System.currentTimeMillis();
    long msb = (millis << 16) | 0x7000L | (random.nextInt() & 0x0FFFL);
    long lsb = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
    return new UUID(msb, lsb);
  }
}
