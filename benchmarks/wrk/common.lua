-- Helpers of the benchmarks' wrk scripts: where this directory is, reading the files the bench-*.sh scripts
-- prepare (named by environment variables), and pacing for the half-load runs.

bench_dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(bench_dir .. "report.lua")

function bench_env(name, required)
   local v = os.getenv(name)
   if (v == nil or v == "") and required then
      error(name .. " is not set (the bench-*.sh scripts set it)")
   end
   return v
end

function bench_read(path)
   local f = assert(io.open(path, "rb"), "cannot read " .. path)
   local s = f:read("*a")
   f:close()
   return s
end

function bench_lines(path)
   local out = {}
   for line in io.lines(path) do
      if line ~= "" then
         out[#out + 1] = line
      end
   end
   return out
end

-- Threads: each wrk thread gets its number (1..n) so that it can take its own slice of a file of distinct
-- requests. setup() runs in the main Lua state, once per thread, before the thread's own state is used.
bench_threads = {}
function setup(thread)
   bench_threads[#bench_threads + 1] = thread
   thread:set("bench_thread", #bench_threads)
end

-- Pacing (BENCH_DELAY_MS, milliseconds, may be fractional): each connection waits that long after a response
-- before sending its next request, which holds the request rate near connections / (delay + latency). wrk's
-- delay() takes whole milliseconds, so a fraction is drawn at random (e.g. 7.3 ms = 8 ms in 30 % of the waits).
-- wrk times a request from its sending, so the latencies exclude the wait.
local pace = tonumber(os.getenv("BENCH_DELAY_MS") or "")
if pace and pace > 0 then
   local whole = math.floor(pace)
   local fraction = pace - whole
   function delay()
      if math.random() < fraction then
         return whole + 1
      end
      return whole
   end
end
