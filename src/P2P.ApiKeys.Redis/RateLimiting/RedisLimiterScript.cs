namespace P2P.ApiKeys.Redis;

/// <summary>
/// One atomic decision in Redis, on Redis's clock (<c>TIME</c>), so nodes with skewed clocks still agree on every
/// window. One hash per API key: the fixed window (<c>rw</c>, its length <c>rwms</c>, count <c>rc</c>) and the calendar
/// period (<c>qs</c> its start and <c>qe</c> its end in Unix milliseconds, count <c>qc</c>). A count made in a window or period
/// that still runs is kept when the key's window length or period changes (a PATCH). The request is counted in both only if it fits
/// both; the hash expires when its last window or period is over.
/// </summary>
/// <remarks>
/// ARGV: rate limit (0 = none), window in ms, quota limit (0 = none), quota period (<c>d</c>, <c>w</c> or <c>m</c>), cost,
/// acquire (<c>1</c>) or only read (<c>0</c>), algorithm (<c>f</c> fixed window, <c>g</c> GCRA), burst, quota anchor
/// (day of the month 1–28 for <c>m</c>, ISO weekday 1–7 for <c>w</c>). GCRA keeps the
/// units in use times the window in ms (<c>gu</c>) as of <c>ga</c>, for window <c>gw</c> and limit <c>gl</c>. Returns: refused by (0 none, 1 rate limit, 2 quota), rate used,
/// rate reset in ms, quota used, quota reset in ms.
/// With a second key (an owner's budget, ARGV 10–18 laid out as 1–9), the request is checked against both and counted
/// in both only if it fits both; the answer is then ten values, the key's five and the owner's five. Both keys are
/// touched by one script, so on a Redis Cluster they must hash to one slot; this library targets one Redis (or a
/// primary with replicas), where that holds.
/// </remarks>
internal static class RedisLimiterScript
{
    public const string Source = """
        local function civil(z)
          z = z + 719468
          local era = math.floor(z / 146097)
          local doe = z - era * 146097
          local yoe = math.floor((doe - math.floor(doe / 1460) + math.floor(doe / 36524) - math.floor(doe / 146096)) / 365)
          local doy = doe - (365 * yoe + math.floor(yoe / 4) - math.floor(yoe / 100))
          local mp = math.floor((5 * doy + 2) / 153)
          local m = mp < 10 and mp + 3 or mp - 9
          local y = yoe + era * 400
          if m <= 2 then y = y + 1 end
          return y, m
        end
        local function first_day(y, m)
          if m <= 2 then y = y - 1 end
          local era = math.floor(y / 400)
          local yoe = y - era * 400
          local mp = m > 2 and m - 3 or m + 9
          local doe = yoe * 365 + math.floor(yoe / 4) - math.floor(yoe / 100) + math.floor((153 * mp + 2) / 5)
          return era * 146097 + doe - 719468
        end
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local function leak(used, at, limit)
          local el = now - at
          if el < 0 then el = 0 end
          if el >= math.floor(used / limit) + 1 then return 0 end
          return math.max(0, used - el * limit)
        end
        local function ceildiv(v, d)
          if v <= 0 then return 0 end
          return math.floor((v - 1) / d) + 1
        end
        local function decide(key, o, acquire)
          local rl = tonumber(ARGV[o + 1])
          local wms = tonumber(ARGV[o + 2])
          local ql = tonumber(ARGV[o + 3])
          local qp = ARGV[o + 4]
          local cost = tonumber(ARGV[o + 5])
          local gcra = ARGV[o + 7] == 'g'
          local burst = tonumber(ARGV[o + 8])
          local h = redis.call('HMGET', key, 'rw', 'rwms', 'rc', 'qs', 'qc', 'qe', 'gu', 'ga', 'gw', 'gl')
          local rw, rused, rreset = 0, 0, 0
          local hw, hwms = tonumber(h[1]), tonumber(h[2])
          local gu, ga, gw, gl = tonumber(h[7]), tonumber(h[8]), tonumber(h[9]), tonumber(h[10])
          local inuse, need, cap = 0, 0, 0
          if rl > 0 and gcra then
            -- GCRA, leaky-bucket form, in integers: units in use x window ms, leaking at rl per ms
            if ga then
              inuse = leak(gu, ga, gl)
              if gw ~= wms or gl ~= rl then inuse = math.floor(inuse * wms / gw) end
            elseif hw and hwms and (hw + 1) * hwms > now then
              inuse = tonumber(h[3]) * wms -- switched from a fixed window that still runs
            end
            need = cost * wms
            cap = burst * wms
            rused = ceildiv(inuse, wms)
          elseif rl > 0 then
            rw = math.floor(now / wms)
            if hw == rw and hwms == wms then
              rused = tonumber(h[3])
            elseif hw and hwms and hwms ~= wms and (hw + 1) * hwms > now then
              rused = tonumber(h[3]) -- the window length changed while the counted window still runs: the count stays
            elseif ga then
              rused = ceildiv(leak(gu, ga, gl), gw) -- switched from GCRA: what is still in use counts
            end
            rreset = (rw + 1) * wms - now
          end
          local qs, qused, qreset = 0, 0, 0
          if ql > 0 then
            local day = math.floor(now / 86400000)
            local anchor = tonumber(ARGV[o + 9])
            local qe
            if qp == 'd' then
              qs = day * 86400000
              qe = qs + 86400000
            elseif qp == 'w' then
              local iso = ((day + 3) % 7) + 1 -- 1970-01-01 was a Thursday (ISO 4)
              qs = (day - ((iso - anchor + 7) % 7)) * 86400000
              qe = qs + 7 * 86400000
            else
              local y, m = civil(day)
              if day - first_day(y, m) + 1 < anchor then
                if m == 1 then y = y - 1; m = 12 else m = m - 1 end
              end
              qs = (first_day(y, m) + anchor - 1) * 86400000
              if m == 12 then y = y + 1; m = 1 else m = m + 1 end
              qe = (first_day(y, m) + anchor - 1) * 86400000
            end
            if tonumber(h[4]) == qs or (h[6] and tonumber(h[6]) > now) then qused = tonumber(h[5]) end
            qreset = qe - now
          end
          local refused = 0
          if rl > 0 and gcra and inuse + need > cap then
            refused = 1
          elseif rl > 0 and not gcra and rused + cost > rl then
            refused = 1
          elseif ql > 0 and qused + cost > ql then
            refused = 2
          end
          if acquire and refused == 0 then
            if rl > 0 and gcra then
              inuse = inuse + need
              rused = ceildiv(inuse, wms)
              redis.call('HSET', key, 'gu', string.format('%d', inuse), 'ga', string.format('%d', now), 'gw', string.format('%d', wms), 'gl', string.format('%d', rl))
              redis.call('HDEL', key, 'rw')
            elseif rl > 0 then
              rused = rused + cost
              redis.call('HSET', key, 'rw', string.format('%d', rw), 'rwms', string.format('%d', wms), 'rc', string.format('%d', rused))
              redis.call('HDEL', key, 'ga')
            end
            if ql > 0 then
              qused = qused + cost
              redis.call('HSET', key, 'qs', string.format('%d', qs), 'qe', string.format('%d', now + qreset), 'qc', string.format('%d', qused))
            end
            if rl > 0 and gcra then rreset = ceildiv(inuse, rl) end
            local ttl = math.max(rreset, qreset) + 1000
            if redis.call('PTTL', key) < ttl then redis.call('PEXPIRE', key, string.format('%d', ttl)) end
          end
          if rl > 0 and gcra then
            if refused == 1 then rreset = ceildiv(inuse + need - cap, rl) else rreset = ceildiv(inuse, rl) end
          end
          return refused, rused, rreset, qused, qreset
        end
        local acquire = ARGV[6] == '1'
        if #KEYS == 1 then return { decide(KEYS[1], 0, acquire) } end
        -- A key and its owner's budget: both checked first, both counted only if the request fits both.
        local a = { decide(KEYS[1], 0, false) }
        local b = { decide(KEYS[2], 9, false) }
        if acquire and a[1] == 0 and b[1] == 0 then
          a = { decide(KEYS[1], 0, true) }
          b = { decide(KEYS[2], 9, true) }
        end
        return { a[1], a[2], a[3], a[4], a[5], b[1], b[2], b[3], b[4], b[5] }
        """;

}
