package io.inos.adapters.mqtt.impl;

import io.inos.adapters.bridge.BridgeCredentials;
import io.inos.adapters.bridge.BridgeError;
import io.inos.adapters.bridge.BridgeException;
import io.inos.adapters.bridge.BridgeIdentity;
import io.inos.adapters.bridge.BridgeRules;
import io.inos.adapters.bridge.BridgeSession;
import io.inos.adapters.mqtt.MqttAdapterOptions;
import io.inos.adapters.mqtt.MqttLogin;
import io.inos.adapters.mqtt.MqttLoginRefused;
import io.inos.adapters.mqtt.MqttTopics;
import io.inos.adapters.mqtt.Publication;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubscriptionOption;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.MqttTopicSubscription;
import io.vertx.mqtt.MqttWill;
import io.vertx.mqtt.messages.MqttDisconnectMessage;
import io.vertx.mqtt.messages.MqttPubRecMessage;
import io.vertx.mqtt.messages.MqttPublishMessage;
import io.vertx.mqtt.messages.MqttSubscribeMessage;
import io.vertx.mqtt.messages.MqttUnsubscribeMessage;
import io.vertx.mqtt.messages.codes.MqttDisconnectReasonCode;
import io.vertx.mqtt.messages.codes.MqttPubAckReasonCode;
import io.vertx.mqtt.messages.codes.MqttPubRecReasonCode;
import io.vertx.mqtt.messages.codes.MqttSubAckReasonCode;
import io.vertx.mqtt.messages.codes.MqttUnsubAckReasonCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.function.Consumer;
import java.util.Map;
import java.util.UUID;

/**
 * One MQTT network connection: CONNECT (credentials to the bridge, session present or new, takeover), then the
 * packets of the client (PUBLISH with its acknowledgements, SUBSCRIBE, UNSUBSCRIBE, DISCONNECT) turned into session
 * and bridge operations, and the PUBLISH packets to the client with their packet ids. Protocol errors end the
 * connection, with a DISCONNECT reason code in MQTT 5; everything else is answered per packet and the connection
 * stays.
 */
final class MqttConnection {

  private static final Logger LOG = LoggerFactory.getLogger(MqttConnection.class);
  private static final int MQTT_5 = MqttVersion.MQTT_5.protocolLevel();
  /** What the decoder makes of ill-formed UTF-8. */
  private static final char REPLACEMENT = '\uFFFD';

  private final MqttBroker broker;
  private final MqttEndpoint endpoint;
  private final NetSocketInternal socket;
  private final MqttAdapterOptions options;
  private final boolean v5;
  private ClientSession session;
  private Map<Integer, String> topicAliases;
  private int receiveMaximum;
  private long maxPacketSize = Long.MAX_VALUE;
  private long sessionExpirySeconds;
  private Publication will;
  private long willDelaySeconds;
  private boolean ended;
  /** The user name of a login with a password that is no token (a credential store's), else {@code null}. */
  private String passwordLogin;

  /**
   * @param socket the endpoint's socket, to write {@linkplain SharedFrames shared frames} to; {@code null}: every
   *               PUBLISH goes through the endpoint
   */
  MqttConnection(MqttBroker broker, MqttEndpoint endpoint, NetSocketInternal socket) {
    this.broker = broker;
    this.endpoint = endpoint;
    this.socket = socket;
    this.options = broker.options();
    this.v5 = endpoint.protocolVersion() >= MQTT_5;
  }

