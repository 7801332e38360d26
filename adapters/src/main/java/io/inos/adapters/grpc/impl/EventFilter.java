package io.inos.adapters.grpc.impl;

import io.inos.nexus.Event;
import io.inos.nexus.EventState;
import io.inos.nexus.EventType;
import io.inos.proto.nexus.v1.SubscribeEventsRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What a {@code SubscribeEvents} call wants: event types or glob patterns ({@code *} matches any run of characters,
 * colons included: {@code campaign:*}, {@code *:failed}), none meaning all; and optionally one campaign and/or one
 * user ({@code metadata.global_context}).
 */
public final class EventFilter {

  private static final int MAX_PATTERNS = 64;
  private static final int MAX_PATTERN_LENGTH = 256;

  private final List<String> exactTypes = new ArrayList<>();
  private final List<Pattern> patterns = new ArrayList<>();
  private final String campaignId;
  private final String userId;

  private EventFilter(String campaignId, String userId) {
    this.campaignId = campaignId == null || campaignId.isEmpty() ? null : campaignId;
    this.userId = userId == null || userId.isEmpty() ? null : userId;
  }

  /** @throws IllegalArgumentException when a pattern is empty, too long, or names {@code :requested} events */
  public static EventFilter of(SubscribeEventsRequest request) {
    if (request.getTypesCount() > MAX_PATTERNS) {
      throw new IllegalArgumentException("at most " + MAX_PATTERNS + " types or patterns per subscription");
    }
    EventFilter filter = new EventFilter(request.getCampaignId(), request.getUserId());
    for (String type : request.getTypesList()) {
      if (type.isBlank() || type.length() > MAX_PATTERN_LENGTH) {
        throw new IllegalArgumentException("a type or pattern must have 1 to " + MAX_PATTERN_LENGTH + " characters");
      }
      if (type.contains("*")) {
        filter.patterns.add(glob(type));
        continue;
      }
      EventType parsed = EventType.parse(type);
      if (parsed.hasState(EventState.REQUESTED)) {
        // a consumer there would take requests away from the service: inboxes are point-to-point
        throw new IllegalArgumentException(":requested events go to their service and cannot be subscribed to");
      }
      filter.exactTypes.add(type);
    }
    return filter;
  }

  /** @return the exact types when the subscription names only exact types, else an empty list */
  public List<String> onlyExactTypes() {
    return patterns.isEmpty() ? List.copyOf(exactTypes) : List.of();
  }

  public String userId() {
    return userId;
  }

  public boolean matches(Event event) {
    if (event.type().hasState(EventState.REQUESTED)) {
      return false;
    }
    if (campaignId != null && !campaignId.equals(event.campaignId())) {
      return false;
    }
    if (userId != null && !userId.equals(event.userId())) {
      return false;
    }
    if (exactTypes.isEmpty() && patterns.isEmpty()) {
      return true;
    }
    String type = event.type().toString();
    if (exactTypes.contains(type)) {
      return true;
    }
    for (Pattern p : patterns) {
      if (p.matcher(type).matches()) {
        return true;
      }
    }
    return false;
  }

  private static Pattern glob(String pattern) {
    StringBuilder regex = new StringBuilder();
    int start = 0;
    for (int i = pattern.indexOf('*'); i >= 0; i = pattern.indexOf('*', start)) {
      if (i > start) {
        regex.append(Pattern.quote(pattern.substring(start, i)));
      }
      regex.append(".*");
      start = i + 1;
    }
    if (start < pattern.length()) {
      regex.append(Pattern.quote(pattern.substring(start)));
    }
    return Pattern.compile(regex.toString());
  }
}
