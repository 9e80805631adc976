#!/usr/bin/env bash
#
# P1 — POST /api/v1/diagnoses against the running distribution, as a ratio of GET /api/v1/health measured the
# same way in the same run (same wrk, threads, connections and duration: machine noise cancels).
# Targets: diagnoses/s >= 0.5 x health/s; no failed request; p99 <= 20 ms at half of the diagnoses/s.
#
#   benchmarks/bench-http.sh [--smoke] [--strict] [--no-build] [--duration S] [--segments N] [--threads N]
#                            [--connections N]
#
#   --duration S      seconds of health load, and of diagnoses load, in all; also of the half-load run
#                     (default 30; --smoke: 3)
#   --segments N      health and diagnoses take turns N times (default 3; --smoke: 1)
#   --threads N       wrk threads (default 2)
#   --connections N   wrk connections (default 32; at most max.concurrent.diagnoses = 64, or 503s are counted)
#   BASE_URL=http://host:port   measure that running distribution instead of starting one
#
# Half load: wrk has no fixed-rate mode (wrk2 is not packaged), so each connection waits between a response
# and its next request (Lua delay(), wrk/common.lua), calibrated in a short run to hold half the diagnoses/s.
# It is closed-loop: a stalled response delays the next request instead of queueing it, so the p99 is the
# latency of the requests sent (no coordinated-omission correction). The achieved rate is printed next to it.
#
set -euo pipefail
# shellcheck source=lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() { sed -n '3,21p' "$0" | sed 's/^# \{0,1\}//'; }

duration=""
threads=2
connections=32
segments=""
while [ $# -gt 0 ]; do
    if common_option "$1"; then shift; continue; fi
    case "$1" in
        --duration) duration="$2"; shift ;;
        --threads) threads="$2"; shift ;;
        --connections) connections="$2"; shift ;;
        --segments) segments="$2"; shift ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; die "unknown option '$1'" ;;
    esac
    shift
done
if [ "$SMOKE" = true ]; then
    duration="${duration:-3}"; warmup=2; calibration=1; segments="${segments:-1}"
else
    duration="${duration:-30}"; warmup=10; calibration=5; segments="${segments:-3}"
fi

need wrk curl jq
OUT="$TARGET/bench-http"
mkdir -p "$OUT"
if [ -z "$BASE_URL" ]; then
    dist_unpack http false
    dist_start
fi

# The realistic bundle (the one the engine benchmark measures), compacted as an API client would send it.
jq -c . "$BUNDLE_JSON" >"$OUT/bundle.json"
export BENCH_BODY_FILE="$OUT/bundle.json"
got="$(curl -fsS -u "$BENCH_USER:$BENCH_PASSWORD" -H 'Content-Type: application/json' --data-binary @"$BENCH_BODY_FILE" \
    "$BASE_URL/api/v1/diagnoses" | jq -r .cause)" || die "POST /api/v1/diagnoses failed on $BASE_URL"
[ "$got" = "$BUNDLE_CAUSE" ] || die "the realistic bundle diagnosed as $got, expected $BUNDLE_CAUSE: not measuring a real diagnosis"

health() { run_wrk "$1" -t"$threads" -c"$connections" -d"$2"s -s "$WRK_DIR/report.lua" "$BASE_URL/api/v1/health"; }
diagnose() {
    local out="$1" seconds="$2" c="${3:-$connections}"
    run_wrk "$out" -t"$threads" -c"$c" -d"$seconds"s -H "$AUTH_HEADER" -H 'Content-Type: application/json' \
        -s "$WRK_DIR/diagnose.lua" "$BASE_URL/api/v1/diagnoses"
}

log "warm-up: ${warmup} s of diagnoses, then health"
diagnose "$OUT/warmup.txt" "$warmup"
health "$OUT/warmup-health.txt" "$(( warmup / 2 > 0 ? warmup / 2 : 1 ))"