  /** Handles the CONNECT: authenticates through the bridge, then accepts (CONNACK 0) or refuses. */
  void start() {
    endpoint.exceptionHandler(this::onException);
    endpoint.closeHandler(v -> lost());
    MqttProperties connect = endpoint.connectProperties();
    String clientId = endpoint.clientIdentifier();
    boolean assigned = clientId == null || clientId.isEmpty();
    if (assigned) {
      clientId = "inos-" + UUID.randomUUID();
      endpoint.setClientIdentifier(clientId);
    }
    long requestedExpiry;
    if (v5) {
      Integer expiry = MqttProps.integer(connect, MqttProperties.SESSION_EXPIRY_INTERVAL);
      requestedExpiry = expiry == null ? 0 : Integer.toUnsignedLong(expiry);
      Integer receive = MqttProps.integer(connect, MqttProperties.RECEIVE_MAXIMUM);
      receiveMaximum = receive == null ? 65_535 : receive;
      Integer packet = MqttProps.integer(connect, MqttProperties.MAXIMUM_PACKET_SIZE);
      maxPacketSize = packet == null ? Long.MAX_VALUE : Integer.toUnsignedLong(packet);
    } else {
      requestedExpiry = endpoint.isCleanSession() ? 0 : options.getMaxSessionExpirySeconds();
      receiveMaximum = 65_535;
    }
    sessionExpirySeconds = Math.min(requestedExpiry, options.getMaxSessionExpirySeconds());
    MqttWill w = endpoint.will();
    if (w != null && w.isWillFlag()) {
      String invalid = MqttTopics.invalidTopicName(w.getWillTopic());
      if (invalid != null) {
        refuse(v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_TOPIC_NAME_INVALID
          : MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE, "will topic: " + invalid);
        return;
      }
      MqttProperties wp = w.getWillProperties();
      long now = System.currentTimeMillis();
      will = new Publication(w.getWillTopic(), w.getWillMessage() == null ? Buffer.buffer() : w.getWillMessage(),
        Math.min(2, w.getWillQos()), w.isWillRetain(), v5 ? MqttProps.read(wp) : null,
        v5 ? MqttProps.expiresAt(wp, now) : 0, clientId);
      Integer delay = v5 && wp != null ? MqttProps.integer(wp, MqttProperties.WILL_DELAY_INTERVAL) : null;
      willDelaySeconds = delay == null ? 0 : Integer.toUnsignedLong(delay);
    }
    // the authenticator turns the user name and password into bridge credentials (by default the password is a
    // JWT, no password makes a guest); the bridge then settles the identity
    String password = endpoint.auth() == null ? null : endpoint.auth().getPassword();
    String username = endpoint.auth() == null ? null : endpoint.auth().getUsername();
    MqttLogin login = new MqttLogin(clientId, username, password, endpoint.protocolVersion());
    passwordLogin = login.hasPassword() && !login.passwordIsToken() ? username : null;
    String id = clientId;
    SessionSink sink = new SessionSink();
    boolean cleanStart = endpoint.isCleanSession();
    Context context = broker.vertx().getOrCreateContext();
    Future<BridgeCredentials> checked;
    try {
      checked = broker.authenticator().authenticate(login);
    } catch (RuntimeException e) {
      checked = Future.failedFuture(e);
    }
    checked.onComplete(found -> onContext(context, () -> {
      if (ended) {
        return;
      }
      if (found.failed()) {
        refuseLogin(found.cause());
        return;
      }
      BridgeCredentials credentials = found.result();
      boolean anonymous = !credentials.hasToken() && credentials.guestId() == null;
      String guest = keptGuest(anonymous, cleanStart, broker.session(id));
      if (guest != null) {
        credentials = BridgeCredentials.guest(guest);
      }
      openBridgeSession(credentials, sink, bs -> {
        // the client id is taken cluster-wide first: its connection on another node ends, and a session kept there
        // comes here or ends; asked only now, after the login, so that no stranger can end the device's connection
        broker.claim(id, cleanStart, bs.identity(), anonymous).onComplete(c -> {
          if (ended) {
            bs.close();
            broker.unclaim(id);
            return;
          }
          String handedGuest = keptGuest(anonymous, cleanStart, broker.session(id));
          if (handedGuest != null && !handedGuest.equals(bs.identity().userId())) {
            // the anonymous device stays the guest it was on the other node
            bs.close();
            SessionSink again = new SessionSink();
            openBridgeSession(BridgeCredentials.guest(handedGuest), again,
              asGuest -> accept(id, assigned, cleanStart, asGuest, again));
          } else {
            accept(id, assigned, cleanStart, bs, sink);
          }
        });
      });
    }));
  }

