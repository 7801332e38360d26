package io.inos.nexus.redis.impl;

/**
 * Every Redis key and INOS channel name of the extension, in one place (see the package documentation).
 * Keys of one scope share a hash tag ({@code {scope}}) so one script may touch them together.
 */
public final class Keys {

  private final String prefix;

  public Keys(String prefix) {
    this.prefix = prefix;
  }

  public String prefix() {
    return prefix;
  }

  public String stream(String scope) {
    return prefix + "history:{" + scope + "}";
  }

  public String epoch(String scope) {
    return prefix + "history:{" + scope + "}:epoch";
  }

  public String relayChannel() {
    return prefix + "relay";
  }

  public String relayClaim(String clusterId, String key) {
    return prefix + "relay:claim:" + clusterId + ":" + key;
  }

  public String presence(String campaignId) {
    return prefix + "presence:{" + campaignId + "}";
  }

  public String presenceExpiry() {
    return prefix + "presence:expiry";
  }

  public String rate(String clientKey) {
    return prefix + "rate:{" + clientKey + "}";
  }
}
