namespace Shardgate.Storage.Redis;

/// <summary>
/// The Lua that makes admission exact across replicas: each script runs atomically in Redis, on Redis's clock.
/// Rates are GCRA (a token bucket kept as one "theoretical arrival time" per key: a limit of N per minute admits a
/// burst of N, then one every 60/N s, as the single-process limiter does). Concurrency, a key's requests and a
/// model's requests and input tokens in flight, is a hash of counts per replica; a replica's counts stop counting
/// once its heartbeat key has expired, so a crashed replica's slots free themselves.
/// </summary>
internal static class AdmissionScripts
{
    /// <summary>
    /// KEYS: rpm state, tpm state, key concurrency hash, model hash. ARGV: replica, rpm, tpm, key max concurrent,
    /// key tokens, replica key prefix, model max requests, model max input tokens, model input tokens (0 = no limit).
    /// Returns {verdict (0 admitted, 1 key concurrency, 2 rpm, 3 tpm, 4 model requests, 5 model tokens), wait ms,
    /// requests left, requests reset ms, tokens left, tokens reset ms, key in flight, model requests, model tokens}.
    /// </summary>
    public const string Admit = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local rpm, tpm, maxc, cost = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
        local mreq, mtok, mcost = tonumber(ARGV[7]), tonumber(ARGV[8]), tonumber(ARGV[9])
        local function live(replica) return redis.call('EXISTS', ARGV[6] .. replica) == 1 end
        local mr, mt = 0, 0
        if mreq > 0 or mtok > 0 then
          local fields = redis.call('HGETALL', KEYS[4])
          for i = 1, #fields, 2 do
            local f = fields[i]
            if live(string.sub(f, 3)) then
              if string.sub(f, 1, 1) == 'r' then mr = mr + tonumber(fields[i + 1]) else mt = mt + tonumber(fields[i + 1]) end
            else
              redis.call('HDEL', KEYS[4], f)
            end
          end
          if mreq > 0 and mr + 1 > mreq then return {4, 1000, 0, 0, 0, 0, 0, mr, mt} end
          if mtok > 0 and mt + mcost > mtok then return {5, 1000, 0, 0, 0, 0, 0, mr, mt} end
        end
        local inflight = 0
        if maxc > 0 then
          local fields = redis.call('HGETALL', KEYS[3])
          for i = 1, #fields, 2 do
            if live(fields[i]) then
              inflight = inflight + tonumber(fields[i + 1])
            else
              redis.call('HDEL', KEYS[3], fields[i])
            end
          end
          if inflight >= maxc then return {1, 1000, 0, 0, 0, 0, inflight, mr, mt} end
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
          if rNew - now > 60000 then return {2, math.ceil(rNew - now - 60000), 0, math.ceil(rTat - now), 0, 0, inflight, mr, mt} end
        end
        if tpm > 0 then
          tNew, tTat, tInt = take(KEYS[2], tpm, cost)
          if tNew - now > 60000 then return {3, math.ceil(tNew - now - 60000), 0, 0, 0, math.ceil(tTat - now), inflight, mr, mt} end
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
        if mreq > 0 or mtok > 0 then
          redis.call('HINCRBY', KEYS[4], 'r:' .. ARGV[1], 1)
          redis.call('HINCRBY', KEYS[4], 't:' .. ARGV[1], mcost)
          redis.call('PEXPIRE', KEYS[4], 86400000)
        end
        return {0, 0, rLeft, rReset, tLeft, tReset, inflight + 1, mr + 1, mt + mcost}
        """;

    /// <summary>
    /// KEYS: tpm state, key concurrency hash, model hash. ARGV: replica, tpm, tokens to give back (negative: to take
    /// more), whether the request held a key slot (1/0), whether it held a model slot (1/0), its model input tokens.
    /// </summary>
    public const string Complete = """
        if ARGV[4] == '1' then
          if redis.call('HINCRBY', KEYS[2], ARGV[1], -1) <= 0 then redis.call('HDEL', KEYS[2], ARGV[1]) end
        end
        if ARGV[5] == '1' then
          local r = redis.call('HINCRBY', KEYS[3], 'r:' .. ARGV[1], -1)
          redis.call('HINCRBY', KEYS[3], 't:' .. ARGV[1], -tonumber(ARGV[6]))
          if r <= 0 then redis.call('HDEL', KEYS[3], 'r:' .. ARGV[1], 't:' .. ARGV[1]) end
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