  /**
   * @return the guest an anonymous client resuming {@code previous} stays (a session is resumed by client id, as MQTT
   * has it), or {@code null}
   */
  private static String keptGuest(boolean anonymous, boolean cleanStart, ClientSession previous) {
    BridgeIdentity kept = previous == null ? null : previous.identity();
    return anonymous && !cleanStart && kept != null && kept.guest() ? kept.userId() : null;
  }

  /** Opens the connection's bridge session, then {@code then}; a refusal refuses the CONNECT. */
  private void openBridgeSession(BridgeCredentials credentials, SessionSink sink, Consumer<BridgeSession> then) {
    broker.bridge().open(credentials, sink, "mqtt").onComplete(ar -> {
      if (ar.failed()) {
        BridgeException refused = BridgeException.of(ar.cause(), BridgeError.NOT_AUTHENTICATED);
        boolean badToken = refused.error() == BridgeError.INVALID_TOKEN;
        // a bad token is a bad password (0x04 / 0x86); guests not admitted are not authorized (0x05 / 0x87)
        refuse(badToken ? badCredentials() : notAuthorized(), refused.getMessage());
        return;
      }
      if (ended) {
        // the client went away while it was authenticated
        ar.result().close();
        return;
      }
      then.accept(ar.result());
    });
  }

  private static void onContext(Context context, Runnable action) {
    if (Vertx.currentContext() == context) {
      action.run();
    } else {
      context.runOnContext(v -> action.run());
    }
  }

  /** An authenticator's failure: its reason's CONNACK code; anything unforeseen is "server unavailable". */
  private void refuseLogin(Throwable failure) {
    if (failure instanceof MqttLoginRefused refused) {
      refuse(switch (refused.reason()) {
        case BAD_CREDENTIALS -> badCredentials();
        case NOT_AUTHORIZED -> notAuthorized();
        case UNAVAILABLE -> unavailable();
      }, refused.getMessage());
    } else if (failure instanceof BridgeException be) {
      refuse(be.error() == BridgeError.INVALID_TOKEN ? badCredentials() : notAuthorized(), be.getMessage());
    } else {
      LOG.warn("mqtt: the authenticator failed for {}: {}", endpoint.clientIdentifier(), failure.toString());
      refuse(unavailable(), "the server cannot check credentials now");
    }
  }

  private MqttConnectReturnCode badCredentials() {
    return v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USERNAME_OR_PASSWORD
      : MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD;
  }

  private MqttConnectReturnCode notAuthorized() {
    return v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5
      : MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED;
  }

  private MqttConnectReturnCode unavailable() {
    return v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE_5
      : MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE;
  }

  private void refuse(MqttConnectReturnCode code, String why) {
    broker.metrics().refused();
    LOG.debug("mqtt: CONNECT of {} refused with {}: {}", endpoint.clientIdentifier(), code, why);
    ended = true;
    if (v5) {
      MqttProperties props = new MqttProperties();
      props.add(new MqttProperties.StringProperty(MqttProperties.REASON_STRING, truncate(why)));
      endpoint.reject(code, props);
    } else {
      endpoint.reject(code);
    }
  }

