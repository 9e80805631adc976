#!/usr/bin/env bash
#
# P2 — signed Nylas webhook deliveries stored durably (200 only after the commit), embedded H2, as a ratio of a
# raw JDBC insert loop of the same rows into the same kind of H2 file on the same disk, in the same run.
# Targets: >= 5,000 deliveries/s, and >= 0.5 x the raw JDBC deliveries/s. Then checks that the store holds
# exactly the deliveries that were answered 200.
#
#   benchmarks/bench-webhooks.sh [--smoke] [--strict] [--no-build] [--duration S] [--segments N] [--threads N]
#                                [--connections N] [--batch N]
#
#   --duration S      seconds of webhook load in all (default 30; --smoke: 3)
#   --segments N      in N turns, each followed by its baseline run (default 3; --smoke: 1)
#   --threads N       wrk threads (default 2)
#   --connections N   wrk connections: concurrent deliveries, what a group commit can gather (default 64)
#   --batch N         deliveries per commit of the JDBC baseline (default: --connections)
#   BASE_URL=http://host:port BENCH_WEBHOOK_SECRET=<its client.secret>   measure that running distribution
#                     (then the stored count cannot be read: H2 locks its file while it runs)
#
# Webhook and baseline runs take turns (--segments), so that the machine's load changes hit both sides of the
# ratio. Each request is a distinct delivery (one account.invalid delta for a new account, signed with client.secret),
# generated beforehand by io.synctriage.benchmarks.WebhookBodies (wrk's Lua has no HMAC) and cycled through by
# wrk/webhooks.lua. The baseline is io.synctriage.benchmarks.JdbcInsertBaseline: per delivery one accounts, one
# notifications and one account_history row, a JDBC batch of --batch deliveries and a COMMIT per batch.
#
set -euo pipefail
# shellcheck source=lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() { sed -n '3,24p' "$0" | sed 's/^# \{0,1\}//'; }

duration=""
threads=2
connections=64
batch=""
segments=""
while [ $# -gt 0 ]; do
    if common_option "$1"; then shift; continue; fi
    case "$1" in
        --duration) duration="$2"; shift ;;
        --threads) threads="$2"; shift ;;
        --connections) connections="$2"; shift ;;
        --batch) batch="$2"; shift ;;
        --segments) segments="$2"; shift ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; die "unknown option '$1'" ;;
    esac
    shift
done
batch="${batch:-$connections}"
if [ "$SMOKE" = true ]; then
    duration="${duration:-3}"; warmup=2; segments="${segments:-1}"
else
    duration="${duration:-30}"; warmup=10; segments="${segments:-3}"
fi
TARGET_RATE=5000

need wrk curl java
ensure_jar
OUT="$TARGET/bench-webhooks"
rm -rf "$OUT"
mkdir -p "$OUT"

if [ -z "$BASE_URL" ]; then
    secret="$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
    dist_unpack webhooks false "$secret"
    dist_start
else
    secret="${BENCH_WEBHOOK_SECRET:?BENCH_WEBHOOK_SECRET must be the client.secret of $BASE_URL}"
fi
export BENCH_THREADS="$threads"
suffix="$(date +%s | tail -c 7)$((RANDOM % 100))"

bodies() { # bodies RUN COUNT FILE [--first K]
    java -cp "$JAR" io.synctriage.benchmarks.WebhookBodies --secret "$secret" --run "$1" --count "$2" --out "$3" "${@:4}" >/dev/null
}
deliver() { # deliver OUT FILE SECONDS
    BENCH_WEBHOOK_FILE="$2" run_wrk "$1" -t"$threads" -c"$connections" -d"$3"s -s "$WRK_DIR/webhooks.lua" \
        "$BASE_URL/webhooks/nylas"
}

# A probe first: a wrong secret or a missing store must stop here, not produce a table of 401s. Health is UP
# once the engine is; the webhook servlet may not be registered yet (404) and the store may still be starting
# (503 store_unavailable) for a few seconds after.
bodies "p$suffix" 1 "$OUT/probe.tsv"
IFS=$'\t' read -r sig body <"$OUT/probe.tsv"
for _ in $(seq 1 120); do
    answer="$(curl -sS -H 'Content-Type: application/json' -H "X-Nylas-Signature: $sig" --data-binary "$body" \
        -w ' %{http_code}' "$BASE_URL/webhooks/nylas")"
    [[ "$answer" == *' 503' || "$answer" == *' 404' ]] || break
    sleep 0.5
done
[[ "$answer" == *'"stored":1'*' 200' || "$answer" == *'"duplicates":1'*' 200' ]] \
    || die "a signed delivery was not stored: $answer"

# Warm-up; its rate sizes the measured files: three times the fastest rate seen so far, so that no delivery is
# sent twice (wrk/webhooks.lua would count it under "wrapped").
warm_count=$(( 15000 * warmup ))
log "warm-up: $warmup s ($warm_count distinct deliveries prepared)"
bodies "w$suffix" "$warm_count" "$OUT/warmup.tsv"
deliver "$OUT/warmup.txt" "$OUT/warmup.tsv" "$warmup"
rm -f "$OUT/warmup.tsv"
warm_rps="$(wrk_get "$OUT/warmup.txt" rps)"

