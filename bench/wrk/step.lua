-- wrk script: moves referrals one stage on, POST /api/v1/referrals/{id}/<STEP> (contact, qualify or convert).
--   psql ... -Atc "SELECT referral_id FROM referral_pipeline ORDER BY received_position LIMIT 20000" > ids.txt
--   for STEP in contact qualify convert; do IDS=ids.txt STEP=$STEP KEY=<api key> \
--     wrk -t2 -c16 -d70s -s bench/wrk/step.lua http://localhost:8080; done
-- Each of the two threads takes every other id; repeating a step a referral already took changes nothing.
local ids = {}
for line in io.lines(os.getenv("IDS") or "ids.txt") do ids[#ids + 1] = line end
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("thread_no", counter)
end

local i
local step = os.getenv("STEP")
function request()
  i = (i or thread_no - 2) + 2
  if i > #ids then i = (i - 1) % #ids + 1 end
  local body = nil
  if step == "convert" then
    body = '{"resultingDealId":"deal-' .. ids[i] .. '","dealValue":950,"currency":"USD"}'
  end
  return wrk.format("POST", "/api/v1/referrals/" .. ids[i] .. "/" .. step,
    {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. os.getenv("KEY")}, body)
end
