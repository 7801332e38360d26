package io.inos.adapters.mqtt;

/**
 * A snapshot of the MQTT adapter's counters. The same figures are in its Micrometer meters ({@code inos.mqtt.*}) when
 * it has a registry.
 *
 * @param connections         MQTT connections open now
 * @param sessions            sessions now, online or not (persistent ones outlive their connection)
 * @param subscriptions       subscriptions in the topic trie now
 * @param retained            topics holding a retained message
 * @param connectionsAccepted CONNECTs accepted so far
 * @param connectionsRefused  CONNECTs refused so far (credentials, will topic)
 * @param messagesIn          PUBLISH packets (and wills) accepted from clients so far
 * @param messagesOut         PUBLISH packets sent to clients so far
 * @param dropped             messages refused or dropped so far, for any reason
 */
public record MqttStats(long connections, long sessions, long subscriptions, long retained, long connectionsAccepted,
                        long connectionsRefused, long messagesIn, long messagesOut, long dropped) {
}