# Health and diagnoses take turns (--segments), so that a change in the machine's load hits both sides.
seg_seconds=$(( duration / segments > 0 ? duration / segments : 1 ))
h_req=0 h_sec=0 d_req=0 d_sec=0 failed=0 worst_p99=0
for i in $(seq 1 "$segments"); do
    log "segment $i/$segments: GET /api/v1/health, then POST /api/v1/diagnoses, $seg_seconds s each, $threads threads, $connections connections"
    health "$OUT/health-$i.txt" "$seg_seconds"
    diagnose "$OUT/diagnoses-$i.txt" "$seg_seconds"
    h_req=$(( h_req + $(wrk_get "$OUT/health-$i.txt" requests) ))
    h_sec="$(calc "$h_sec + $(wrk_get "$OUT/health-$i.txt" seconds)")"
    d_req=$(( d_req + $(wrk_get "$OUT/diagnoses-$i.txt" requests) ))
    d_sec="$(calc "$d_sec + $(wrk_get "$OUT/diagnoses-$i.txt" seconds)")"
    failed=$(( failed + $(wrk_failed "$OUT/health-$i.txt") + $(wrk_failed "$OUT/diagnoses-$i.txt") ))
    p99="$(wrk_get "$OUT/diagnoses-$i.txt" p99_ms)"
    worst_p99="$(calc "$p99 > $worst_p99 ? $p99 : $worst_p99")"
done
h_rps="$(calc "$h_req / $h_sec")"
d_rps="$(calc "$d_req / $d_sec")"
ratio="$(calc "$d_rps / $h_rps")"

# --- half load: pace each connection to hold half the diagnoses/s measured above.
half="$(calc "$d_rps / 2")"
# Enough connections that each waits >= ~20 ms between requests (wrk's delay() has 1 ms steps), within the
# API's max.concurrent.diagnoses (64).
hc="$(awk -v r="$half" 'BEGIN { c = int(r * 0.02 + 0.5); if (c < 2) c = 2; if (c > 64) c = 64; print c }')"
hthreads=$(( threads < hc ? threads : hc ))
delay="$(paced_delay "$half" "$hc")"
log "half load: target $(fmt "$half") req/s with $hc connections; calibrating the pacing (${calibration} s, delay $(fmt "$delay" 2) ms)"
BENCH_DELAY_MS="$delay" run_wrk "$OUT/calibration.txt" -t"$hthreads" -c"$hc" -d"$calibration"s -H "$AUTH_HEADER" \
    -H 'Content-Type: application/json' -s "$WRK_DIR/diagnose.lua" "$BASE_URL/api/v1/diagnoses"
delay="$(recalibrated_delay "$half" "$hc" "$(wrk_get "$OUT/calibration.txt" rps)" "$delay")"
log "half load: ${duration} s with delay $(fmt "$delay" 2) ms"
BENCH_DELAY_MS="$delay" run_wrk "$OUT/half.txt" -t"$hthreads" -c"$hc" -d"$duration"s -H "$AUTH_HEADER" \
    -H 'Content-Type: application/json' -s "$WRK_DIR/diagnose.lua" "$BASE_URL/api/v1/diagnoses"
half_rps="$(wrk_get "$OUT/half.txt" rps)"
half_p99="$(wrk_get "$OUT/half.txt" p99_ms)"
failed=$(( failed + $(wrk_failed "$OUT/half.txt") ))

row "P1 GET /api/v1/health req/s" "$(thousands "$h_rps")" "(reference)" "-" info
row "P1 POST /api/v1/diagnoses req/s" "$(thousands "$d_rps")" "≥ 0.5 × health" "$(fmt "$ratio" 2)" \
    "$(verdict "$(calc "$ratio >= 0.5")")"
row "    p99 at full load (worst segment)" "$(fmt "$worst_p99" 2) ms" "-" "-" info
row "P1 p99 at half load ($(thousands "$half_rps") req/s = $(fmt "$(calc "$half_rps / $d_rps")" 2) × full)" \
    "$(fmt "$half_p99" 2) ms" "≤ 20 ms" "$(fmt "$(calc "$half_p99 / 20")" 2)" "$(verdict "$(calc "$half_p99 <= 20")")"
row "P1 failed requests (non-2xx, socket errors)" "$failed" "0" "-" "$(verdict "$([ "$failed" = 0 ] && echo 1 || echo 0)")"
print_table "P1 HTTP: $threads threads, $connections connections, $segments × $seg_seconds s per side, wrk $(wrk -v 2>&1 | head -1 | awk '{print $2}')"
echo "wrk output: $OUT/{health-*,diagnoses-*,calibration,half}.txt"
dist_stop
finish
