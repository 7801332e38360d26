package io.inos.nexus.redis.impl;

/**
 * The Lua scripts of the extension. Each runs atomically in Redis, which is what makes an append (epoch + entry +
 * trim), a recovery check (epoch + bounds + range), a presence change (entry + expiry + "was it new") and a token
 * bucket (read + refill + take + write) correct when several nodes act at once.
 */
final class Scripts {

  private Scripts() {
  }

  /** Lua numbers are doubles: whole numbers are printed with %.0f, never tostring (which may print 1.7e+12). */
  private static final String NOW_MS = """
    local t = redis.call('TIME')
    local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
    """;

  /**
   * KEYS: stream, epoch. ARGV: event id ('' for a gap marker), event JSON (or the number of lost events), max length
   * (0 none), max age ms (0 none), a new epoch for a stream that has none.
   * Returns {epoch, entry id}.
   */
  static final LuaScript APPEND = new LuaScript("append", """
    local epoch = redis.call('GET', KEYS[2])
    if not epoch then
      epoch = ARGV[5]
      redis.call('SET', KEYS[2], epoch)
    end
    local fields
    if ARGV[1] == '' then fields = {'g', ARGV[2]} else fields = {'i', ARGV[1], 'e', ARGV[2]} end
    local id
    local maxlen = tonumber(ARGV[3])
    if maxlen > 0 then
      id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[3], '*', unpack(fields))
    else
      id = redis.call('XADD', KEYS[1], '*', unpack(fields))
    end
    local age = tonumber(ARGV[4])
    if age > 0 then
    """ + NOW_MS + """
      redis.call('XTRIM', KEYS[1], 'MINID', '~', string.format('%.0f', now - age) .. '-0')
      redis.call('PEXPIRE', KEYS[1], age)
      redis.call('PEXPIRE', KEYS[2], age)
    end
    return {epoch, id}
    """);

  /**
   * KEYS: stream, epoch. ARGV: mode ('now' | 'pos' | 'id'), offset or event id, the client's epoch, the most
   * entries to return, a new epoch for a scope that has none, max age ms (0 none).
   * Returns {verdict, epoch, last id[, entries]}; verdict 'ok' (entries follow), 'now', 'epoch' (another stream),
   * 'trimmed', 'missing' (event id not in history), 'toomany', 'gap' (events were lost while Redis was down).
   */
  static final LuaScript RECOVER = new LuaScript("recover", """
    local function cmp(a, b)
      local am, as = string.match(a, '(%d+)-(%d+)')
      local bm, bs = string.match(b, '(%d+)-(%d+)')
      am, as, bm, bs = tonumber(am), tonumber(as), tonumber(bm), tonumber(bs)
      if am ~= bm then if am < bm then return -1 else return 1 end end
      if as ~= bs then if as < bs then return -1 else return 1 end end
      return 0
    end
    local epoch = redis.call('GET', KEYS[2])
    if not epoch then
      epoch = ARGV[5]
      redis.call('SET', KEYS[2], epoch)
      if tonumber(ARGV[6]) > 0 then redis.call('PEXPIRE', KEYS[2], ARGV[6]) end
    end
    local last, length, added, first = '0-0', 0, 0, '0-0'
    if redis.call('EXISTS', KEYS[1]) == 1 then
      local info = redis.call('XINFO', 'STREAM', KEYS[1])
      for i = 1, #info, 2 do
        local k = info[i]
        if k == 'last-generated-id' then last = info[i + 1]
        elseif k == 'length' then length = info[i + 1]
        elseif k == 'entries-added' then added = info[i + 1]
        elseif k == 'recorded-first-entry-id' then first = info[i + 1] end
      end
    end
    if ARGV[1] == 'now' then return {'now', epoch, last} end
    local from
    if ARGV[1] == 'pos' then
      if ARGV[3] ~= epoch then return {'epoch', epoch, last} end
      from = ARGV[2]
      local kept = cmp(from, last) >= 0 or added == length
        or #redis.call('XRANGE', KEYS[1], from, from) > 0
      if not kept then return {'trimmed', epoch, last} end
    else
      local cursor = '+'
      while not from do
        local page = redis.call('XREVRANGE', KEYS[1], cursor, '-', 'COUNT', 256)
        if #page == 0 then return {'missing', epoch, last} end
        for _, e in ipairs(page) do
          local f = e[2]
          if f[1] == 'i' and f[2] == ARGV[2] then from = e[1]; break end
        end
        cursor = '(' .. page[#page][1]
      end
    end
    local limit = tonumber(ARGV[4])
    local entries = redis.call('XRANGE', KEYS[1], '(' .. from, '+', 'COUNT', limit + 1)
    if #entries > limit then return {'toomany', epoch, last} end
    for _, e in ipairs(entries) do
      if e[2][1] == 'g' then return {'gap', epoch, last} end
    end
    return {'ok', epoch, last, entries}
    """);

