package io.inos.device;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.springframework.security.crypto.bcrypt.BCrypt;

import java.security.SecureRandom;

/**
 * BCrypt hashing and checking of device passwords, always on a worker thread (one check costs tens of
 * milliseconds of CPU by design, which must never run on an event loop).
 */
public final class DevicePasswords {

  /** BCrypt's cost (2^10 rounds): about 50-100 ms per check on a server core, OWASP's floor for BCrypt. */
  public static final int DEFAULT_COST = 10;

  private final Vertx vertx;
  private final int cost;
  private final SecureRandom random = new SecureRandom();
  /**
   * Checked against when the user name is unknown, so that an unknown name takes as long as a wrong password; made on
   * a worker at first use (making it costs as much as a check, too much for the event loop that builds this object).
   */
  private volatile String dummy;

  public DevicePasswords(Vertx vertx, int cost) {
    if (cost < 4 || cost > 31) {
      throw new IllegalArgumentException("BCrypt's cost must be 4 to 31, was " + cost);
    }
    this.vertx = vertx;
    this.cost = cost;
  }

  public DevicePasswords(Vertx vertx) {
    this(vertx, DEFAULT_COST);
  }

  /** On a worker thread only. */
  private String dummy() {
    String d = dummy;
    if (d == null) {
      d = BCrypt.hashpw("not the password of any device", BCrypt.gensalt(cost, random));
      dummy = d;
    }
    return d;
  }

  /** @return the BCrypt hash of {@code password} ({@code $2a$<cost>$…}) */
  public Future<String> hash(String password) {
    return vertx.executeBlocking(() -> BCrypt.hashpw(password, BCrypt.gensalt(cost, random)), false);
  }

  /**
   * @param hash the stored hash, or {@code null} when there is no such device: a dummy hash is checked instead and
   *             the answer is {@code false}, in about the same time
   * @return whether {@code password} matches
   */
  public Future<Boolean> verify(String password, String hash) {
    return vertx.executeBlocking(() -> {
      boolean matches;
      try {
        matches = BCrypt.checkpw(password == null ? "" : password, hash == null ? dummy() : hash);
      } catch (IllegalArgumentException tooLongOrBadHash) {
        // a password over 72 bytes, or a stored value that is no BCrypt hash: no match
        BCrypt.checkpw("x", dummy());
        matches = false;
      }
      return matches && hash != null;
    }, false);
  }
}
