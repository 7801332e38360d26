package io.inos.adapters.mqtt.impl;

/**
 * One subscription of one session, as the topic trie holds it.
 *
 * @param session           who subscribed
 * @param raw               the filter as the client sent it (with its {@code $share/group/} prefix)
 * @param filter            the filter without the share prefix
 * @param group             the share group, or {@code null}
 * @param qos               the granted QoS
 * @param noLocal           MQTT 5 No Local: not to the publishing client
 * @param retainAsPublished MQTT 5 Retain As Published
 * @param identifier        MQTT 5 subscription identifier, 0 = none
 * @param sendRetained      whether the retained messages matching it are sent when it is made (MQTT 5 Retain
 *                          Handling; never for shared subscriptions)
 */
record Subscription(ClientSession session, String raw, String filter, String group, int qos, boolean noLocal,
                    boolean retainAsPublished, int identifier, boolean sendRetained) {
}
