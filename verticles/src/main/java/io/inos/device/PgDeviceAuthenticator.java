package io.inos.device;

import io.inos.adapters.bridge.BridgeCredentials;
import io.inos.adapters.bridge.TokenIssuer;
import io.inos.adapters.mqtt.MqttAuthenticator;
import io.inos.adapters.mqtt.MqttLogin;
import io.inos.adapters.mqtt.MqttLoginRefused;
import io.inos.graceful.Code;
import io.inos.graceful.OutcomeException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Objects;

/**
 * The MQTT login of devices against the {@code device} table. Use it through
 * {@link MqttAuthenticator#tokensOr(MqttAuthenticator)}, so that a JWT password (or the user name {@code jwt}) keeps
 * working and a CONNECT without password stays a guest:
 * <ul>
 *   <li>unknown user name or wrong password → {@link MqttLoginRefused.Reason#BAD_CREDENTIALS} (CONNACK 0x04 / 0x86),
 *   in the same time either way: an unknown name checks a dummy hash;</li>
 *   <li>right password of a disabled device → {@link MqttLoginRefused.Reason#NOT_AUTHORIZED} (0x05 / 0x87);</li>
 *   <li>database down → {@link MqttLoginRefused.Reason#UNAVAILABLE} (0x03 / 0x88);</li>
 *   <li>success → a token of the bridge's issuer with {@code sub} = the device's user id, its roles and campaigns,
 *   and a {@code device} claim, valid for {@code identitySeconds}: the device's connection acts as that user until
 *   then (afterwards the bridge refuses its operations as for any expired token, and the device reconnects, which
 *   reads the table again).</li>
 * </ul>
 */
public final class PgDeviceAuthenticator implements MqttAuthenticator {

  private static final Logger LOG = LoggerFactory.getLogger(PgDeviceAuthenticator.class);
  /** How long a device's login lasts by default: one day. */
  public static final long DEFAULT_IDENTITY_SECONDS = 86_400;

  private final DeviceRepository repository;
  private final DevicePasswords passwords;
  private final TokenIssuer issuer;
  private final long identitySeconds;

  /**
   * @param issuer          the issuer of the bridge the adapter plugs into (it must be able to sign)
   * @param identitySeconds how long a login's identity lasts
   */
  public PgDeviceAuthenticator(DeviceRepository repository, DevicePasswords passwords, TokenIssuer issuer,
                               long identitySeconds) {
    this.repository = Objects.requireNonNull(repository, "repository");
    this.passwords = Objects.requireNonNull(passwords, "passwords");
    this.issuer = Objects.requireNonNull(issuer, "issuer");
    if (identitySeconds < 1) {
      throw new IllegalArgumentException("identitySeconds must be positive, was " + identitySeconds);
    }
    this.identitySeconds = identitySeconds;
  }

  @Override
  public Future<BridgeCredentials> authenticate(MqttLogin login) {
    return repository.credentials(login.username())
      .recover(err -> {
        OutcomeException outcome = err instanceof OutcomeException oe ? oe : null;
        if (outcome != null && outcome.outcome().code() == Code.UNAVAILABLE) {
          return Future.failedFuture(new MqttLoginRefused(MqttLoginRefused.Reason.UNAVAILABLE,
            "the device store is unavailable; retry later"));
        }
        LOG.warn("device login of '{}' failed in the database: {}", login.username(), err.toString());
        return Future.failedFuture(new MqttLoginRefused(MqttLoginRefused.Reason.UNAVAILABLE,
          "the device store failed"));
      })
      .compose(found -> passwords.verify(login.password(), found == null ? null : found.passwordHash())
        .compose(matches -> {
          if (!matches) {
            // the same answer for an unknown name and a wrong password
            return Future.failedFuture(new MqttLoginRefused(MqttLoginRefused.Reason.BAD_CREDENTIALS,
              "bad user name or password"));
          }
          Device device = found.device();
          if (!device.enabled()) {
            return Future.failedFuture(new MqttLoginRefused(MqttLoginRefused.Reason.NOT_AUTHORIZED,
              "the device is disabled"));
          }
          return Future.succeededFuture(BridgeCredentials.bearer(issuer.issue(new JsonObject()
            .put("sub", device.userId())
            .put("roles", new JsonArray(List.copyOf(device.roles())))
            .put("campaigns", new JsonArray(List.copyOf(device.campaigns())))
            .put("device", device.username())
            .put("exp", System.currentTimeMillis() / 1000 + identitySeconds))));
        }));
  }
}
