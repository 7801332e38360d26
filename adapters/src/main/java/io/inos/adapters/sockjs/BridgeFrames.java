package io.inos.adapters.sockjs;

import io.inos.adapters.bridge.BridgeError;
import io.inos.adapters.bridge.BridgeNotice;

/**
 * The names the {@link BrowserBridge} speaks: the Vert.x event-bus bridge frame types, the codes it sends in
 * {@code {"type":"err","body":code}} frames (vertx-web's names where vertx-web has one, then the bridge's
 * {@link BridgeError} and {@link BridgeNotice} codes), and its headers.
 */
public final class BridgeFrames {

  // frame types, client to server
  public static final String SEND = "send";
  public static final String PUBLISH = "publish";
  public static final String REGISTER = "register";
  public static final String UNREGISTER = "unregister";
  public static final String PING = "ping";
  // frame types, server to client
  public static final String REC = "rec";
  public static final String ERR = "err";
  /**
   * The outcome of a {@code register} with {@value #LAST_EVENT_ID_HEADER}, before the missed events and the live
   * flow of the address: {@code {"type":"recovery","address":…,"body":{"recovered":true|false,"count":n,
   * "message":…}}}. {@code recovered: false} (no missed events follow) means the history no longer reaches back that
   * far, the address keeps none, or the server has no Redis extension: read the state again. vertx-eventbus.js hands
   * it to the address's handlers as a message whose {@code type} is {@code recovery}.
   */
  public static final String RECOVERY = "recovery";

  // error codes of the frame layer, as vertx-web's EventBusBridgeImpl names them
  public static final String INVALID_JSON = "invalid_json";
  public static final String MISSING_TYPE = "missing_type";
  public static final String INVALID_TYPE = "invalid_type";
  public static final String MISSING_ADDRESS = "missing_address";
  public static final String INVALID_REPLY_ADDRESS = "invalid_reply_address";
  // the bridge's own (BridgeError)
  public static final String ACCESS_DENIED = BridgeError.ACCESS_DENIED.code();
  public static final String INVALID_TOKEN = BridgeError.INVALID_TOKEN.code();
  public static final String NOT_AUTHENTICATED = BridgeError.NOT_AUTHENTICATED.code();
  public static final String RATE_LIMIT_EXCEEDED = BridgeError.RATE_LIMIT_EXCEEDED.code();
  public static final String TOO_MANY_SUBSCRIPTIONS = BridgeError.TOO_MANY_SUBSCRIPTIONS.code();
  public static final String TOO_MANY_PENDING_REQUESTS = BridgeError.TOO_MANY_PENDING_REQUESTS.code();
  public static final String MAX_ADDRESS_LENGTH_REACHED = BridgeError.ADDRESS_TOO_LONG.code();
  public static final String FRAME_TOO_LARGE = BridgeError.FRAME_TOO_LARGE.code();
  public static final String ADDRESS_ALREADY_REGISTERED = BridgeError.ALREADY_SUBSCRIBED.code();
  public static final String INVALID_EVENT = BridgeError.INVALID_EVENT.code();
  public static final String REGISTRATION_FAILURE = BridgeError.REGISTRATION_FAILURE.code();
  // notices
  public static final String DROPPED = BridgeNotice.Kind.DROPPED.code();
  public static final String SUBSCRIPTION_REVOKED = BridgeNotice.Kind.SUBSCRIPTION_REVOKED.code();
  public static final String RECOVERY_NOTICE = BridgeNotice.Kind.RECOVERY.code();

  /** Header of a client frame: {@code Bearer <token>}, the JWT that signs the connection in. */
  public static final String AUTHORIZATION_HEADER = "Authorization";
  /** Header a client may set to choose its guest id (the first frame that is not a ping settles it). */
  public static final String GUEST_ID_HEADER = "inos-guest-id";
  /**
   * Header of a {@code register} frame: the {@code id} of the last event the client received at that address, when
   * it reconnects. The server then sends a {@value #RECOVERY} frame, the events it missed there (in order, without
   * duplicates) and the live flow. Without it, a register starts from now on.
   */
  public static final String LAST_EVENT_ID_HEADER = "inos-last-event-id";
  /** Header of reply frames: the user id the connection acts as (a guest's id too). */
  public static final String USER_ID_HEADER = "inos-user-id";
  /** Header of reply frames: the outcome code, {@code OK} for {@code :success}. */
  public static final String OUTCOME_HEADER = "inos-outcome";

  /** vertx-eventbus.js reply addresses are UUIDs; longer ones are refused, as vertx-web does. */
  public static final int MAX_REPLY_ADDRESS_LENGTH = 36;

  private BridgeFrames() {
  }
}
