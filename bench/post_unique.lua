-- wrk script: POST a JSON body whose {n} placeholders become a per-thread counter, so every request is a real
-- create (a unique email, a unique orderId). BODY_TEMPLATE and AUTH come from the environment.
local counter = 0
local template = os.getenv("BODY_TEMPLATE")
local auth = os.getenv("AUTH_HEADER")
local auth_value = os.getenv("AUTH_VALUE")
local salt = os.getenv("SALT") or "0"

request = function()
  counter = counter + 1
  local body = template:gsub("{n}", salt .. "x" .. counter)
  local headers = {["Content-Type"] = "application/json"}
  if auth then headers[auth] = auth_value end
  return wrk.format("POST", nil, headers, body)
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
