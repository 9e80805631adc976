#!/usr/bin/env bash
#
# P6 — provider bundle swap under load: a P1 load (POST /api/v1/diagnoses, the realistic Microsoft bundle and a
# Google bundle in turn, so that diagnoses keep using the provider being swapped) while the Karaf console runs
# feature:uninstall / feature:install of a provider feature again and again.
# Target: 0 failed requests (non-2xx or socket errors); reports the p99 during the swaps.
#
#   benchmarks/bench-swap.sh [--smoke] [--strict] [--no-build] [--duration S] [--threads N] [--connections N]
#                            [--feature NAME]
#
#   --duration S      seconds of load (default 30; --smoke: 15); swaps run from 2 s in until 6 s before the end
#   --threads N       wrk threads (default 2)
#   --connections N   wrk connections (default 32)
#   --feature NAME    the feature to swap (default synctriage-provider-google)
#
# The console (BENCH_SSH_PORT, default 8101) is reached with ssh and a key written into this copy's
# etc/keys.properties at unpack time; without ssh, with the distribution's slower bin/client.
#
set -euo pipefail
# shellcheck source=lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() { sed -n '3,17p' "$0" | sed 's/^# \{0,1\}//'; }

duration=""
threads=2
connections=32
feature=synctriage-provider-google
while [ $# -gt 0 ]; do
    if common_option "$1"; then shift; continue; fi
    case "$1" in
        --duration) duration="$2"; shift ;;
        --threads) threads="$2"; shift ;;
        --connections) connections="$2"; shift ;;
        --feature) feature="$2"; shift ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; die "unknown option '$1'" ;;
    esac
    shift
done
if [ "$SMOKE" = true ]; then duration="${duration:-15}"; warmup=2; else duration="${duration:-30}"; warmup=5; fi
[ -n "$BASE_URL" ] && die "bench-swap.sh drives its own copy's console: unset BASE_URL"
family="${feature#synctriage-provider-}"

need wrk curl jq
OUT="$TARGET/bench-swap"
rm -rf "$OUT"
mkdir -p "$OUT"
dist_unpack swap false
dist_start

jq -c . "$BUNDLE_JSON" >"$OUT/microsoft.json"
jq -c . "$BENCH_HOME/src/main/resources/io/synctriage/benchmarks/google-bundle.json" >"$OUT/google.json"
export BENCH_BODY_FILES="$OUT/microsoft.json:$OUT/google.json"

cause_of() {
    curl -fsS -u "$BENCH_USER:$BENCH_PASSWORD" -H 'Content-Type: application/json' --data-binary @"$1" \
        "$BASE_URL/api/v1/diagnoses" | jq -r .cause
}
providers() { curl -fsS "$BASE_URL/api/v1/health" | jq -r '.providers | join(",")'; }
has_provider() { [[ ",$(providers)," == *",$family,"* ]]; }
wait_provider() { # wait_provider present|absent: up to 20 s
    local i
    for i in $(seq 1 100); do
        if has_provider; then [ "$1" = present ] && return 0; else [ "$1" = absent ] && return 0; fi
        sleep 0.2
    done
    return 1
}

has_provider || die "provider family '$family' is not active before the swap: $(providers)"
[ "$(cause_of "$OUT/microsoft.json")" = "$BUNDLE_CAUSE" ] || die "the realistic bundle does not diagnose to $BUNDLE_CAUSE"
google_cause="$(cause_of "$OUT/google.json")"
log "before the swap: providers $(providers); Google bundle → $google_cause"

load() { # load OUT SECONDS
    run_wrk "$1" -t"$threads" -c"$connections" -d"$2"s -H "$AUTH_HEADER" -H 'Content-Type: application/json' \
        -s "$WRK_DIR/diagnose-mix.lua" "$BASE_URL/api/v1/diagnoses"
}
log "warm-up: $warmup s"
load "$OUT/warmup.txt" "$warmup"
karaf_cmd "feature:list -i" >/dev/null 2>&1 || true   # the first console connection costs more than the next

log "load: $duration s, swapping $feature"
started="$(date +%s.%N)"
ends="$(calc "$started + $duration")"
load "$OUT/swap.txt" "$duration" &
WRK_PID=$!
sleep 2
cycles=0
unseen=0
: >"$OUT/swaps.log"
# A cycle: uninstall, seen gone from /api/v1/health, 1 s of load without it, install, seen back, 1 s of load.
# Only cycles that end before the load does count (a slow console must not turn "no failure" into a pass).
while [ "$(calc "$(date +%s.%N) + 6 < $ends")" = 1 ]; do
    t0="$(date +%s.%N)"
    karaf_cmd "feature:uninstall $feature" >>"$OUT/swaps.log" 2>&1 || die "feature:uninstall $feature failed: $OUT/swaps.log"
    wait_provider absent || unseen=$((unseen + 1))
    t1="$(date +%s.%N)"
    sleep 1
    karaf_cmd "feature:install $feature" >>"$OUT/swaps.log" 2>&1 || die "feature:install $feature failed: $OUT/swaps.log"
    wait_provider present || die "$family did not come back within 20 s after feature:install"
    t2="$(date +%s.%N)"
    if [ "$(calc "$t2 < $ends")" = 1 ]; then
        cycles=$((cycles + 1))
    fi
    log "swap: gone after $(fmt "$(calc "$t1 - $t0")" 1) s, back $(fmt "$(calc "$t2 - $t1 - 1")" 1) s after feature:install$( [ "$(calc "$t2 < $ends")" = 1 ] || echo ' (after the load ended: not counted)')"
    sleep 1
done
wait "$WRK_PID" || die "wrk failed: $(cat "$OUT/swap.txt")"
WRK_PID=""
grep -q '^BENCH requests=' "$OUT/swap.txt" || die "wrk printed no result: $(cat "$OUT/swap.txt")"

after="$(cause_of "$OUT/google.json")"
failed="$(wrk_failed "$OUT/swap.txt")"
row "P6 failed requests, $cycles swap(s) of $feature" "$failed of $(thousands "$(wrk_get "$OUT/swap.txt" requests)")" "0" "-" \
    "$(verdict "$([ "$failed" = 0 ] && [ "$cycles" -gt 0 ] && echo 1 || echo 0)")"
row "P6 p99 during the swaps" "$(fmt "$(wrk_get "$OUT/swap.txt" p99_ms)" 2) ms" "(report)" "-" info
row "    p50 / max, req/s" "$(fmt "$(wrk_get "$OUT/swap.txt" p50_ms)" 2) / $(fmt "$(wrk_get "$OUT/swap.txt" max_ms)" 2) ms, $(thousands "$(wrk_get "$OUT/swap.txt" rps)") req/s" "-" "-" info
row "    Google bundle before / after the swaps" "$google_cause / $after" "same" "-" \
    "$(verdict "$([ "$google_cause" = "$after" ] && echo 1 || echo 0)")"
if [ "$unseen" -gt 0 ]; then
    row "    uninstalls not seen in /api/v1/health" "$unseen" "0" "-" info
fi
print_table "P6 provider swap under load: $threads threads, $connections connections, ${duration} s"
echo "wrk output: $OUT/swap.txt; console output: $OUT/swaps.log"
dist_stop
finish
