package io.inos.adapters.bridge;

import io.inos.graceful.Code;

/**
 * Why the bridge refused an operation or ended a session. Each error has a short wire code that every protocol
 * sends as it is (the SockJS door puts it in the {@code body} of an {@code err} frame) and a {@link Code} that maps it
 * to HTTP, gRPC, MQTT and AMQP. The codes are vertx-web's where vertx-web has one.
 */
public enum BridgeError {
  /** The bearer token is malformed, expired, unsigned or signed with a key this server does not accept. */
  INVALID_TOKEN("invalid_token", Code.UNAUTHENTICATED),
  /** No identity yet, or guests are not admitted ({@link BridgeOptions#isAllowGuests()}). */
  NOT_AUTHENTICATED("not_authenticated", Code.UNAUTHENTICATED),
  /** The rules or the connection's scope do not permit the address (or the body), or a frame names another guest. */
  ACCESS_DENIED("access_denied", Code.PERMISSION_DENIED),
  /** More inbound messages per second than {@link BridgeOptions#getMaxInboundPerSecond()}. */
  RATE_LIMIT_EXCEEDED("rate_limit_exceeded", Code.RESOURCE_EXHAUSTED),
  /** More subscriptions than {@link BridgeOptions#getMaxSubscriptionsPerSession()}. */
  TOO_MANY_SUBSCRIPTIONS("too_many_subscriptions", Code.RESOURCE_EXHAUSTED),
  /** More requests awaiting their outcome than {@link BridgeOptions#getMaxPendingRequestsPerSession()}. */
  TOO_MANY_PENDING_REQUESTS("too_many_pending_requests", Code.RESOURCE_EXHAUSTED),
  /** An address longer than {@link BridgeOptions#getMaxAddressLength()}. */
  ADDRESS_TOO_LONG("max_address_length_reached", Code.RESOURCE_EXHAUSTED),
  /** A client frame larger than the protocol's frame limit (checked by the adapter). */
  FRAME_TOO_LARGE("frame_too_large", Code.RESOURCE_EXHAUSTED),
  /** The session already subscribes to that address. */
  ALREADY_SUBSCRIBED("address_already_registered", Code.INVALID_ARGUMENT),
  /** The body is no usable event envelope, its type is not the address, or a request was published. */
  INVALID_EVENT("invalid_event", Code.INVALID_ARGUMENT),
  /** The event bus could not register the address's consumer. */
  REGISTRATION_FAILURE("registration_failure", Code.UNAVAILABLE),
  /** The session read too slowly and the policy is {@link SlowConsumerPolicy#DISCONNECT}. */
  SLOW_CONSUMER("slow_consumer", Code.RESOURCE_EXHAUSTED),
  /** The session or the bridge is closed. */
  SESSION_CLOSED("session_closed", Code.UNAVAILABLE);

  private final String code;
  private final Code outcome;

  BridgeError(String code, Code outcome) {
    this.code = code;
    this.outcome = outcome;
  }

  /** @return the wire code, e.g. {@code access_denied} */
  public String code() {
    return code;
  }

  /** @return the outcome code, for the protocol's own status (HTTP, gRPC, MQTT reason code, AMQP condition) */
  public Code outcome() {
    return outcome;
  }
}
