namespace Shardgate.Storage.Redis;

/// <summary>
/// The Lua that makes a key's limits exact across replicas: each runs atomically in Redis, on Redis's clock.
/// Rates are GCRA (a token bucket kept as one "theoretical arrival time" per key: a limit of N per minute admits a
/// burst of N, then one every 60/N s, as the single-process limiter does). Concurrency is a hash of in-flight counts
/// per replica; a replica's count stops counting once its heartbeat key has expired, so a crashed replica's slots
/// free themselves.
/// </summary>
internal static class KeyLimitScripts
{
    /// <summary>
    /// KEYS: rpm state, tpm state, concurrency hash. ARGV: replica, rpm, tpm, max concurrent (0 = none), tokens,
    /// replica key prefix. Returns {verdict (0 admitted, 1 concurrency, 2 rpm, 3 tpm), wait ms, requests left,
    /// requests reset ms, tokens left, tokens reset ms, in flight}.
    /// </summary>
    public const string Admit = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local rpm, tpm, maxc, cost = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
        local inflight = 0
        if maxc > 0 then
          local fields = redis.call('HGETALL', KEYS[3])
          for i = 1, #fields, 2 do
            if redis.call('EXISTS', ARGV[6] .. fields[i]) == 1 then
              inflight = inflight + tonumber(fields[i + 1])
            else
              redis.call('HDEL', KEYS[3], fields[i])
            end
          end
          if inflight >= maxc then return {1, 1000, 0, 0, 0, 0, inflight} end
        end
        local function take(key, limit, n)
          local interval = 60000 / limit
          local tat = tonumber(redis.call('GET', key)) or now
          if tat < now then tat = now end
          return tat + n * interval, tat, interval
        end
        local rNew, rTat, rInt, tNew, tTat, tInt
        if rpm > 0 then
          rNew, rTat, rInt = take(KEYS[1], rpm, 1)
          if rNew - now > 60000 then return {2, math.ceil(rNew - now - 60000), 0, math.ceil(rTat - now), 0, 0, inflight} end
        end
        if tpm > 0 then
          tNew, tTat, tInt = take(KEYS[2], tpm, cost)
          if tNew - now > 60000 then return {3, math.ceil(tNew - now - 60000), 0, 0, 0, math.ceil(tTat - now), inflight} end
        end
        local rLeft, rReset, tLeft, tReset = 0, 0, 0, 0
        if rNew then
          redis.call('SET', KEYS[1], tostring(rNew), 'PX', math.ceil(rNew - now) + 1000)
          rLeft, rReset = math.floor((now + 60000 - rNew) / rInt), math.ceil(rNew - now)
        end
        if tNew then
          redis.call('SET', KEYS[2], tostring(tNew), 'PX', math.ceil(tNew - now) + 1000)
          tLeft, tReset = math.floor((now + 60000 - tNew) / tInt), math.ceil(tNew - now)
        end
        if maxc > 0 then
          redis.call('HINCRBY', KEYS[3], ARGV[1], 1)
          redis.call('PEXPIRE', KEYS[3], 86400000)
        end
        return {0, 0, rLeft, rReset, tLeft, tReset, inflight + 1}
        """;

    /// <summary>
    /// KEYS: tpm state, concurrency hash. ARGV: replica, tpm, tokens to give back (negative: to take more),
    /// whether the request held a concurrency slot (1/0).
    /// </summary>
    public const string Complete = """
        if ARGV[4] == '1' then
          if redis.call('HINCRBY', KEYS[2], ARGV[1], -1) <= 0 then redis.call('HDEL', KEYS[2], ARGV[1]) end
        end
        local tpm, back = tonumber(ARGV[2]), tonumber(ARGV[3])
        if tpm > 0 and back ~= 0 then
          local tat = tonumber(redis.call('GET', KEYS[1]))
          if tat then
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local new = tat - back * (60000 / tpm)
            if new <= now then
              redis.call('DEL', KEYS[1])
            else
              redis.call('SET', KEYS[1], tostring(new), 'PX', math.ceil(new - now) + 1000)
            end
          end
        end
        return 0
        """;
}
