/**
 * The MQTT server of INOS (MQTT 3.1.1 and 5, over TCP and over WebSocket at {@code /mqtt}), a door of the bridge:
 * deploy {@link io.inos.adapters.mqtt.MqttAdapterVerticle} with {@link io.inos.adapters.mqtt.MqttAdapterOptions}.
 *
 * <h2>Identity</h2>
 * An {@link io.inos.adapters.mqtt.MqttAuthenticator} (set in {@link io.inos.adapters.mqtt.MqttAdapterOptions}) turns
 * the CONNECT's user name and password into bridge credentials, so the adapter knows no credential store. The rule:
 * <ul>
 *   <li>no password → a guest of the bridge (kept as the guest id given as user name when that is a well-formed guest
 *   id, or the guest id of the session it resumes by client id), if the bridge admits guests, else 0x05 / 0x87;</li>
 *   <li>a password that is a token ({@link io.inos.adapters.mqtt.MqttLogin#passwordIsToken()}: user name
 *   {@code jwt}, or a password shaped as a JWT) → a bearer token the bridge verifies; a bad one gets 0x04 / 0x86;</li>
 *   <li>any other user name and password → the credential store, when one is plugged in with
 *   {@link io.inos.adapters.mqtt.MqttAuthenticator#tokensOr} (the assembled server checks the PostgreSQL
 *   {@code device} table); without one (the default {@link io.inos.adapters.mqtt.MqttAuthenticator#bearerTokens()})
 *   every password is a token. A store answers with an {@link io.inos.adapters.mqtt.MqttLoginRefused}: bad
 *   credentials 0x04 / 0x86, not authorized (a disabled device) 0x05 / 0x87, unavailable 0x03 / 0x88.</li>
 * </ul>
 * A session is resumed only by the same user; a second connection with the same client id takes the session over
 * and the first one is closed (0x8E in MQTT 5).
 *
 * <p>In a cluster, a client id is one connection too, and a persistent session follows its client: each broker
 * records the client ids whose sessions it holds (connected, or persistent and offline) in the cluster-wide map
 * {@code inos.mqtt.session-owners}, and a client that connects to another node, once logged in there, claims its
 * client id (one {@code putIfAbsent}; nothing more when it is held nowhere else). The holder ends the client's old
 * connection (0x8E), if any, and when the client resumes its session (clean start false) hands it over:
 * subscriptions, messages in flight (resent with DUP) and queued, QoS 2 packet ids awaiting release. Only the
 * session's own user gets it (an anonymous client a guest's session, and it stays that guest); a clean start, or
 * another user, ends it there instead. A claim that gets no answer within 2 s (the map is slow, the holder's node is
 * gone) does not stop the client: it starts with a new session, and the old one waits in Redis for its node to come
 * back. Messages that reach the old holder while the session moves (a few milliseconds) are lost.
 *
 * <h2>Topics and addresses: one rule, both ways</h2>
 * Topic levels separated by {@code /} are Nexus address segments separated by {@code :}
 * ({@link io.inos.adapters.mqtt.MqttTopics}): {@code campaign/42} ⇄ {@code campaign:42},
 * {@code content/create_content/v1/completed} ⇄ {@code content:create_content:v1:completed}. A topic level may not
 * hold {@code :}; an address holding {@code /} has no topic.
 * <ul>
 *   <li><b>Device → Nexus.</b> A PUBLISH to a topic whose address is an event type becomes that event (sent with the
 *   bridge session: inbound rules, rate limit, user id forced to the client's), so services, browsers and other doors
 *   see it; a {@code …/requested} topic is a request to its service. The payload becomes the envelope as
 *   {@code MqttPayloads} says (a JSON envelope as it is, any other JSON object as {@code payload.data}, other values,
 *   text or bytes under {@code payload.data.value} / {@code .text} / {@code .base64}), with {@code metadata.mqtt} holding the
 *   topic, QoS, retain flag, client id and the MQTT 5 properties. Topics that are no event type (e.g.
 *   {@code sensors/room1/temp}) pass the same checks (rate, rules) and stay among MQTT clients.</li>
 *   <li><b>Nexus → device.</b> An event published at an address (by a service, a browser, another door, or any
 *   event-bus publish on any node) reaches every subscription whose filter matches its topic, exact, {@code +},
 *   {@code #} or shared, as its JSON envelope (content type {@code application/json}), when the bridge's outbound
 *   rules let the session read it. Sends (requests, replies) are for one consumer and never reach devices.</li>
 *   <li>Refusals: a forbidden or invalid PUBLISH gets PUBACK/PUBREC with the reason code of the bridge's error
 *   (0x87 not authorized, 0x97 quota exceeded, 0x99 payload format invalid, 0x90 topic name invalid) in MQTT 5, and
 *   is dropped and counted in MQTT 3.1.1, which has no negative acknowledgement; a refused subscription gets SUBACK
 *   0x87 (5) / 0x80 (3.1.1). A session holds at most {@code maxSubscriptionsPerSession} topic filters (100 by
 *   default; one subscribed again counts once, a restored session counts those it brought): a SUBSCRIBE's new
 *   filters past it get 0x97 quota exceeded (5) / 0x80 (3.1.1), its other filters are granted, and the session keeps
 *   what it has.</li>
 * </ul>
 *
 * <h2>Routing, and the scale rule</h2>
 * No MQTT subscription becomes an event-bus registration of its own.
 * <ul>
 *   <li>Subscriptions live in one node-local topic trie ({@code TopicTrie}), with {@code +}, {@code #} and shared
 *   subscriptions {@code $share/group/filter} (one member per group gets each message, round robin, online members
 *   first).</li>
 *   <li>Each node knows which brokers (adapters) of the cluster want which filters: a broker tells the others on
 *   {@code inos.mqtt.interest} when one of its filters gets its first subscription and when its last one goes (a
 *   broker that starts is told everyone's filters; one of a node that left the cluster is forgotten within seconds).
 *   One table per node ({@code NodeInterest}), one entry per distinct filter and broker.</li>
 *   <li>An event-bus interceptor on each node matches every event published there against that table, makes the
 *   event's JSON envelope once when a broker wants it, and sends it once to each such broker at
 *   {@code inos.mqtt.broker.{id}}; the broker matches it against its own trie. Events that came from MQTT clients are
 *   skipped (routed already, with their original bytes). A node of the cluster without the adapter does the same
 *   with {@link io.inos.adapters.mqtt.MqttEventHandover} ({@code InosServer} starts it when its MQTT server is off).
 *   A node that starts asks everyone's filters; every few seconds each broker tells a digest of its own, and a node
 *   that disagrees asks for them whole.</li>
 *   <li>A message from an MQTT client is matched against the trie once, on the node it arrived at, and delivered
 *   with its original payload and properties. When clustered it is also sent once to each other broker whose
 *   filters match it; a retained one is published to every node on {@code inos.mqtt.publications}, as each node
 *   keeps every retained message.</li>
 *   <li>Every delivery is checked against the bridge's outbound rules for the session's identity (remembered per
 *   address until the rules or the identity change; rules that match the body decide per message). An exact filter
 *   is checked when it is made as well, so a forbidden one gets a SUBACK failure; a wildcard one covers many
 *   addresses and is granted, and only what it may read reaches it.</li>
 *   <li>A subscription made on one node sees the events published on another once that node learnt of its filter,
 *   a few milliseconds after the SUBACK, as with any event-bus registration.</li>
 * </ul>
 *
 * <h2>Sessions and delivery</h2>
 * QoS 0, 1 and 2 both ways; QoS 1 and 2 messages to a client are in flight within a window (the lower of
 * {@code maxInflight} and the client's Receive Maximum) and resent with DUP on reconnection; the rest wait in the
 * session's bounded queue (oldest dropped and counted). Persistent sessions (clean session false, or a session expiry
 * interval in MQTT 5, bounded by {@code maxSessionExpirySeconds}) keep subscriptions, in-flight and queued messages
 * (QoS 0 messages for an offline client are dropped) and their bridge session while offline. Retained messages are in
 * a {@link io.inos.adapters.mqtt.RetainedStore} (in memory by default, in a tree of topic levels; an empty payload
 * clears). Wills are published
 * on a connection lost without DISCONNECT, after the will delay in MQTT 5. MQTT 5 application properties (payload
 * format, message expiry, content type, response topic, correlation data, user properties) pass through, with
 * subscription identifiers and inbound topic aliases.
 *
 * <h2>Surviving a restart: Redis</h2>
 * With {@link io.inos.adapters.mqtt.MqttAdapterOptions#getRedisUrl()} set, retained messages and persistent sessions
 * are kept in Redis as well, under {@link io.inos.adapters.mqtt.MqttAdapterOptions#getRedisKeyPrefix()} ({@code P}):
 * <ul>
 *   <li>{@code P retained}, a hash: topic → the message as JSON (payload in base64, properties, expiry);</li>
 *   <li>{@code P session:{clientId}}, a hash: {@code state} → identity, session expiry, since when the client is
 *   offline, subscriptions (filter, QoS, No Local, Retain As Published, subscription identifier);
 *   {@code m:{seq}} → each QoS 1 or 2 message in flight (with its packet id, and whether PUBREC came) or queued for
 *   the client; {@code r:{packetId}} → each QoS 2 packet id the client published and has not released. It expires
 *   with the session ({@code PEXPIREAT}) while the client is offline, not while it is online;</li>
 *   <li>{@code P sessions}, a set of the client ids kept.</li>
 * </ul>
 * Memory still serves: routing, matching and delivery never wait for Redis, which is the durable copy, written behind
 * memory as things change (a message queued, sent, acknowledged) over one connection, so in order. A node that starts
 * loads both before it listens: retained messages as they were, and each session offline, its subscriptions active
 * (what they match is checked against the rules for the identity it had, until that expires), its queue filling; the client that comes back with
 * clean session false (or clean start false in MQTT 5) gets session present, the messages in flight again with DUP and
 * their packet ids, then the queued ones, in order. Only sessions whose expiry is above 0 are kept; a clean start
 * forgets the kept one. What was accepted while the node ran is kept; what was published while it was down never
 * reached it. Wills are not kept: one still pending when the node stops is published then.
 *
 * <p>While Redis is away the adapter serves from memory, counts the writes it could not make
 * ({@code inos.mqtt.redis.failures}; {@code inos.mqtt.redis.up} is 0) and writes the topics and sessions it missed
 * again, whole, when Redis is back; a node that starts without Redis starts empty and loads what Redis holds once it
 * is back (under what changed meanwhile). A node restores its own sessions: nodes of a cluster sharing one Redis
 * need a key prefix each (sessions move between running nodes as above).
 *
 * <h2>Statistics</h2>
 * Every {@code sysIntervalSeconds} the node publishes its figures, retained, QoS 0, the number as text:
 * {@code $SYS/broker/clients/connected}, {@code …/clients/total}, {@code …/clients/disconnected},
 * {@code …/connections/accepted}, {@code …/connections/refused}, {@code …/subscriptions/count},
 * {@code …/retained messages/count}, {@code …/messages/received}, {@code …/messages/sent}, {@code …/messages/dropped},
 * {@code …/uptime}, {@code …/version} (a figure is sent again only when it changed). Any client that is not a guest
 * may subscribe (a guest gets SUBACK 0x87 / 0x80); nobody may publish to a {@code $} topic (PUBACK 0x90 in MQTT 5,
 * dropped in 3.1.1); {@code #} and {@code +/…} do not match them. They are per node and never reach the Nexus.
 *
 * <h2>Malformed packets</h2>
 * A packet the decoder cannot read (a remaining length of five bytes, QoS 3, invalid UTF-8 in a topic name or filter
 * — netty decodes it into U+FFFD, which is therefore refused too) ends the connection: DISCONNECT 0x81 then close in
 * MQTT 5, a plain close in 3.1.1. An unknown protocol level gets CONNACK 0x01 (vertx-mqtt's answer, which MQTT 5
 * allows instead of 0x84); a second CONNECT closes the connection (vertx-mqtt, without DISCONNECT). Other clients are
 * not affected.
 */
package io.inos.adapters.mqtt;
