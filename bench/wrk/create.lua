-- wrk script: POST /api/v1/referrals with the benchmark's referral body, a new referred person per request.
--   KEY=<api key> wrk -t2 -c16 -d120s -s bench/wrk/create.lua http://localhost:8080
-- 500 advocates; the referred person differs by thread and request number.
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("thread_no", counter)
end

local n = 0
function request()
  n = n + 1
  local k = thread_no * 100000000 + n
  local body = string.format('{"referrer":{"name":"Advocate %d","email":"advocate%d@example.com"},'
    .. '"referred":{"firstName":"Lead","lastName":"%d","email":"lead%d@example.com","phone":"+14155550%03d"},'
    .. '"agentId":"agent-%d","channel":"API","expectedValue":1200,"currency":"USD",'
    .. '"notes":"Benchmark referral number %d, about the size of a real one."}',
    k % 500, k % 500, k, k, k % 1000, k % 20, k)
  return wrk.format("POST", "/api/v1/referrals",
    {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. os.getenv("KEY")}, body)
end
