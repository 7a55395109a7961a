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
end
