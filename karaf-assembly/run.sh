#!/usr/bin/env bash
#
# Run Synctriage locally: build the Karaf distribution if needed, unpack it into
# karaf-assembly/target/run/ and start it.
#
#   karaf-assembly/run.sh                 foreground, with the Karaf console (Ctrl-D or `shutdown` to stop)
#   karaf-assembly/run.sh --background    start in the background, wait until /api/v1/health is UP
#   karaf-assembly/run.sh --stop          stop a background instance
#   karaf-assembly/run.sh --clean …       also wipe data/ (logs, state) first
#
# Environment: SYNCTRIAGE_HTTP_PORT (default 8181), SYNCTRIAGE_JAVA_OPTS (JVM flags, see bin/setenv).
# Credentials of the REST API and the SSH console: karaf / karaf (etc/users.properties: change them first).
#
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"
RUN="$HERE/target/run"
PORT="${SYNCTRIAGE_HTTP_PORT:-8181}"
HEALTH_URL="http://localhost:${PORT}/api/v1/health"
START_TIMEOUT=30

usage() {
    sed -n '3,13p' "$0" | sed 's/^# \{0,1\}//'
}

mode=foreground
clean=false
for arg in "$@"; do
    case "$arg" in
        --background|-b) mode=background ;;
        --stop) mode=stop ;;
        --clean) clean=true ;;
        -h|--help) usage; exit 0 ;;
        *) echo "run.sh: unknown option '$arg'" >&2; usage >&2; exit 2 ;;
    esac
done

# Karaf's scripts warn "JAVA_HOME not set; results may vary" without it.
if [ -z "${JAVA_HOME:-}" ] && command -v java >/dev/null 2>&1; then
    JAVA_HOME="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
    export JAVA_HOME
fi
export SYNCTRIAGE_HTTP_PORT="$PORT"

# Karaf writes its pid to karaf.pid (etc/config.properties karaf.pid.file); bin/status would do, but costs a
# JVM start (~1.5 s) per call.
running() {
    local pid
    pid="$(cat "$RUN/karaf.pid" 2>/dev/null)" || return 1
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && ps -p "$pid" -o args= 2>/dev/null | grep -q -- "$RUN"
}

if [ "$mode" = stop ]; then
    if running; then
        "$RUN/bin/stop" >/dev/null 2>&1
        for _ in $(seq 1 60); do running || break; sleep 0.5; done
        if running; then echo "Synctriage did not stop within 30 s" >&2; exit 1; fi
        echo "Synctriage stopped."
    else
        echo "Synctriage is not running."
    fi
    exit 0
fi

if running; then
    echo "Synctriage is already running from $RUN (health: $HEALTH_URL); stop it with $0 --stop" >&2
    exit 1
fi

# --- build: when the tar.gz is missing or older than any pom or main source of the modules it contains
# (not the tests and benchmarks, which are no part of it)
version="$(sed -n '/<parent>/,/<\/parent>/s:.*<version>\(.*\)</version>.*:\1:p' "$HERE/pom.xml" | head -1)"
DIST="$HERE/target/synctriage-${version}.tar.gz"
stale_input() {
    find "$ROOT" \( -name target -o -name .git -o -path "$ROOT/itests" -o -path "$ROOT/benchmarks" \) -prune -o \
        -type f \( -name pom.xml -o -path '*/src/main/*' \) -newer "$DIST" -print -quit | grep -q .
}
if [ ! -f "$DIST" ] || stale_input; then
    echo "Building the distribution (mvn -B -DskipTests install; full log: $HERE/target/run-build.log) …"
    mkdir -p "$HERE/target"
    log="$(mktemp)"
    if ! (cd "$ROOT" && mvn -B -DskipTests install >"$log" 2>&1); then
        grep -E '^\[ERROR\]' "$log" | head -30 >&2 || true
        mv "$log" "$HERE/target/run-build.log"
        echo "Build failed; see $HERE/target/run-build.log" >&2
        exit 1
    fi
    grep -E '^\[INFO\] (Synctriage .*(SUCCESS|FAILURE|SKIPPED)|BUILD|Total time)' "$log" || true
    mv "$log" "$HERE/target/run-build.log"
fi

# --- unpack: again when the distribution is newer than the unpacked copy. data/ survives (unless --clean),
# except the OSGi framework cache, so that the new bundles are installed instead of the cached old ones.
if [ "$clean" = true ] && [ -d "$RUN" ]; then
    rm -rf "$RUN/data"
fi
if [ ! -f "$RUN/.unpacked" ] || [ "$DIST" -nt "$RUN/.unpacked" ]; then
    keep=""
    if [ -d "$RUN/data" ]; then
        keep="$HERE/target/run-data.$$"
        mv "$RUN/data" "$keep"
        rm -rf "$keep/cache" "$keep/tmp"
    fi
    rm -rf "$RUN"
    mkdir -p "$RUN"
    tar -xzf "$DIST" -C "$RUN" --strip-components=1
    if [ -n "$keep" ]; then
        rm -rf "$RUN/data"
        mv "$keep" "$RUN/data"
    fi
    touch "$RUN/.unpacked"
    echo "Unpacked $(basename "$DIST") into $RUN"
fi

# --- start
if [ "$mode" = foreground ]; then
    echo "Starting Synctriage in the foreground; REST API on $HEALTH_URL (karaf/karaf). Stop: Ctrl-D or 'shutdown'."
    exec "$RUN/bin/karaf"
fi

"$RUN/bin/start"
started=$(date +%s)
while true; do
    if body="$(curl -fsS -m 2 "$HEALTH_URL" 2>/dev/null)" && [[ "$body" == *'"UP"'* ]]; then
        echo "Synctriage is UP after $(( $(date +%s) - started )) s: $HEALTH_URL"
        echo "  $body"
        echo "  diagnose: curl -u karaf:karaf -H 'Content-Type: application/json' --data @bundle.json http://localhost:${PORT}/api/v1/diagnoses"
        echo "  console:  $RUN/bin/client -u karaf -p karaf      stop: $0 --stop"
        exit 0
    fi
    if ! running && [ $(( $(date +%s) - started )) -gt 5 ]; then
        echo "Synctriage exited during startup; last lines of $RUN/data/log/karaf.log:" >&2
        tail -n 20 "$RUN/data/log/karaf.log" >&2 || true
        exit 1
    fi
    if [ $(( $(date +%s) - started )) -ge "$START_TIMEOUT" ]; then
        echo "Synctriage did not report UP on $HEALTH_URL within ${START_TIMEOUT} s (still running; stop: $0 --stop)." >&2
        tail -n 20 "$RUN/data/log/karaf.log" >&2 || true
        exit 1
    fi
    sleep 0.2
done