  private void accept(String clientId, boolean assigned, boolean cleanStart, BridgeSession bridgeSession,
                      SessionSink sink) {
    ClientSession existing = broker.session(clientId);
    session = broker.takeSession(clientId, cleanStart, bridgeSession.identity());
    boolean present = session == existing;
    sink.owner(session);
    session.adopt(bridgeSession);
    broker.metrics().accepted();
    endpoint.publishAutoAck(false);
    endpoint.subscriptionAutoAck(false);
    endpoint.publishHandler(this::onPublish);
    endpoint.publishReleaseHandler(this::onPubrel);
    endpoint.publishAcknowledgeHandler(id -> session.onPuback(id));
    endpoint.publishReceivedMessageHandler(this::onPubrec);
    endpoint.publishCompletionHandler(id -> session.onPubcomp(id));
    endpoint.subscribeHandler(this::onSubscribe);
    endpoint.unsubscribeHandler(this::onUnsubscribe);
    endpoint.disconnectMessageHandler(this::onDisconnect);
    if (v5) {
      MqttProperties props = new MqttProperties();
      props.add(new MqttProperties.IntegerProperty(MqttProperties.RECEIVE_MAXIMUM, options.getMaxInflight()));
      props.add(new MqttProperties.IntegerProperty(MqttProperties.TOPIC_ALIAS_MAXIMUM, options.getTopicAliasMaximum()));
      props.add(new MqttProperties.IntegerProperty(MqttProperties.MAXIMUM_PACKET_SIZE, options.getMaxMessageSize()));
      props.add(new MqttProperties.IntegerProperty(MqttProperties.RETAIN_AVAILABLE, 1));
      props.add(new MqttProperties.IntegerProperty(MqttProperties.WILDCARD_SUBSCRIPTION_AVAILABLE, 1));
      props.add(new MqttProperties.IntegerProperty(MqttProperties.SUBSCRIPTION_IDENTIFIER_AVAILABLE, 1));
      props.add(new MqttProperties.IntegerProperty(MqttProperties.SHARED_SUBSCRIPTION_AVAILABLE, 1));
      Integer asked = MqttProps.integer(endpoint.connectProperties(), MqttProperties.SESSION_EXPIRY_INTERVAL);
      if (asked != null && Integer.toUnsignedLong(asked) != sessionExpirySeconds) {
        props.add(new MqttProperties.IntegerProperty(MqttProperties.SESSION_EXPIRY_INTERVAL,
          (int) sessionExpirySeconds));
      }
      int keepAlive = endpoint.keepAliveTimeSeconds();
      if (keepAlive == 0 || keepAlive > options.getMaxKeepAliveSeconds()) {
        props.add(new MqttProperties.IntegerProperty(MqttProperties.SERVER_KEEP_ALIVE,
          options.getMaxKeepAliveSeconds()));
      }
      if (assigned) {
        props.add(new MqttProperties.StringProperty(MqttProperties.ASSIGNED_CLIENT_IDENTIFIER, clientId));
      }
      endpoint.accept(present, props);
    } else {
      endpoint.accept(present);
    }
    broker.connected(this);
    session.attach(this, sessionExpirySeconds);
  }

  /** @return how many QoS 1 and 2 messages may be in flight to the client */
  int window() {
    return Math.min(options.getMaxInflight(), receiveMaximum);
  }

  String clientId() {
    return session == null ? endpoint.clientIdentifier() : session.clientId;
  }

  // ---- from the client

  private void onPublish(MqttPublishMessage msg) {
    if (session == null || ended) {
      return;
    }
    int qos = msg.qosLevel().value();
    if (qos > 2) {
      protocolError(MqttDisconnectReasonCode.PROTOCOL_ERROR, "QoS 3 does not exist");
      return;
    }
    String topic = msg.topicName();
    if (v5) {
      Integer alias = MqttProps.integer(msg.properties(), MqttProperties.TOPIC_ALIAS);
      if (alias != null) {
        if (alias == 0 || alias > options.getTopicAliasMaximum()) {
          protocolError(MqttDisconnectReasonCode.TOPIC_ALIAS_INVALID, "topic alias " + alias + " is not 1 to "
            + options.getTopicAliasMaximum());
          return;
        }
        if (topicAliases == null) {
          topicAliases = new HashMap<>();
        }
        if (topic == null || topic.isEmpty()) {
          topic = topicAliases.get(alias);
          if (topic == null) {
            protocolError(MqttDisconnectReasonCode.PROTOCOL_ERROR, "topic alias " + alias + " was never set");
            return;
          }
        } else {
          topicAliases.put(alias, topic);
        }
      }
    }
    if (topic != null && topic.indexOf(REPLACEMENT) >= 0) {
      malformedUtf8("topic name");
      return;
    }
    int packetId = msg.messageId();
    if (qos == 2 && session.awaitsRelease(packetId)) {
      // a resent QoS 2 PUBLISH whose first copy was already taken: acknowledge again, do not route again
      endpoint.publishReceived(packetId);
      return;
    }
    String invalid = MqttTopics.invalidTopicName(topic);
    if (invalid == null && topic.startsWith("$")) {
      invalid = "topics starting with '$' are the server's";
    }
    if (invalid != null) {
      broker.metrics().dropped(MqttMetrics.Drop.INVALID);
      acknowledge(qos, packetId, MqttPubAckReasonCode.TOPIC_NAME_INVALID.value() & 0xFF, invalid);
      return;
    }
    long now = System.currentTimeMillis();
    Publication message = new Publication(topic, msg.payload(), qos, msg.isRetain(),
      v5 ? MqttProps.read(msg.properties()) : null, v5 ? MqttProps.expiresAt(msg.properties(), now) : 0,
      session.clientId);
    int id = packetId;
    broker.publishFrom(session, message).onComplete(ar -> {
      int reason = ar.succeeded() ? ar.result() : 0x80;
      acknowledge(qos, id, reason, ar.failed() ? ar.cause().getMessage() : null);
    });
  }

