-- wrk script for bench/replicas.py: requests spread over many tenants, one LinkJolt key each (KEYS_FILE, one key
-- a line). Four in five list the tenant's affiliates; one in five makes an affiliate with a unique email.
local keys = {}
local counter = 0
local salt = os.getenv("SALT") or "s"

local file = assert(io.open(os.getenv("KEYS_FILE"), "r"))
for line in file:lines() do
  if #line > 0 then keys[#keys + 1] = line end
end
file:close()

setup = function(thread)
  thread:set("tid", tostring(math.random(1, 1000000000)))
end

request = function()
  counter = counter + 1
  local key = keys[(counter % #keys) + 1]
  local headers = {["Authorization"] = "Bearer " .. key}
  if counter % 5 == 0 then
    headers["Content-Type"] = "application/json"
    local body = string.format('{"email":"b%s%s%d@example.com","name":"Bench","campaignId":"camp_percentage_00001"}',
                               salt, tid or "t", counter)
    return wrk.format("POST", "/linkjolt/api/v1/affiliates", headers, body)
  end
  return wrk.format("GET", "/linkjolt/api/v1/affiliates?limit=10", headers, nil)
end

done = function(summary, latency, requests)
  io.write(string.format("LATENCY_P50_US %d\n", latency:percentile(50)))
  io.write(string.format("LATENCY_P99_US %d\n", latency:percentile(99)))
end
