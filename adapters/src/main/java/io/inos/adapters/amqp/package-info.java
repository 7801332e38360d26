/**
 * The AMQP adapter: INOS as a client of an AMQP 0-9-1 broker (RabbitMQ), exchanging Nexus events with the rest of
 * a company through configured {@link io.inos.adapters.amqp.AmqpBinding bindings}.
 * {@code vertx.deployVerticle(new AmqpAdapterVerticle(nexus, options))} deploys it into any Vert.x application.
 *
 * <h2>Why it talks to the Nexus directly, not through a bridge session</h2>
 * The bridge ({@link io.inos.adapters.bridge.Bridge}) authenticates, authorises and rate-limits <em>clients</em>:
 * browsers and devices whose identity is only claimed. The AMQP adapter has no such clients: it holds one
 * connection, configured by the operator, to a broker the operator trusts, and what it may receive and send is
 * exactly what its bindings name (its allow list). It is a server-side integration like a service, so it publishes
 * on the {@link io.inos.nexus.Nexus} and consumes event-bus addresses itself. Per-message authorisation of what
 * other broker users put into a bound queue is the broker's business (its users and permissions on that queue).
 * Limits still apply: prefetch bounds inbound work, maxMessageBytes bounds each message, the outbound buffer bounds
 * memory.
 *
 * <h2>Inbound (direction {@code in}): queue → Nexus</h2>
 * <ul>
 *   <li>On each connection the adapter declares the exchange (type {@code exchangeType}, default topic), the queue
 *   (durable, not exclusive) and their binding ({@code routingKey}, default {@code #}); with {@code declare: false}
 *   it only checks, passively, that the queue exists. It consumes with manual acknowledgement and
 *   {@code prefetch} unacknowledged messages at most.</li>
 *   <li>Message → event: a JSON object with a {@code type} field is a canonical envelope, read as it is (its id,
 *   correlation id, metadata, payload). Any other body is wrapped: type = the AMQP {@code type} property, else the
 *   binding's {@code eventType}; {@code payload.data} = the JSON object, {@code {"value": …}} for other JSON, and,
 *   with {@code requireJson: false}, {@code {"text": …}} (UTF-8) or {@code {"base64": …}}; id = the AMQP
 *   {@code message-id}, correlation id = {@code correlation-id}, timestamp = {@code timestamp}, source = the
 *   adapter's {@code source} ("amqp"); {@code metadata.amqp} = exchange, routing key, queue, redelivered, and
 *   {@code event_id}, the id of the event made from the message (an envelope is read as it is, but its
 *   {@code metadata.amqp} is set the same way).</li>
 *   <li>The event is published with {@link io.inos.nexus.Nexus#publish} (to the subscribers of its type and its
 *   user or campaign scope; a {@code :requested} event is sent to one host of its service), or on the binding's
 *   {@code address} when one is set.</li>
 *   <li><b>Acknowledged only after the Nexus accepted it</b>, and "accepted" means <em>published locally</em>:
 *   {@code publish} returned without refusing the event. For a {@code :requested} event that is the hand-over to
 *   the event bus, not the service's outcome: the outcome is published like any other event (bind its type
 *   {@code out} to send it back to the broker). The adapter does not wait for the outcome because a request may run
 *   for seconds and would hold a prefetch slot all that time, and because the Nexus already answers a duplicate
 *   request id once (its duplicate window), which is what a redelivery after a lost acknowledgement is — for
 *   envelopes, and for wrapped messages whose publisher set a {@code message-id} (without one, each delivery gets a
 *   new event id).</li>
 *   <li><b>Poison</b> — a body larger than {@code maxMessageBytes} ({@code too_large}), not JSON when JSON is
 *   required ({@code bad_json}), an invalid event type ({@code bad_type}), an envelope with a field of the wrong
 *   shape ({@code bad_envelope}), no type at all ({@code no_type}), an event the Nexus refused ({@code refused}):
 *   the message is republished, body and properties unchanged, to the {@code deadLetterExchange} (declared as
 *   {@code deadLetterExchangeType}, default fanout; routing key = the source queue) with the headers
 *   {@code x-inos-reason} (the code), {@code x-inos-reason-detail} (the explanation), {@code x-inos-queue},
 *   {@code x-inos-original-exchange} and {@code x-inos-original-routing-key}; the original is acknowledged once the
 *   broker confirmed the copy (so a poison message is never lost between the two), and the flow continues. Without
 *   a dead-letter exchange poison messages are rejected without requeue (the broker drops them, or dead-letters
 *   them by the queue's own policy, without our reason).</li>
 * </ul>
 *
 * <h2>Outbound (direction {@code out}): event-bus address → exchange</h2>
 * <ul>
 *   <li>The adapter consumes the binding's {@code address} (an event type, {@code user:{id}}, any address; the
 *   body an {@link io.inos.nexus.Event} or its JSON envelope) and publishes each event to {@code exchange} with
 *   {@code routingKey} (default: the event type). The message: body = the canonical JSON envelope;
 *   {@code content-type application/json}, {@code message-id} = event id, {@code correlation-id} = correlation
 *   id, {@code type} = event type, {@code timestamp}, persistent delivery mode, headers {@code x-inos-type} and
 *   {@code x-inos-source}. A message that is no event is dropped and counted.</li>
 *   <li><b>No loops</b>: an event that came in from the broker is not published by an {@code out} binding to the
 *   exchange and routing key it came from (its {@code metadata.amqp} says where; counted as
 *   {@code inos.amqp.outbound.looped}). Without this, an exchange bound both ways — a queue on it consumed {@code in},
 *   its events' address bound {@code out} to it — would carry the event round for ever. The events of its lifecycle
 *   (the outcome of a request that came in) inherit that metadata but have ids of their own, so they do go out, once.
 *   It is the same event that is kept back, not the type: an event that came from exchange A and is bound out to B
 *   goes to B (loops built in the broker itself, e.g. an exchange-to-exchange binding from B back to A, are the
 *   broker's to avoid). MQTT clients do not see an event twice either: events that came from MQTT keep their
 *   {@code metadata.mqtt} through the broker and back, and the MQTT door skips those (it routed them already).</li>
 *   <li><b>In a cluster, once per event</b>: the adapter listens on the address with a node-local consumer, so it
 *   forwards the events published on its own node only. A clustered consumer on every node would give each node a
 *   copy of every event — one broker message per node — and a single clustered consumer would cross the network for
 *   every event and stop forwarding when its node leaves. With one adapter per node (the assembled server deploys it
 *   on each node when {@code INOS_AMQP_URL} is set, and the nodes of a cluster share their configuration), each
 *   event is forwarded once, by the node it was published on, without a hop; events published on a node without the
 *   adapter are not forwarded. Inbound, a queue's consumers on several nodes compete, so each broker message comes
 *   in once too.</li>
 *   <li><b>Publisher confirms</b>: an event leaves the adapter's memory only when the broker confirmed it. A nack
 *   puts it back at the front, to be published again; a broker loss puts every unconfirmed event back at the front,
 *   to be published on the next connection. So outbound delivery is at-least-once (a confirm lost with the
 *   connection means a duplicate, with the same message-id), and order is kept except around a nack or a loss.</li>
 *   <li><b>Bounded buffer</b>: at most {@code outboundBufferSize} events are held (waiting or unconfirmed). When it is
 *   full — the broker is away for long, or slower than the Nexus — new events are dropped and counted
 *   ({@code inos.amqp.outbound.dropped}, with a warning every 10 s); the held ones are kept. The buffer is memory:
 *   events held when the process dies, or after {@code stopDrainTimeoutMs} when the adapter is undeployed, are
 *   lost. For events that must survive that, have a service record them (the ledger) and republish.</li>
 * </ul>
 *
 * <h2>Broker loss</h2>
 * Any unexpected end of the connection or of one of its channels ends the link. The adapter then reconnects with
 * exponential backoff ({@code reconnectInitialDelayMs}, doubling up to {@code reconnectMaxDelayMs}, reset after a
 * successful connection), declares everything again and resumes consuming and publishing. Inbound messages not
 * acknowledged at the loss are redelivered by the broker (flagged redelivered, same message-id); nothing the adapter
 * acknowledged was acknowledged before the Nexus had it, so nothing acknowledged is lost. A silent broker is noticed
 * by the AMQP heartbeat ({@code heartbeatSeconds}). A broker that cannot be reached at start is waited for the same
 * way: the deployment completes, outbound events wait in the buffer, and the bindings are declared and consumed
 * once it comes ({@code requireBrokerAtStart: true} fails the deployment instead);
 * {@link io.inos.adapters.amqp.AmqpAdapterVerticle#problem()} says why it is not connected meanwhile. A broker that
 * answers and refuses — wrong credentials or virtual host, a topology it will not declare — fails the deployment
 * with a message naming the option (and the broker's own words, e.g. {@code NOT_FOUND - no queue 'x'}): retrying
 * would get the same answer.
 *
 * <h2>Metrics</h2>
 * With {@link io.inos.adapters.amqp.AmqpAdapterOptions#setMeterRegistry a meter registry}, tagged
 * {@code adapter=<connectionName>}: {@code inos.amqp.messages.in}, {@code inos.amqp.messages.published},
 * {@code inos.amqp.acks}, {@code inos.amqp.dead.lettered} (tag {@code reason}), {@code inos.amqp.messages.out}
 * (confirmed), {@code inos.amqp.nacks}, {@code inos.amqp.retries}, {@code inos.amqp.outbound.dropped},
 * {@code inos.amqp.reconnects}, {@code inos.amqp.connect.failures}, and the gauges {@code inos.amqp.outbound.held}
 * and {@code inos.amqp.connected}. The same figures: {@link io.inos.adapters.amqp.AmqpAdapterVerticle#stats()}.
 *
 * <h2>Threads</h2>
 * The adapter decides everything on its verticle's context. RabbitMQ's Java client blocks (connecting, declaring,
 * writing under the broker's flow control) and its channels must not be shared by threads, so every call on the
 * connection runs, in order, on one worker thread of the adapter's own; the client's threads only hand deliveries,
 * confirms and shutdown notices over to the context. The client is used directly rather than through
 * {@code vertx-rabbitmq-client}, whose reconnection has a fixed interval, does not re-attach the confirm listener to
 * the new channel, and reports no loss when its own retries are off. The client's automatic recovery is off: it
 * would replay the old channel's state (delivery tags, unconfirmed publishes) behind the adapter's back.
 *
 * <h2>Error codes</h2>
 * {@link io.inos.graceful.Code#amqpCondition()} maps outcomes to AMQP <em>1.0</em> conditions; AMQP 0-9-1 has no
 * per-message error to send back to a publisher (only channel and connection closes, which would stop the flow for
 * everyone), so the adapter's protocol-native refusal is the dead-letter copy with its {@code x-inos-reason}.
 */
package io.inos.adapters.amqp;