  /** PUBACK or PUBREC with the outcome: a reason code in MQTT 5; in 3.1.1, which has none, a refused message is dropped. */
  private void acknowledge(int qos, int packetId, int reason, String why) {
    if (ended || qos == 0) {
      return;
    }
    boolean ok = reason < 0x80;
    if (qos == 1) {
      if (v5) {
        endpoint.publishAcknowledge(packetId, pubAckCode(reason), reasonString(ok ? null : why));
      } else {
        endpoint.publishAcknowledge(packetId);
      }
      return;
    }
    if (v5) {
      if (ok) {
        session.awaitRelease(packetId);
      }
      endpoint.publishReceived(packetId, pubRecCode(reason), reasonString(ok ? null : why));
    } else {
      session.awaitRelease(packetId);
      endpoint.publishReceived(packetId);
    }
  }

  private void onPubrel(int packetId) {
    if (session == null || ended) {
      return;
    }
    session.released(packetId);
    endpoint.publishComplete(packetId);
  }

  private void onPubrec(MqttPubRecMessage msg) {
    if (session != null && !ended) {
      session.onPubrec(msg.messageId(), msg.code() != null && msg.code().value() < 0
        /* reason codes >= 0x80 are negative bytes */);
    }
  }

  private void onSubscribe(MqttSubscribeMessage msg) {
    if (session == null || ended) {
      return;
    }
    for (MqttTopicSubscription request : msg.topicSubscriptions()) {
      if (request.topicName() != null && request.topicName().indexOf(REPLACEMENT) >= 0) {
        malformedUtf8("topic filter");
        return;
      }
    }
    Integer identifier = v5 ? MqttProps.integer(msg.properties(), MqttProperties.SUBSCRIPTION_IDENTIFIER) : null;
    List<Future<Subscription>> results = new ArrayList<>();
    for (MqttTopicSubscription request : msg.topicSubscriptions()) {
      results.add(subscribe(request, identifier == null ? 0 : identifier));
    }
    Future.join(results).onComplete(done -> {
      if (ended) {
        return;
      }
      List<MqttSubAckReasonCode> codes = new ArrayList<>(results.size());
      List<Subscription> granted = new ArrayList<>();
      for (Future<Subscription> result : results) {
        if (result.succeeded()) {
          codes.add(MqttSubAckReasonCode.qosGranted(MqttQoS.valueOf(result.result().qos())));
          granted.add(result.result());
        } else {
          codes.add(v5 ? subAckCode(result.cause()) : MqttSubAckReasonCode.UNSPECIFIED_ERROR);
        }
      }
      endpoint.subscribeAcknowledge(msg.messageId(), codes, MqttProperties.NO_PROPERTIES);
      for (int i = 0; i < granted.size(); i++) {
        broker.sendRetained(granted.get(i));
      }
    });
  }

