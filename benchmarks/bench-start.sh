#!/usr/bin/env bash
#
# P5 — cold start of the distribution: seconds from bin/start (freshly unpacked, empty data/) until
# GET /api/v1/health answers UP (and, for information, until the evidence store answers too), then the
# resident memory (RSS) of its JVM after it has been idle.
# Targets: start <= 10 s; idle RSS <= 350 MB. The distribution runs as shipped (its bin/setenv JVM flags,
# the demo fleet loaded into the empty store at first start).
#
#   benchmarks/bench-start.sh [--smoke] [--strict] [--no-build] [--runs N] [--idle S]
#
#   --runs N    cold starts, each from a new copy (default 3; --smoke: 1); the table shows the median and worst
#   --idle S    seconds idle after UP before the RSS is read (default 30; --smoke: 3)
#
# "Cold" is the distribution's: a new data/ (no OSGi bundle cache, no store) and a new JVM. The OS page cache
# is not dropped (that needs root and says more about the disk than about Synctriage).
#
set -euo pipefail
# shellcheck source=lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() { sed -n '3,16p' "$0" | sed 's/^# \{0,1\}//'; }

runs=""
idle=""
while [ $# -gt 0 ]; do
    if common_option "$1"; then shift; continue; fi
    case "$1" in
        --runs) runs="$2"; shift ;;
        --idle) idle="$2"; shift ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; die "unknown option '$1'" ;;
    esac
    shift
done
if [ "$SMOKE" = true ]; then runs="${runs:-1}"; idle="${idle:-3}"; else runs="${runs:-3}"; idle="${idle:-30}"; fi
[ -n "$BASE_URL" ] && die "bench-start.sh starts its own copy: unset BASE_URL"
TARGET_START=10
TARGET_RSS=350

need curl ps
OUT="$TARGET/bench-start"
mkdir -p "$OUT"
: >"$OUT/runs.txt"
for i in $(seq 1 "$runs"); do
    dist_unpack start true
    dist_start
    start_s="$START_SECONDS"
    # Health is UP once the engine is; the evidence store (webhooks, stored diagnoses) may follow a little later.
    store_s=""
    for _ in $(seq 1 600); do
        if curl -fsS -o /dev/null -u "$BENCH_USER:$BENCH_PASSWORD" "$BASE_URL/api/v1/accounts?limit=1" 2>/dev/null; then
            store_s="$(calc "$(date +%s.%N) - $DIST_T0")"
            break
        fi
        sleep 0.1
    done
    [ -n "$store_s" ] || die "the evidence store did not answer within 60 s of health UP"
    sleep "$idle"
    pid="$(dist_pid)"
    rss_kb="$(ps -o rss= -p "$pid" | tr -d ' ')"
    rss_mb="$(calc "$rss_kb / 1024")"
    log "run $i: UP after $(fmt "$start_s" 2) s, store after $(fmt "$store_s" 2) s; RSS after $idle s idle: $(fmt "$rss_mb") MB (pid $pid)"
    echo "$start_s $rss_mb $store_s" >>"$OUT/runs.txt"
    dist_stop
done

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
worst() { sort -g | tail -1; }
start_med="$(cut -d' ' -f1 "$OUT/runs.txt" | median)"
start_max="$(cut -d' ' -f1 "$OUT/runs.txt" | worst)"
rss_med="$(cut -d' ' -f2 "$OUT/runs.txt" | median)"
store_med="$(cut -d' ' -f3 "$OUT/runs.txt" | median)"
rss_max="$(cut -d' ' -f2 "$OUT/runs.txt" | worst)"
each="$(awk '{ printf "%s%.1f", (NR > 1 ? ", " : ""), $1 }' "$OUT/runs.txt")"

row "P5 cold start to health UP, median of $runs" "$(fmt "$start_med" 2) s" "≤ $TARGET_START s" \
    "$(fmt "$(calc "$start_med / $TARGET_START")" 2)" "$(verdict "$(calc "$start_med <= $TARGET_START")")"
row "    each run / worst" "$each s / $(fmt "$start_max" 2) s" "-" "-" info
row "    store answering (GET /api/v1/accounts), median" "$(fmt "$store_med" 2) s" "-" "-" info
row "P5 idle RSS after $idle s, median of $runs" "$(fmt "$rss_med") MB" "≤ $TARGET_RSS MB" \
    "$(fmt "$(calc "$rss_med / $TARGET_RSS")" 2)" "$(verdict "$(calc "$rss_med <= $TARGET_RSS")")"
row "    worst" "$(fmt "$rss_max") MB" "-" "-" info
print_table "P5 cold start and idle memory"
finish
