package io.inos.device;

import io.inos.nexus.Event;
import io.inos.nexus.EventJournal;
import io.vertx.core.json.JsonObject;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * The one-time secret of a device registered through the device service: made here, hashed into the device table,
 * handed to the owner once in the {@code register_device} answer — and kept out of the ledger.
 */
public final class DeviceSecrets {

  /** The answer that carries a secret. */
  public static final String REGISTERED = "device:register_device:v1:success";
  /** Where the answer carries it: {@code payload.data.secret}. */
  public static final String FIELD = "secret";
  /** 256 random bits. */
  private static final int BYTES = 32;
  private static final SecureRandom RANDOM = new SecureRandom();

  private DeviceSecrets() {
  }

  /**
   * @return a new secret: 256 random bits in base64url without padding (43 characters, within BCrypt's 72 bytes, and
   *     without the dots of a JWT, so an MQTT login reads it as a password)
   */
  public static String newSecret() {
    byte[] bytes = new byte[BYTES];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /**
   * @return a journal that records every event in {@code journal}, but a {@value #REGISTERED} event without its
   *     secret: the ledger keeps who registered which device, never the password
   */
  public static EventJournal redacting(EventJournal journal) {
    return event -> journal.record(REGISTERED.equals(event.type().toString()) ? withoutSecret(event) : event);
  }

  private static Event withoutSecret(Event event) {
    JsonObject json = event.toJson();
    JsonObject payload = json.getValue("payload") instanceof JsonObject p ? p : null;
    if (payload == null || !(payload.getValue("data") instanceof JsonObject data) || data.remove(FIELD) == null) {
      return event; // nothing to hide
    }
    return Event.fromJson(json);
  }
}