  private Future<Subscription> subscribe(MqttTopicSubscription request, int identifier) {
    String raw = request.topicName();
    String filter = raw;
    String group = null;
    if (MqttTopics.isShared(raw)) {
      String[] split = MqttTopics.splitShared(raw);
      if (split == null) {
        return Future.failedFuture(FilterRefused.invalid("'" + raw
          + "' is no shared subscription $share/{group}/{filter}"));
      }
      group = split[0];
      filter = split[1];
    }
    String invalid = MqttTopics.invalidFilter(filter);
    if (invalid != null) {
      return Future.failedFuture(FilterRefused.invalid(invalid));
    }
    MqttSubscriptionOption option = request.subscriptionOption();
    int qos = Math.min(2, request.qualityOfService().value());
    boolean noLocal = v5 && option != null && option.isNoLocal();
    if (noLocal && group != null) {
      // MQTT 5, 3.8.3.1: No Local on a shared subscription is a protocol error
      return Future.failedFuture(FilterRefused.invalid("No Local is not allowed on a shared subscription"));
    }
    boolean retainAsPublished = v5 && option != null && option.isRetainAsPublished();
    boolean sys = SysTopics.isSys(filter);
    if (sys && !SysTopics.mayRead(session.identity())) {
      return Future.failedFuture(new BridgeException(BridgeError.ACCESS_DENIED,
        "the $SYS statistics are for authenticated clients"));
    }
    boolean fresh = !session.subscriptions.containsKey(raw);
    if (!sys && !MqttTopics.hasWildcard(filter)) {
      // an exact filter (shared or not) names one address: the bridge's outbound rules say now whether it may be read
      // at all (a wildcard filter covers many, so it is granted; the rules are checked per message, as for every
      // subscription)
      BridgeRules.Check check = broker.bridge().rules().checkOutbound(MqttTopics.toAddress(filter), session.identity());
      if (!check.permitted()) {
        return Future.failedFuture(new BridgeException(BridgeError.ACCESS_DENIED, check.reason()));
      }
    }
    if (fresh && session.subscriptions.size() >= options.getMaxSubscriptionsPerSession()) {
      // a filter it holds already is only replaced (its options); a new one is refused, the others stay
      return Future.failedFuture(new FilterRefused(MqttSubAckReasonCode.QUOTA_EXCEEDED, "this session holds "
        + session.subscriptions.size() + " topic filters, the most it may"));
    }
    Subscription s = new Subscription(session, raw, filter, group, qos, noLocal, retainAsPublished, identifier,
      retainHandling(option, fresh, group));
    session.add(s);
    return Future.succeededFuture(s);
  }

  private static boolean retainHandling(MqttSubscriptionOption option, boolean fresh, String group) {
    if (group != null) {
      // retained messages are not sent for shared subscriptions (MQTT 5, 4.8.2)
      return false;
    }
    if (option == null) {
      return true;
    }
    return switch (option.retainHandling()) {
      case SEND_AT_SUBSCRIBE -> true;
      case SEND_AT_SUBSCRIBE_IF_NOT_YET_EXISTS -> fresh;
      case DONT_SEND_AT_SUBSCRIBE -> false;
    };
  }

  private void onUnsubscribe(MqttUnsubscribeMessage msg) {
    if (session == null || ended) {
      return;
    }
    List<MqttUnsubAckReasonCode> codes = new ArrayList<>();
    for (String raw : msg.topics()) {
      codes.add(session.forget(raw) ? MqttUnsubAckReasonCode.SUCCESS : MqttUnsubAckReasonCode.NO_SUBSCRIPTION_EXISTED);
    }
    if (v5) {
      endpoint.unsubscribeAcknowledge(msg.messageId(), codes, MqttProperties.NO_PROPERTIES);
    } else {
      endpoint.unsubscribeAcknowledge(msg.messageId());
    }
  }

  private void onDisconnect(MqttDisconnectMessage msg) {
    if (session == null || ended) {
      return;
    }
    if (msg.code() != MqttDisconnectReasonCode.WITH_WILL_MESSAGE) {
      // a normal DISCONNECT discards the will (3.1.2.5)
      will = null;
    }
    if (v5 && msg.properties() != null) {
      Integer expiry = MqttProps.integer(msg.properties(), MqttProperties.SESSION_EXPIRY_INTERVAL);
      if (expiry != null && sessionExpirySeconds > 0) {
        sessionExpirySeconds = Math.min(Integer.toUnsignedLong(expiry), options.getMaxSessionExpirySeconds());
      }
    }
  }

