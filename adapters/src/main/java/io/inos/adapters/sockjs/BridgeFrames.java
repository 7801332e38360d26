package io.inos.adapters.sockjs;

/**
 * The names the {@link BrowserBridge} speaks: the Vert.x event-bus bridge frame types, the error codes it sends in
 * {@code {"type":"err","body":code}} frames (vertx-web's names where vertx-web has one), and its headers.
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

  // error codes of vertx-web's EventBusBridgeImpl
  public static final String INVALID_JSON = "invalid_json";
  public static final String MISSING_TYPE = "missing_type";
  public static final String INVALID_TYPE = "invalid_type";
  public static final String MISSING_ADDRESS = "missing_address";
  public static final String ACCESS_DENIED = "access_denied";
  public static final String MAX_HANDLERS_REACHED = "max_handlers_reached";
  public static final String MAX_ADDRESS_LENGTH_REACHED = "max_address_length_reached";
  public static final String ADDRESS_ALREADY_REGISTERED = "address_already_registered";
  public static final String INVALID_REPLY_ADDRESS = "invalid_reply_address";
  public static final String REGISTRATION_FAILURE = "registration_failure";
  // ours: the body of a send/publish is not a usable event envelope
  public static final String INVALID_EVENT = "invalid_event";

  /** Header a client may set to choose its guest id (the first frame that is not a ping settles it). */
  public static final String GUEST_ID_HEADER = "inos-guest-id";
  /** Header of reply frames: the outcome code, {@code OK} for {@code :success}. */
  public static final String OUTCOME_HEADER = "inos-outcome";

  /** vertx-eventbus.js reply addresses are UUIDs; longer ones are refused, as vertx-web does. */
  public static final int MAX_REPLY_ADDRESS_LENGTH = 36;

  private BridgeFrames() {
  }
}
