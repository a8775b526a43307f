-- wrk script for run-rate-limit-accuracy.sh: sends the key, and counts admitted (200) and refused (429) responses
-- per rate-limit window. A window is identified from the response's own RateLimit field ("rate";r=..;t=..): its end
-- lies t seconds (rounded up) after the response, and window ends are multiples of WINDOW seconds since the epoch.
local key = os.getenv("KEY")
local window = tonumber(os.getenv("WINDOW"))
admitted = {}
refused = {}
other = 0

request = function()
  return wrk.format("GET", "/api/p2p/summary", { ["X-API-Key"] = key })
end

response = function(status, headers, body)
  local field = headers["RateLimit"] or headers["ratelimit"]
  local t = field and tonumber(string.match(field, "t=(%d+)"))
  if t == nil or (status ~= 200 and status ~= 429) then
    other = other + 1
    return
  end
  local id = math.floor((os.time() + t) / window + 0.5) - 1
  local counts = status == 200 and admitted or refused
  counts[id] = (counts[id] or 0) + 1
end

local threads = {}
setup = function(thread) table.insert(threads, thread) end

done = function(summary, latency, requests)
  for _, thread in ipairs(threads) do
    for id, n in pairs(thread:get("admitted")) do io.write(string.format("window %d admitted %d\n", id, n)) end
    for id, n in pairs(thread:get("refused")) do io.write(string.format("window %d refused %d\n", id, n)) end
    io.write(string.format("other %d\n", thread:get("other")))
  end
end
