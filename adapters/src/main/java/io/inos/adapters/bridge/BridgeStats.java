package io.inos.adapters.bridge;

/**
 * A snapshot of a bridge's counters. The same figures are in the bridge's Micrometer meters
 * ({@code inos.bridge.*}) when it has a registry.
 *
 * @param sessions          sessions open now
 * @param subscriptions     subscriptions of all sessions now
 * @param addresses         distinct addresses subscribed now, i.e. event-bus consumers the bridge holds
 * @param deliveries        messages handed to clients so far
 * @param dropped           messages dropped from full outbound queues so far ({@link SlowConsumerPolicy#DROP_OLDEST})
 * @param slowDisconnects   sessions closed for reading too slowly ({@link SlowConsumerPolicy#DISCONNECT})
 * @param rateLimited       inbound messages refused over the rate limit
 * @param denied            operations refused by the rules or the scope
 * @param invalidTokens     tokens refused
 * @param queued            messages waiting in outbound queues now
 * @param queuedHighWater   the most messages ever waiting in one session's outbound queue
 */
public record BridgeStats(long sessions, long subscriptions, long addresses, long deliveries, long dropped,
                          long slowDisconnects, long rateLimited, long denied, long invalidTokens, long queued,
                          long queuedHighWater) {
}