  /**
   * Ill-formed UTF-8 in a topic: the connection ends (MQTT 3.1.1, 1.5.3: close; MQTT 5, 1.5.4: Malformed Packet,
   * DISCONNECT 0x81). Netty's decoder replaces the bad bytes by U+FFFD instead of failing, so U+FFFD is what we see;
   * a client that sends a well-formed U+FFFD in a topic is refused alike, a price worth the check.
   */
  private void malformedUtf8(String what) {
    broker.metrics().dropped(MqttMetrics.Drop.INVALID);
    LOG.debug("mqtt: connection of {} ends: its {} is not valid UTF-8", clientId(), what);
    protocolError(MqttDisconnectReasonCode.MALFORMED_PACKET, "the " + what + " is not valid UTF-8");
  }

  /** A decoding failure (oversized packet, wildcard in a topic name, malformed packet): the connection ends. */
  private void onException(Throwable failure) {
    if (ended) {
      return;
    }
    MqttDisconnectReasonCode code = MqttDisconnectReasonCode.MALFORMED_PACKET;
    if (failure instanceof TooLongFrameException || hasCause(failure, TooLongFrameException.class)) {
      code = MqttDisconnectReasonCode.PACKET_TOO_LARGE;
    } else if (String.valueOf(failure.getMessage()).contains("topic name")) {
      code = MqttDisconnectReasonCode.TOPIC_NAME_INVALID;
    }
    broker.metrics().dropped(MqttMetrics.Drop.INVALID);
    LOG.debug("mqtt: connection of {} ends on a bad packet ({}): {}", clientId(), code, failure.toString());
    protocolError(code, failure.getMessage());
  }

  private static boolean hasCause(Throwable failure, Class<? extends Throwable> type) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  /** Ends the connection for a protocol error: DISCONNECT with the reason in MQTT 5, a plain close in 3.1.1. */
  private void protocolError(MqttDisconnectReasonCode code, String why) {
    if (ended) {
      return;
    }
    try {
      if (v5 && endpoint.isConnected()) {
        endpoint.disconnect(code, reasonString(why));
      } else {
        endpoint.close();
      }
    } catch (IllegalStateException alreadyClosed) {
      // the connection went away meanwhile
    }
  }

  /** The bridge ended the bridge session: the connection ends with the matching reason. */
  void closeFor(BridgeError reason) {
    protocolError(reason == BridgeError.SESSION_CLOSED ? MqttDisconnectReasonCode.SERVER_SHUTTING_DOWN
      : MqttDisconnectReasonCode.QUOTA_EXCEEDED, reason.code());
  }

  /** @return whether the client logged in with {@code username} and a password that is no token */
  boolean loggedInWithPassword(String username) {
    return username.equals(passwordLogin);
  }

  /** An administrator ended the connection (a disabled login): DISCONNECT 0x98 in MQTT 5, a close in 3.1.1. */
  void endByAdministrator(String why) {
    protocolError(MqttDisconnectReasonCode.ADMINISTRATIVE_ACTION, why);
  }

  /** Another connection took this client id over: DISCONNECT 0x8E, and the will as for any loss (3.1.4-3). */
  void takenOver() {
    lost();
    try {
      if (v5) {
        endpoint.disconnect(MqttDisconnectReasonCode.SESSION_TAKEN_OVER, MqttProperties.NO_PROPERTIES);
      } else {
        endpoint.close();
      }
    } catch (IllegalStateException alreadyClosed) {
      // closed meanwhile
    }
  }

  /** The connection ended (closed, lost, taken over): the will, then the session stays or ends. */
  private void lost() {
    if (ended) {
      return;
    }
    ended = true;
    broker.disconnected(this);
    ClientSession s = session;
    if (s == null) {
      return;
    }
    Publication w = will;
    will = null;
    if (w != null) {
      if (willDelaySeconds > 0 && sessionExpirySeconds > 0) {
        s.scheduleWill(w, Math.min(willDelaySeconds, sessionExpirySeconds));
      } else {
        broker.publishFrom(s, w);
      }
    }
    s.detach(this, sessionExpirySeconds);
  }

