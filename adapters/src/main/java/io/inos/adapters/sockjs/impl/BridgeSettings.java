package io.inos.adapters.sockjs.impl;

import io.inos.adapters.bridge.BridgeRules;
import io.inos.adapters.sockjs.BrowserBridgeOptions;
import io.inos.nexus.Nexus;

/**
 * What every socket of one bridge shares.
 *
 * @param requestTimeoutMs resolved: the bridge's own or the Nexus default
 */
public record BridgeSettings(Nexus nexus, BridgeRules rules, BrowserBridgeOptions options, SubscriptionTable table,
                             long requestTimeoutMs) {
}
