/**
 * The Nexus extended over Redis: bounded per-scope history with recovery, relay to other INOS clusters and to the
 * original INOS services, presence, and rate limits shared by every node. Entry point: {@link
 * io.inos.nexus.redis.RedisExtension}; options: {@link io.inos.nexus.redis.RedisExtensionOptions}. Single-node mode
 * needs none of it.
 *
 * <h2>How events reach the extension</h2>
 * An outbound interceptor on the node's event bus sees every {@link io.inos.nexus.Event} this node publishes (the
 * Nexus publishes each event at its type address and at its client scope, {@code user:{id}} or {@code campaign:{id}},
 * see {@link io.inos.nexus.Addresses}). A publication whose address matches a history scope is queued for append;
 * the publication at the type address of a selected type is queued for the relay. So every event is appended and
 * relayed once, by the node that published it, and the Nexus needed no change. The publisher never waits for Redis.
 *
 * <h2>Data layout ({@code P} = {@code keyPrefix}, default {@code inos:})</h2>
 * <table>
 *   <caption>Keys and channels</caption>
 *   <tr><th>name</th><th>type</th><th>holds</th></tr>
 *   <tr><td>{@code P history:{scope}}</td><td>stream</td><td>one entry per event published on the address
 *     {@code scope} (e.g. {@code inos:history:{campaign:42}}): fields {@code i} = event id, {@code e} = the event's
 *     JSON envelope; or a gap marker {@code g} = how many events were lost while Redis was down. Trimmed with
 *     {@code MAXLEN ~ maxLength} and/or {@code MINID ~ now - maxAgeMs} at each append; with a max age the key also
 *     expires when idle that long.</td></tr>
 *   <tr><td>{@code P history:{scope}:epoch}</td><td>string</td><td>a random name of the stream's life, made with
 *     it; a lost stream (Redis restarted without persistence, or expired) gets a new one, which invalidates old
 *     positions. Same expiry as the stream.</td></tr>
 *   <tr><td>{@code P relay}</td><td>channel</td><td>events between INOS clusters sharing the prefix</td></tr>
 *   <tr><td>{@code nexus:events}, {@code nexus:events:{service}:{action}}</td><td>channels</td><td>the original
 *     INOS channels (the base is {@code relay.originalChannel}); no prefix: they are the original's</td></tr>
 *   <tr><td>{@code P relay:claim:{clusterId}:{event id or sha:hash}}</td><td>string, PX dedup window</td><td>which
 *     node of a cluster takes an incoming event in (SET NX)</td></tr>
 *   <tr><td>{@code P presence:{campaign}}</td><td>hash</td><td>client id → member JSON
 *     ({@code campaign_id, client_id, user_id, node_id, info})</td></tr>
 *   <tr><td>{@code P presence:expiry}</td><td>sorted set</td><td>{@code campaign \n client} scored by the time
 *     (Redis clock, ms) its entry expires</td></tr>
 *   <tr><td>{@code P rate:{client}}</td><td>hash, expires when full again</td><td>the client's token bucket:
 *     {@code t} tokens, {@code ts} last refill (Redis clock, ms)</td></tr>
 * </table>
 * Every multi-key step is one Lua script (loaded at each (re)connection, called by SHA). The scripts assume a
 * standalone Redis (or one primary): presence scripts touch keys of several campaigns, which Redis Cluster would
 * refuse.
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li>History: per scope, events are kept in the order Redis received their appends (per publishing node, the
 *   order of publication). A position is the stream entry id plus the epoch
 *   ({@link io.inos.nexus.redis.HistoryPosition} says why not the event id). A recovery returns every event after
 *   the position, in order and without duplicate event ids, with {@code recovered: true}; or
 *   {@code recovered: false} and no events when anything after the position may be missing: the position's entry was
 *   trimmed (and entries had been trimmed), its epoch is not the stream's, the event id is not in the history, more
 *   than {@code maxRecovered} events follow it, or a gap marker follows it. Appends are at least once (a batch is
 *   resent after a broken connection), which recovery hides by event id.</li>
 *   <li>While Redis is down, up to {@code appendBufferLimit} appends wait and are written when it is back; beyond
 *   that they are dropped, counted ({@code inos.redis.history.appends{result=dropped}}), and each scope that lost
 *   events gets a gap marker after the buffered events once Redis is back (for up to 10,000 scopes).</li>
 *   <li>Relay: at most once (pub/sub); never looped back (an envelope carrying this cluster's id in
 *   {@code metadata.relay_origin} is dropped; events taken in are never relayed out); never delivered twice within
 *   {@code relay.dedupWindowMs} (by event id, or by the SHA-256 of the text for the original's id-less envelopes,
 *   per node locally and per cluster with the claim key). Paused while Redis is down.</li>
 *   <li>Presence: a join and a leave event per client, each published once (the leave of an expired entry by the
 *   one node whose sweep removed it); a dead node's entries go within about {@code presenceTtlMs} plus half of it.</li>
 *   <li>Rate limits: one bucket per client across all nodes (atomic script, Redis clock); while Redis is down each
 *   node limits with its own bucket.</li>
 *   <li>State: {@link io.inos.nexus.redis.RedisExtension#state()} (UP, or DOWN with the reason) and the gauge
 *   {@code inos.redis.up}; the extension resumes by itself when Redis answers again.</li>
 * </ul>
 *
 * <h2>Metrics</h2>
 * {@code inos.redis.up}, {@code inos.redis.history.appends{result=appended|dropped|failed}},
 * {@code inos.redis.history.pending}, {@code inos.redis.relay.events{direction=out|in}},
 * {@code inos.redis.presence.local}, {@code inos.redis.ratelimit.decisions{mode=shared|local}}.
 */
package io.inos.nexus.redis;