  // ---- to the client

  void sendPublish(ClientSession.Outgoing o, boolean dup) {
    if (ended) {
      return;
    }
    Publication m = o.message;
    long now = System.currentTimeMillis();
    if (m.expired(now)) {
      broker.metrics().dropped(MqttMetrics.Drop.EXPIRED);
      if (o.qos > 0) {
        session.abandon(o.packetId);
      }
      return;
    }
    // a packet larger than the client's Maximum Packet Size is not sent (MQTT 5, 3.1.2.11.4)
    long size = 5L + 2 + m.topic().length() * 3L + m.payload().length() + (v5 ? 64 : 0);
    if (size > maxPacketSize) {
      broker.metrics().dropped(MqttMetrics.Drop.UNDELIVERABLE);
      if (o.qos > 0) {
        session.abandon(o.packetId);
      }
      return;
    }
    if (socket != null && !dup && SharedFrames.shareable(m, o.qos, o.subscriptionIds)) {
      // the same bytes as for every other subscriber of this message: encoded once
      socket.writeMessage(broker.frames().frame(m, v5, o.retain));
      broker.metrics().out();
      return;
    }
    MqttProperties props = v5 ? MqttProps.write(m, o.subscriptionIds, now) : MqttProperties.NO_PROPERTIES;
    endpoint.publish(m.topic(), m.payload(), MqttQoS.valueOf(o.qos), dup, o.retain, o.qos == 0 ? 0 : o.packetId,
      props);
    broker.metrics().out();
  }

  void sendPubrel(int packetId) {
    if (!ended) {
      endpoint.publishRelease(packetId);
    }
  }

  // ---- reason codes

  private static MqttProperties reasonString(String why) {
    if (why == null) {
      return MqttProperties.NO_PROPERTIES;
    }
    MqttProperties props = new MqttProperties();
    props.add(new MqttProperties.StringProperty(MqttProperties.REASON_STRING, truncate(why)));
    return props;
  }

  private static String truncate(String why) {
    String text = String.valueOf(why);
    return text.length() > 200 ? text.substring(0, 200) : text;
  }

  private static MqttPubAckReasonCode pubAckCode(int value) {
    for (MqttPubAckReasonCode code : MqttPubAckReasonCode.values()) {
      if ((code.value() & 0xFF) == value) {
        return code;
      }
    }
    return value < 0x80 ? MqttPubAckReasonCode.SUCCESS : MqttPubAckReasonCode.UNSPECIFIED_ERROR;
  }

  private static MqttPubRecReasonCode pubRecCode(int value) {
    for (MqttPubRecReasonCode code : MqttPubRecReasonCode.values()) {
      if ((code.value() & 0xFF) == value) {
        return code;
      }
    }
    return value < 0x80 ? MqttPubRecReasonCode.SUCCESS : MqttPubRecReasonCode.UNSPECIFIED_ERROR;
  }

  private static MqttSubAckReasonCode subAckCode(Throwable failure) {
    if (failure instanceof FilterRefused refused) {
      return refused.code;
    }
    int value = failure instanceof BridgeException be ? be.error().outcome().mqttSubackReasonCode() : 0x80;
    for (MqttSubAckReasonCode code : MqttSubAckReasonCode.values()) {
      if ((code.value() & 0xFF) == value) {
        return code;
      }
    }
    return MqttSubAckReasonCode.UNSPECIFIED_ERROR;
  }

  /** A topic filter the server does not take, with the SUBACK reason code that says why. */
  private static final class FilterRefused extends RuntimeException {
    final MqttSubAckReasonCode code;

    FilterRefused(MqttSubAckReasonCode code, String message) {
      super(message, null, false, false);
      this.code = code;
    }

    static FilterRefused invalid(String message) {
      return new FilterRefused(MqttSubAckReasonCode.TOPIC_FILTER_INVALID, message);
    }
  }
}
