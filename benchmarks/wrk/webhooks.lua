-- P2: signed Nylas webhook deliveries. BENCH_WEBHOOK_FILE holds one delivery per line,
-- "<X-Nylas-Signature>\t<body>" (io.synctriage.benchmarks.WebhookBodies); wrk's Lua cannot compute the HMAC.
-- Thread i of BENCH_THREADS takes every line k with k % BENCH_THREADS == i - 1, so no two requests of a run
-- carry the same delivery. A thread that has sent all of its lines starts over (the store then answers 200
-- "duplicates":1 and stores nothing): it reports how often under "BENCH wrapped=", so the caller knows.
dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "common.lua")

local requests = {}
local next_request = 1
wrapped = 0

function init(args)
   local threads = tonumber(bench_env("BENCH_THREADS", true))
   local k = 0
   for line in io.lines(bench_env("BENCH_WEBHOOK_FILE", true)) do
      if k % threads == bench_thread - 1 then
         local tab = string.find(line, "\t", 1, true)
         requests[#requests + 1] = wrk.format("POST", nil,
            { ["Content-Type"] = "application/json", ["X-Nylas-Signature"] = string.sub(line, 1, tab - 1) },
            string.sub(line, tab + 1))
      end
      k = k + 1
   end
   assert(#requests > 0, "no deliveries for thread " .. bench_thread)
end

function request()
   if next_request > #requests then
      -- about to send this thread's first delivery again
      next_request = 1
      wrapped = wrapped + 1
   end
   local r = requests[next_request]
   next_request = next_request + 1
   return r
end

function bench_extra()
   local total = 0
   for _, t in ipairs(bench_threads) do
      total = total + t:get("wrapped")
   end
   io.write(string.format("BENCH wrapped=%d\n", total))
end
