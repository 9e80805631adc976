-- P3 latency tool: GET /api/v1/accounts/{id}/diagnosis over the account ids (or emails) listed one per line in
-- BENCH_IDS_FILE. Thread i of BENCH_THREADS starts at its own offset and cycles through the whole list, so the
-- threads ask about different accounts at any moment. Credentials come from wrk -H. Optional pacing:
-- BENCH_DELAY_MS (see common.lua). Reusable against any distribution:
--   BENCH_IDS_FILE=ids.txt BENCH_THREADS=2 wrk -t2 -c16 -d60s -H 'Authorization: Basic …' \
--       -s benchmarks/wrk/stored-diagnosis.lua http://localhost:8181
dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "common.lua")

local paths = {}
local next_path = 1

local function escape(s)
   return (string.gsub(s, "[^%w%-%._~@]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

function init(args)
   for _, id in ipairs(bench_lines(bench_env("BENCH_IDS_FILE", true))) do
      paths[#paths + 1] = "/api/v1/accounts/" .. escape(id) .. "/diagnosis"
   end
   assert(#paths > 0, "no ids in " .. os.getenv("BENCH_IDS_FILE"))
   local threads = tonumber(bench_env("BENCH_THREADS", false) or "1")
   next_path = math.floor((bench_thread - 1) * #paths / threads) + 1
end

function request()
   local p = paths[next_path]
   next_path = next_path % #paths + 1
   return wrk.format("GET", p)
end