# Measured: webhook runs and baseline runs take turns, one segment each at a time, so that a change in the
# machine's load hits both sides of the ratio (a shared 2-core machine easily halves a rate for a minute).
# The baseline runs while the distribution idles; its database sits next to the distribution's.
run="m$suffix"
if [ "$DIST_OWNED" = true ]; then baseline_db="$DIST_HOME/data/synctriage/jdbc-baseline"; else baseline_db="$OUT/jdbc-baseline"; fi
seg_seconds=$(( duration / segments > 0 ? duration / segments : 1 ))
fastest="$warm_rps"
first=0 ok=0 seconds=0 failed=0 wrapped=0 worst_p99=0 base_deliveries=0 base_seconds=0
: >"$OUT/baseline.txt"
for i in $(seq 0 $(( segments - 1 ))); do
    log "segment $((i + 1))/$segments: webhooks (run $run) $seg_seconds s, $threads threads, $connections connections"
    count="$(awk -v r="$fastest" -v d="$seg_seconds" -v c="$connections" 'BEGIN { if (r < 1000) r = 1000; printf "%d", r * 3 * d + 10 * c }')"
    bodies "$run" "$count" "$OUT/measured.tsv" --first "$first"
    first=$(( first + count ))
    out="$OUT/measured-$((i + 1)).txt"
    deliver "$out" "$OUT/measured.tsv" "$seg_seconds"
    rm -f "$OUT/measured.tsv"
    seg_ok=$(( $(wrk_get "$out" requests) - $(wrk_get "$out" status_errors) ))
    fastest="$(calc "$(wrk_get "$out" rps) > $fastest ? $(wrk_get "$out" rps) : $fastest")"
    ok=$(( ok + seg_ok ))
    seconds="$(calc "$seconds + $(wrk_get "$out" seconds)")"
    failed=$(( failed + $(wrk_failed "$out") ))
    wrapped=$(( wrapped + $(wrk_get "$out" wrapped) ))
    worst_p99="$(calc "$(wrk_get "$out" p99_ms) > $worst_p99 ? $(wrk_get "$out" p99_ms) : $worst_p99")"

    # the same number of deliveries through raw JDBC (at least 1,000, for a measurable time)
    deliveries=$(( seg_ok > 1000 ? seg_ok : 1000 ))
    log "segment $((i + 1))/$segments: raw JDBC baseline, $deliveries deliveries in batches of $batch"
    line="$(java -cp "$JAR" io.synctriage.benchmarks.JdbcInsertBaseline --db "$baseline_db" --segment "$i" \
        --deliveries "$deliveries" --batch "$batch" --warmup "$(( deliveries / 5 < 5000 ? deliveries / 5 : 5000 ))")"
    echo "$line" >>"$OUT/baseline.txt"
    base_deliveries=$(( base_deliveries + deliveries ))
    base_seconds="$(calc "$base_seconds + $(sed -n 's/.*seconds=\([0-9.]*\).*/\1/p' <<<"$line")")"
done
rate="$(calc "$ok / $seconds")"
base_rate="$(calc "$base_deliveries / $base_seconds")"
ratio="$(calc "$rate / $base_rate")"

# --- the store holds exactly the deliveries answered 200 (read from the H2 file once the distribution is down)
if [ "$DIST_OWNED" = true ]; then
    dist_stop
    stored_line="$(java -cp "$JAR" io.synctriage.benchmarks.StoredNotifications \
        --db "$DIST_HOME/data/synctriage/evidence" --run "$run")"
    stored="$(sed -n 's/.*notifications=\([0-9]*\).*/\1/p' <<<"$stored_line")"
    history="$(sed -n 's/.*history=\([0-9]*\).*/\1/p' <<<"$stored_line")"
else
    stored=""
fi

row "P2 signed deliveries/s (200 after commit)" "$(thousands "$rate")" "≥ $(thousands $TARGET_RATE)" \
    "$(fmt "$(calc "$rate / $TARGET_RATE")" 2)" "$(verdict "$(calc "$rate >= $TARGET_RATE")")"
row "    p99 (worst of $segments segment(s))" "$(fmt "$worst_p99" 2) ms" "-" "-" info
row "P2 raw JDBC, same rows (batch $batch, 1 thread)" "$(thousands "$base_rate")" "(reference)" "-" info
row "P2 webhooks / raw JDBC" "$(fmt "$ratio" 2)" "≥ 0.5" "$(fmt "$ratio" 2)" "$(verdict "$(calc "$ratio >= 0.5")")"
row "P2 failed requests (non-2xx, socket errors)" "$failed" "0" "-" "$(verdict "$([ "$failed" = 0 ] && echo 1 || echo 0)")"
if [ -n "$stored" ]; then
    # Each wrk run stops with up to one request per connection in flight: the store may have committed those
    # without wrk seeing their 200, never the other way round.
    extra=$(( stored - ok ))
    slack=$(( segments * connections ))
    if [ "$wrapped" != 0 ]; then
        row "P2 stored = answered 200" "stored $stored, 200s $ok" "equal" "-" "n/a: deliveries ran out ($wrapped restarts)"
    else
        row "P2 stored = answered 200" "stored $stored (history $history), 200s $ok" "0 ≤ stored−200s ≤ $slack" "-" \
            "$(verdict "$([ "$extra" -ge 0 ] && [ "$extra" -le "$slack" ] && [ "$history" = "$stored" ] && echo 1 || echo 0)")"
    fi
else
    row "P2 stored = answered 200" "not read" "-" "-" "info: stop $BASE_URL, then StoredNotifications --run $run"
fi
print_table "P2 webhooks: $threads threads, $connections connections, $segments × $seg_seconds s, embedded H2"
echo "wrk output: $OUT/measured-*.txt; baseline: $OUT/baseline.txt"
finish
