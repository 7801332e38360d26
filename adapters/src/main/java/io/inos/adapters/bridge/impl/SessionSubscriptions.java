package io.inos.adapters.bridge.impl;

import io.inos.adapters.bridge.BridgeRules;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A session's subscriptions (address → the outbound check it passed). Most sessions subscribe once or twice (their
 * user address, a campaign), and an idle connection's memory is what ten thousand of them cost: the first
 * subscription lives in two fields, a map only beyond it. Touched on the session's context only.
 */
final class SessionSubscriptions {

  private String firstAddress;
  private BridgeRules.Check firstCheck;
  private Map<String, BridgeRules.Check> more;

  BridgeRules.Check get(String address) {
    if (address.equals(firstAddress)) {
      return firstCheck;
    }
    return more == null ? null : more.get(address);
  }

  boolean contains(String address) {
    return get(address) != null;
  }

  int size() {
    return (firstAddress == null ? 0 : 1) + (more == null ? 0 : more.size());
  }

  boolean isEmpty() {
    return size() == 0;
  }

  /** Adds or replaces the check of {@code address}. */
  void put(String address, BridgeRules.Check check) {
    if (firstAddress == null || firstAddress.equals(address)) {
      if (firstAddress == null && more != null && more.containsKey(address)) {
        more.put(address, check);
        return;
      }
      firstAddress = address;
      firstCheck = check;
      return;
    }
    if (more == null) {
      more = new HashMap<>(4);
    }
    more.put(address, check);
  }

  /** @return the check {@code address} had, or {@code null} when it was not subscribed */
  BridgeRules.Check remove(String address) {
    if (address.equals(firstAddress)) {
      BridgeRules.Check removed = firstCheck;
      firstAddress = null;
      firstCheck = null;
      return removed;
    }
    return more == null ? null : more.remove(address);
  }

  /** @return the addresses, copied: callers change the subscriptions while walking them */
  List<String> addresses() {
    List<String> all = new ArrayList<>(size());
    if (firstAddress != null) {
      all.add(firstAddress);
    }
    if (more != null) {
      all.addAll(more.keySet());
    }
    return all;
  }
}
