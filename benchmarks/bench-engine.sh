#!/usr/bin/env bash
#
# P4 — the engine alone (JMH): diagnoses per second of the realistic bundle, single-threaded, and the bytes
# allocated per diagnosis (-prof gc). Target: >= 50,000 diagnoses/s (normalizeAndDiagnose).
#
#   benchmarks/bench-engine.sh [--smoke] [--strict] [--no-build] [--dist-flags] [-- JMH options…]
#
#   --smoke       1 warm-up + 1 measurement iteration of 1 s (checks that it works; figures not meaningful)
#   --strict      exit 1 when a target is missed
#   --no-build    use target/benchmarks.jar as it is (otherwise rebuilt from the tree when older than it)
#   --dist-flags  run the forked JVM with the distribution's JVM flags (bin/setenv: SerialGC)
#   -- …          passed to JMH as they are (e.g. -- -f 3 -i 10)
#
set -euo pipefail
# shellcheck source=lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() { sed -n '3,13p' "$0" | sed 's/^# \{0,1\}//'; }

dist_flags=false
jmh_extra=()
while [ $# -gt 0 ]; do
    if common_option "$1"; then shift; continue; fi
    case "$1" in
        --dist-flags) dist_flags=true ;;
        --) shift; jmh_extra=("$@"); break ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; die "unknown option '$1'" ;;
    esac
    shift
done

need java jq
ensure_jar

OUT="$TARGET/bench-engine"
mkdir -p "$OUT"
jmh=(EngineBenchmark -prof gc -rf json -rff "$OUT/jmh.json")
if [ "$SMOKE" = true ]; then
    jmh+=(-f 1 -wi 1 -w 1s -i 1 -r 1s)
fi
if [ "$dist_flags" = true ]; then
    jmh+=(-jvmArgsAppend "-XX:+UseSerialGC")
fi
jmh+=("${jmh_extra[@]}")

log "java -jar $JAR ${jmh[*]}"
java -jar "$JAR" "${jmh[@]}" | tee "$OUT/jmh.txt"

score() { jq -r --arg b "io.synctriage.benchmarks.EngineBenchmark.$1" '.[] | select(.benchmark == $b) | .primaryMetric.score' "$OUT/jmh.json"; }
error() { jq -r --arg b "io.synctriage.benchmarks.EngineBenchmark.$1" '.[] | select(.benchmark == $b) | .primaryMetric.scoreError' "$OUT/jmh.json"; }
alloc() { jq -r --arg b "io.synctriage.benchmarks.EngineBenchmark.$1" '.[] | select(.benchmark == $b) | .secondaryMetrics["gc.alloc.rate.norm"].score // empty' "$OUT/jmh.json"; }

TARGET_OPS=50000
main="$(score normalizeAndDiagnose)"
[ -n "$main" ] || die "no result for normalizeAndDiagnose in $OUT/jmh.json"
err="$(error normalizeAndDiagnose)"
row "P4 diagnoses/s, normalize+diagnose (1 thread)" "$(thousands "$main") ± $(thousands "$( [ "$err" = NaN ] && echo 0 || echo "$err")")" \
    "≥ $(thousands $TARGET_OPS)" "$(fmt "$(calc "$main / $TARGET_OPS")" 2)" "$(verdict "$(calc "$main >= $TARGET_OPS")")"
for b in diagnose parseDiagnoseWrite; do
    s="$(score "$b")"
    [ -n "$s" ] && row "    $b ops/s" "$(thousands "$s")" "-" "-" info
done
for b in normalizeAndDiagnose diagnose parseDiagnoseWrite; do
    a="$(alloc "$b")"
    [ -n "$a" ] && row "P4 allocation per op, $b" "$(thousands "$a") B/op" "(report)" "-" info
done
print_table "P4 engine alone (JMH$([ "$dist_flags" = true ] && echo ', distribution JVM flags'))"
echo "JMH output: $OUT/jmh.txt, $OUT/jmh.json"
finish
