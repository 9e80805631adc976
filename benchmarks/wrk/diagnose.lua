-- P1 / P6: POST /api/v1/diagnoses with the evidence bundle of BENCH_BODY_FILE (bench-http.sh writes the
-- realistic bundle there, compacted). The request never changes, so wrk sends it without calling Lua per
-- request. Credentials and Content-Type come from wrk -H. Optional pacing: BENCH_DELAY_MS (see common.lua).
dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "common.lua")

wrk.method = "POST"
wrk.body = bench_read(bench_env("BENCH_BODY_FILE", true))
