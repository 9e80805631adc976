-- P6: POST /api/v1/diagnoses cycling through the bundles listed in BENCH_BODY_FILES (paths separated by
-- ":"), so that diagnoses keep using the provider checks that are being uninstalled and installed again.
-- Credentials and Content-Type come from wrk -H.
dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "common.lua")

local requests = {}
local next_request = 1

function init(args)
   for path in string.gmatch(bench_env("BENCH_BODY_FILES", true), "[^:]+") do
      requests[#requests + 1] = wrk.format("POST", nil, nil, bench_read(path))
   end
end

function request()
   local r = requests[next_request]
   next_request = next_request % #requests + 1
   return r
end
