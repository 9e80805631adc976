#!/usr/bin/env bash
#
# P3 latency tool — GET /api/v1/accounts/{id}/diagnosis (a diagnosis from everything stored for the account)
# over a list of account ids, with wrk. Target: p99 <= 50 ms. The P3 figure proper needs a store with 1M
# accounts / 10M events (a fleet generator that is not part of this module); this script measures whatever
# store it is pointed at.
#
#   benchmarks/bench-stored.sh [--smoke] [--strict] [--no-build] [--ids FILE] [--duration S] [--threads N]
#                              [--connections N] [--rate R]
#
#   --ids FILE        account ids (or emails), one per line (default: every account the API lists, up to 20,000)
#   --duration S      seconds of the measured run (default 30; --smoke: 3)
#   --threads N       wrk threads (default 2)
#   --connections N   wrk connections (default 8)
#   --rate R          hold about R requests/s (paced connections, as bench-http.sh's half load) instead of
#                     as many as the connections can send
#   BASE_URL=http://host:port   measure that running distribution (e.g. one with the 1M-account store);
#                     otherwise a copy is started with the demo fleet in its store
#
# Any wrk run can use the Lua script directly:
#   BENCH_IDS_FILE=ids.txt BENCH_THREADS=2 wrk -t2 -c8 -d60s --latency -H 'Authorization: Basic …' \
#       -s benchmarks/wrk/stored-diagnosis.lua http://localhost:8181
#
set -euo pipefail
# shellcheck source=lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() { sed -n '3,22p' "$0" | sed 's/^# \{0,1\}//'; }

ids=""
duration=""
threads=2
connections=8
rate=""
while [ $# -gt 0 ]; do
    if common_option "$1"; then shift; continue; fi
    case "$1" in
        --ids) ids="$2"; shift ;;
        --duration) duration="$2"; shift ;;
        --threads) threads="$2"; shift ;;
        --connections) connections="$2"; shift ;;
        --rate) rate="$2"; shift ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; die "unknown option '$1'" ;;
    esac
    shift
done
if [ "$SMOKE" = true ]; then duration="${duration:-3}"; warmup=2; else duration="${duration:-30}"; warmup=10; fi
TARGET_P99=50

need wrk curl jq
OUT="$TARGET/bench-stored"
mkdir -p "$OUT"
if [ -n "$ids" ]; then
    [ -s "$ids" ] || die "$ids is empty or missing"
    ids="$(readlink -f "$ids")"
fi
if [ -z "$BASE_URL" ]; then
    dist_unpack stored true
    dist_start
    # the demo fleet is imported in the background after start: wait until its accounts are listed
    for _ in $(seq 1 300); do
        # (503 while the store is still starting)
        n="$(curl -fsS -u "$BENCH_USER:$BENCH_PASSWORD" "$BASE_URL/api/v1/accounts?limit=1" 2>/dev/null \
            | jq '.accounts | length' 2>/dev/null || echo 0)"
        [ "$n" -gt 0 ] && break
        sleep 0.2
    done
    [ "$n" -gt 0 ] || die "no account in the store 60 s after start (demo fleet not loaded?)"
    sleep 2 # let the import finish its last batch
fi

if [ -z "$ids" ]; then
    ids="$OUT/ids.txt"
    : >"$ids"
    offset=0
    while [ "$offset" -lt 20000 ]; do
        page="$(curl -fsS -u "$BENCH_USER:$BENCH_PASSWORD" "$BASE_URL/api/v1/accounts?limit=1000&offset=$offset" \
            | jq -r '.accounts[].id')"
        [ -n "$page" ] || break
        echo "$page" >>"$ids"
        offset=$((offset + 1000))
    done
    [ -s "$ids" ] || die "the store of $BASE_URL lists no account"
fi
log "$(wc -l <"$ids") account ids from $ids"
export BENCH_IDS_FILE="$ids" BENCH_THREADS="$threads"

ask() { # ask OUT SECONDS [delay ms]
    BENCH_DELAY_MS="${3:-}" run_wrk "$1" -t"$threads" -c"$connections" -d"$2"s -H "$AUTH_HEADER" \
        -s "$WRK_DIR/stored-diagnosis.lua" "$BASE_URL"
}
log "warm-up: $warmup s"
ask "$OUT/warmup.txt" "$warmup"
delay=""
if [ -n "$rate" ]; then
    delay="$(paced_delay "$rate" "$connections")"
    log "calibrating the pacing for ~$rate req/s: $warmup s at a delay of $(fmt "$delay" 2) ms"
    ask "$OUT/calibration.txt" "$warmup" "$delay"
    delay="$(recalibrated_delay "$rate" "$connections" "$(wrk_get "$OUT/calibration.txt" rps)" "$delay")"
fi
log "measured: $duration s, $threads threads, $connections connections${rate:+, paced to ~$rate req/s}"
ask "$OUT/stored.txt" "$duration" "$delay"

p99="$(wrk_get "$OUT/stored.txt" p99_ms)"
failed="$(wrk_failed "$OUT/stored.txt")"
row "P3 stored diagnosis p99" "$(fmt "$p99" 2) ms" "≤ $TARGET_P99 ms" "$(fmt "$(calc "$p99 / $TARGET_P99")" 2)" \
    "$(verdict "$(calc "$p99 <= $TARGET_P99")")"
row "    p50 / p90 / max" "$(fmt "$(wrk_get "$OUT/stored.txt" p50_ms)" 2) / $(fmt "$(wrk_get "$OUT/stored.txt" p90_ms)" 2) / $(fmt "$(wrk_get "$OUT/stored.txt" max_ms)" 2) ms" "-" "-" info
row "    req/s" "$(thousands "$(wrk_get "$OUT/stored.txt" rps)")" "-" "-" info
row "P3 failed requests (non-2xx incl. 404, socket errors)" "$failed" "0" "-" \
    "$(verdict "$([ "$failed" = 0 ] && echo 1 || echo 0)")"
print_table "P3 stored diagnoses: $(wc -l <"$ids") accounts, $threads threads, $connections connections, ${duration} s"
echo "wrk output: $OUT/stored.txt"
dist_stop
finish
