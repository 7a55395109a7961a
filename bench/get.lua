-- wrk script: GET with an optional auth header from the environment; prints latency percentiles.
local auth = os.getenv("AUTH_HEADER")
local auth_value = os.getenv("AUTH_VALUE")

request = function()
  local headers = {}
  if auth then headers[auth] = auth_value end
  return wrk.format("GET", nil, headers, nil)
end

done = function(summary, latency, requests)
  io.write(string.format("LATENCY_P99_US %d\n", latency:percentile(99)))
  io.write(string.format("LATENCY_P50_US %d\n", latency:percentile(50)))
  -- the whole distribution, for bench/tail.py (run.py reads the two above)
  for _, p in ipairs({1, 10, 25, 75, 90, 95, 98, 99.5, 99.9}) do
    io.write(string.format("LATENCY_AT %s %d\n", p, latency:percentile(p)))
  end
  io.write(string.format("LATENCY_MAX_US %d\n", latency.max))
end