  /**
   * KEYS: presence hash of the campaign, global expiry set. ARGV: client id, member JSON, expiry member, expires at
   * (ms, Redis clock + ttl computed here: ARGV[4] is the ttl). Returns 1 when the client is new.
   */
  static final LuaScript JOIN = new LuaScript("presence-join", NOW_MS + """
    local fresh = redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
    redis.call('ZADD', KEYS[2], now + tonumber(ARGV[4]), ARGV[3])
    return fresh
    """);

  /** KEYS: presence hash, expiry set. ARGV: client id, expiry member. Returns the member JSON when it was present. */
  static final LuaScript LEAVE = new LuaScript("presence-leave", """
    local member = redis.call('HGET', KEYS[1], ARGV[1])
    redis.call('HDEL', KEYS[1], ARGV[1])
    redis.call('ZREM', KEYS[2], ARGV[2])
    if member then return member end
    return false
    """);

  /**
   * The heartbeat of one node. KEYS: expiry set. ARGV: key prefix, ttl, then triples (campaign, client id, member
   * JSON). Refreshes each entry; an entry that was swept meanwhile (the node was cut off longer than the ttl) is
   * written again and returned, so its join is published again. Returns the re-added member JSONs.
   */
  static final LuaScript HEARTBEAT = new LuaScript("presence-heartbeat", NOW_MS + """
    local expires = now + tonumber(ARGV[2])
    local readded = {}
    for i = 3, #ARGV, 3 do
      local hash = ARGV[1] .. 'presence:{' .. ARGV[i] .. '}'
      local member = ARGV[i] .. '\\n' .. ARGV[i + 1]
      if redis.call('HSETNX', hash, ARGV[i + 1], ARGV[i + 2]) == 1 then
        readded[#readded + 1] = ARGV[i + 2]
      end
      redis.call('ZADD', KEYS[1], expires, member)
    end
    return readded
    """);

  /**
   * Removes expired entries, at most ARGV[2] of them. KEYS: expiry set. ARGV: key prefix, limit. Returns the member
   * JSONs removed; each is removed (and so reported) by exactly one sweeping node.
   */
  static final LuaScript SWEEP = new LuaScript("presence-sweep", NOW_MS + """
    local gone = {}
    local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[2]))
    for _, m in ipairs(expired) do
      local nl = string.find(m, '\\n', 1, true)
      local campaign, client = string.sub(m, 1, nl - 1), string.sub(m, nl + 1)
      local hash = ARGV[1] .. 'presence:{' .. campaign .. '}'
      local json = redis.call('HGET', hash, client)
      redis.call('HDEL', hash, client)
      redis.call('ZREM', KEYS[1], m)
      if json then gone[#gone + 1] = json end
    end
    return gone
    """);

  /**
   * KEYS: presence hash, expiry set. ARGV: campaign. Returns the member JSONs whose entries have not expired.
   */
  static final LuaScript MEMBERS = new LuaScript("presence-members", NOW_MS + """
    local all = redis.call('HGETALL', KEYS[1])
    local live = {}
    for i = 1, #all, 2 do
      local score = redis.call('ZSCORE', KEYS[2], ARGV[1] .. '\\n' .. all[i])
      if score and tonumber(score) > now then live[#live + 1] = all[i + 1] end
    end
    return live
    """);

  /**
   * A token bucket. KEYS: the client's bucket. ARGV: permits per second, burst, permits wanted.
   * Returns {allowed 0|1, whole permits left, ms until enough permits}.
   */
  static final LuaScript TAKE = new LuaScript("rate-take", NOW_MS + """
    local rate, burst, want = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
    local v = redis.call('HMGET', KEYS[1], 't', 'ts')
    local tokens, ts = tonumber(v[1]), tonumber(v[2])
    if not tokens then tokens = burst; ts = now end
    tokens = math.min(burst, tokens + math.max(0, now - ts) * rate / 1000)
    local allowed, wait = 0, 0
    if tokens >= want then
      tokens = tokens - want
      allowed = 1
    else
      wait = math.ceil((want - tokens) * 1000 / rate)
    end
    redis.call('HSET', KEYS[1], 't', string.format('%.6f', tokens), 'ts', string.format('%.0f', now))
    redis.call('PEXPIRE', KEYS[1], math.ceil(burst * 1000 / rate) + 1000)
    return {allowed, math.floor(tokens), wait}
    """);

  static final LuaScript[] ALL = {APPEND, RECOVER, JOIN, LEAVE, HEARTBEAT, SWEEP, MEMBERS, TAKE};
}
