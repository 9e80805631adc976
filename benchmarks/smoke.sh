#!/usr/bin/env bash
#
# Every benchmark at smoke size (a few seconds of load each, ~4 minutes in all with the distribution starts):
# checks that the tools work end to end against the built distribution. The figures of a smoke run mean
# nothing; a target missed does not fail it (no --strict), a script that breaks does.
#
#   benchmarks/smoke.sh [--no-build]
#
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

extra=()
for arg in "$@"; do
    case "$arg" in
        --no-build) extra+=(--no-build) ;;
        -h|--help) sed -n '3,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "smoke.sh: unknown option '$arg'" >&2; exit 2 ;;
    esac
done

results=()
failures=0
for script in bench-engine.sh bench-http.sh bench-webhooks.sh bench-start.sh bench-swap.sh bench-stored.sh; do
    echo "=== $script --smoke ${extra[*]}"
    started=$(date +%s)
    if "$HERE/$script" --smoke "${extra[@]}"; then
        results+=("$script: ran ($(( $(date +%s) - started )) s)")
    else
        results+=("$script: FAILED (exit $?)")
        failures=$((failures + 1))
    fi
done
echo
echo "=== smoke summary"
printf '%s\n' "${results[@]}"
[ "$failures" -eq 0 ]
