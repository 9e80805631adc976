#!/usr/bin/env bash
#
# The fleet benchmark (benchmarks/README.md, "Fleet incidents at scale"): generates a synthetic fleet with
# planted incidents, loads it into a fresh Synctriage distribution, measures GET /api/v1/fleet/incidents and
# stored diagnoses, and checks that every planted incident is found and no false one.
#
#   benchmarks/bench-fleet.sh [--scale smoke|full] [--db h2|postgresql] [--port P] [-- FleetBenchmark options]
#
#   --scale   smoke (default): 2,000 accounts / 100 domains / 20,000 events, about a minute;
#             full: 1,000,000 accounts / 50,000 domains / 10,000,000 events (2.5 GB of NDJSON), hours on 2 cores
#   --db      h2 (default, the embedded file database) or postgresql (127.0.0.1:5432, database test, user postgres,
#             in a schema of its own that is dropped and re-created first)
#   --port    HTTP port of the distribution started here (default 8282; its SSH console gets P+10)
#   --skip-load  measure and compare again on the store the last run of this port loaded (the PostgreSQL schema
#             is kept, the H2 copy in /tmp/synctriage-fleet-bench-P is restarted as it is)
#   after --   passed to FleetBenchmark (e.g. -- --per-kind 10 --concurrency 4; FleetBenchmark --help lists them)
#
# Builds what is missing (the distribution, benchmarks/target/benchmarks.jar), unpacks the distribution into a
# fresh /tmp/synctriage-fleet-bench-P (clean data/), turns off the demo fleet and retention, starts it, runs the
# benchmark and stops it. The generated fleet is kept in /tmp/synctriage-fleet-<scale> and reused by the next
# run of the same scale on the same day (its 90-day window ends today 00:00 UTC).
#
# Environment:
#   SYNCTRIAGE_JAVA_OPTS  the server's JVM flags (default: smoke the distribution's own; full
#                         "-Xms1g -Xmx${JAVA_MAX_MEM:-4g} -XX:+UseG1GC")
#   JAVA_MAX_MEM          the server's -Xmx when SYNCTRIAGE_JAVA_OPTS is not set (e.g. JAVA_MAX_MEM=8g); Karaf's
#                         unix scripts ignore it themselves, so it is turned into -Xmx here
#   EXTRA_JAVA_OPTS       added to the server's JVM flags (Karaf's variable; a -Xmx in it wins over the above)
#   BENCH_JAVA_OPTS       the benchmark client's JVM flags (default -Xmx1g; full -Xmx2g)
#   PG_HOST, PG_PORT, PG_DB, PG_USER   PostgreSQL (default 127.0.0.1, 5432, test, postgres; trust auth)
#   FLEET_DATA_DIR        where the generated fleet goes (default /tmp/synctriage-fleet-<scale>)
#   KEEP=1                leave the server running afterwards (stop it with /tmp/synctriage-fleet-bench-P/bin/stop)
#
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"

scale=smoke
db=h2
port=8282
bench_args=()
skip_load=false
while [ $# -gt 0 ]; do
    case "$1" in
        --scale) scale="${2:?--scale needs smoke or full}"; shift 2 ;;
        --db) db="${2:?--db needs h2 or postgresql}"; shift 2 ;;
        --port) port="${2:?--port needs a number}"; shift 2 ;;
        --skip-load) skip_load=true; shift ;;
        --) shift; bench_args=("$@"); break ;;
        -h|--help) sed -n '3,38p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "bench-fleet.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
    esac
done
case "$scale" in smoke|full) ;; *) echo "bench-fleet.sh: --scale must be smoke or full" >&2; exit 2 ;; esac
case "$db" in h2|postgresql) ;; *) echo "bench-fleet.sh: --db must be h2 or postgresql" >&2; exit 2 ;; esac
case "$port" in ''|*[!0-9]*) echo "bench-fleet.sh: --port must be a number" >&2; exit 2 ;; esac

if [ -z "${JAVA_HOME:-}" ] && command -v java >/dev/null 2>&1; then
    JAVA_HOME="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
    export JAVA_HOME
fi

version="$(sed -n '/<parent>/,/<\/parent>/s:.*<version>\(.*\)</version>.*:\1:p' "$HERE/pom.xml" | head -1)"
DIST="$ROOT/karaf-assembly/target/synctriage-${version}.tar.gz"
JAR="$HERE/target/benchmarks.jar"
RUN="/tmp/synctriage-fleet-bench-$port"
DATA_DIR="${FLEET_DATA_DIR:-/tmp/synctriage-fleet-$scale}"
SCHEMA="synctriage_fleet_bench_$port"
PG_HOST="${PG_HOST:-127.0.0.1}" PG_PORT="${PG_PORT:-5432}" PG_DB="${PG_DB:-test}" PG_USER="${PG_USER:-postgres}"

# --- build what is missing
if [ ! -f "$DIST" ]; then
    excluded='!itests'
    grep -q '<module>benchmarks</module>' "$ROOT/pom.xml" && excluded='!itests,!benchmarks'
    echo "Building the distribution (mvn -B -o -q install -DskipTests -pl '$excluded') …"
    (cd "$ROOT" && mvn -B -o -q install -DskipTests -pl "$excluded")
fi
if [ ! -f "$JAR" ] || [ -n "$(find "$HERE/src/main" "$HERE/pom.xml" -newer "$JAR" -print -quit)" ]; then
    echo "Building $JAR …"
    (cd "$ROOT" && mvn -B -o -q -f benchmarks/pom.xml package -DskipTests -Dbenchmarks.jar)
fi

# --- a fresh distribution on its own ports
running() {
    local pid
    pid="$(cat "$RUN/karaf.pid" 2>/dev/null)" || return 1
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && ps -p "$pid" -o args= 2>/dev/null | grep -q -- "$RUN"
}
if running; then
    echo "A distribution is already running from $RUN: stop it first ($RUN/bin/stop)" >&2
    exit 1
fi
if [ "$skip_load" = true ]; then
    [ -x "$RUN/bin/start" ] || { echo "bench-fleet.sh: --skip-load needs the copy a previous run left in $RUN" >&2; exit 1; }
    bench_args=(--skip-load "${bench_args[@]}")
else
    rm -rf "$RUN"
    mkdir -p "$RUN"
    tar -xzf "$DIST" -C "$RUN" --strip-components=1
    sys="$RUN/system/io/synctriage"
    # The features install these files only when absent: written first, they are the ones used.
    sed 's/^demo.enabled *=.*/demo.enabled = false/' \
        "$sys/io.synctriage.source.importer/$version/io.synctriage.source.importer-$version.cfg" \
        > "$RUN/etc/io.synctriage.importer.cfg"
    # the fleet's first records are 90 days old: retention must not purge them while it loads
    sed 's/^retention.days *=.*/retention.days = 0/' "$sys/io.synctriage.store/$version/io.synctriage.store-$version.cfg" \
        > "$RUN/etc/io.synctriage.store.cfg"
    sed -i "s/^sshPort *=.*/sshPort = $((port + 10))/" "$RUN/etc/org.apache.karaf.shell.cfg"
    if [ "$db" = postgresql ]; then
        command -v psql >/dev/null || { echo "bench-fleet.sh: psql is needed for --db postgresql" >&2; exit 1; }
        psql -q -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d "$PG_DB" -v ON_ERROR_STOP=1 \
            -c "DROP SCHEMA IF EXISTS $SCHEMA CASCADE" -c "CREATE SCHEMA $SCHEMA"
        sed -e "s|^osgi.jdbc.driver.class *=.*|osgi.jdbc.driver.class = org.postgresql.Driver|" \
            -e "s|^url *=.*|url = jdbc:postgresql://$PG_HOST:$PG_PORT/$PG_DB?currentSchema=$SCHEMA|" \
            -e "s|^user *=.*|user = $PG_USER|" -e "s|^password *=.*|password =|" \
            "$sys/io.synctriage.store/$version/io.synctriage.store-$version-datasource-h2.cfg" \
            > "$RUN/etc/org.ops4j.datasource-synctriage.cfg"
        # installed at boot, as the README's "Switch to PostgreSQL" says
        sed -i "s|^featuresBoot *= *\\\\|featuresBoot = \\\\\n    synctriage-store-postgresql/${version/-SNAPSHOT/.SNAPSHOT}, \\\\|" \
            "$RUN/etc/org.apache.karaf.features.cfg"
    fi
fi
# the benchmark runs from its own copy of the uber-jar: a rebuild of benchmarks/target during a run of hours
# must not pull classes from under it
cp "$JAR" "$RUN/fleet-benchmark.jar"

if [ -z "${SYNCTRIAGE_JAVA_OPTS:-}" ]; then
    if [ "$scale" = full ] || [ -n "${JAVA_MAX_MEM:-}" ]; then
        SYNCTRIAGE_JAVA_OPTS="-Xms1g -Xmx${JAVA_MAX_MEM:-4g} -XX:+UseG1GC"
    fi
fi
[ -n "${SYNCTRIAGE_JAVA_OPTS:-}" ] && export SYNCTRIAGE_JAVA_OPTS
if [ -z "${BENCH_JAVA_OPTS:-}" ]; then
    BENCH_JAVA_OPTS="-Xmx1g"
    [ "$scale" = full ] && BENCH_JAVA_OPTS="-Xmx2g"
fi

analyzer=""
stop() {
    if [ -n "$analyzer" ]; then kill "$analyzer" 2>/dev/null || true; fi
    if [ "${KEEP:-0}" = 1 ]; then
        echo "Left running (KEEP=1): http://localhost:$port, stop with $RUN/bin/stop"
        return
    fi
    if running; then
        local pid
        pid="$(cat "$RUN/karaf.pid")"
        "$RUN/bin/stop" >/dev/null 2>&1 || true
        for _ in $(seq 1 120); do running || break; sleep 0.5; done
        # only the JVM this script started, by its pid
        if running; then kill "$pid" 2>/dev/null || true; fi
        echo "Stopped the distribution in $RUN."
    fi
}
trap stop EXIT

echo "Starting $RUN on port $port ($db${SYNCTRIAGE_JAVA_OPTS:+, JVM: $SYNCTRIAGE_JAVA_OPTS}) …"
SYNCTRIAGE_HTTP_PORT="$port" "$RUN/bin/start"
started=$(date +%s)
until body="$(curl -fsS -m 2 "http://localhost:$port/api/v1/health" 2>/dev/null)" && [[ "$body" == *'"UP"'* ]]; do
    if [ $(( $(date +%s) - started )) -ge 120 ] || { ! running && [ $(( $(date +%s) - started )) -gt 10 ]; }; then
        echo "The distribution did not come UP on port $port; last lines of its log:" >&2
        tail -n 30 "$RUN/data/log/karaf.log" >&2 || true
        exit 1
    fi
    sleep 0.5
done
echo "UP after $(( $(date +%s) - started )) s."
# Health is the engine's; the store may still be migrating (V4 on a 10M-event schema: ~15 s) and the fleet
# tracker starts with it. The incidents endpoint answers 503 until both run.
until [ "$(curl -sS -o /dev/null -w '%{http_code}' -m 5 -u karaf:karaf "http://localhost:$port/api/v1/fleet/incidents?limit=1" 2>/dev/null)" = 200 ]; do
    if [ $(( $(date +%s) - started )) -ge 900 ] || ! running; then
        echo "The store / fleet incidents did not start on port $port; last lines of its log:" >&2
        tail -n 30 "$RUN/data/log/karaf.log" >&2 || true
        exit 1
    fi
    sleep 1
done
echo "Store and fleet incidents ready after $(( $(date +%s) - started )) s."
if [ "$db" = postgresql ]; then
    # the store migrates its schema on start: wait for its tables, which also proves it runs on PostgreSQL
    for _ in $(seq 1 120); do
        n="$(psql -qtA -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d "$PG_DB" \
            -c "SELECT count(*) FROM information_schema.tables WHERE table_schema = '$SCHEMA'")"
        [ "${n:-0}" -gt 0 ] && break
        sleep 0.5
    done
    [ "${n:-0}" -gt 0 ] || { echo "The store created no table in schema $SCHEMA" >&2; tail -n 30 "$RUN/data/log/karaf.log" >&2; exit 1; }
fi

if [ "$db" = postgresql ] && [ "$(psql -qtA -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d "$PG_DB" -c 'SHOW autovacuum')" = off ]; then
    # Without autovacuum nothing ever gathers statistics on the new tables, and PostgreSQL plans the store's
    # lookups as sequential scans of tables it believes empty: the import slows down as the tables grow
    # (measured: 340 records/s at 110,000 accounts). Stand in for autoanalyze, once a minute.
    echo "Note: autovacuum is off on this PostgreSQL: the schema is ANALYZEd every 60 s during the run."
    (
        while sleep 60; do
            psql -q -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d "$PG_DB" -c "ANALYZE $SCHEMA.accounts" \
                -c "ANALYZE $SCHEMA.account_history" -c "ANALYZE $SCHEMA.notifications" \
                -c "ANALYZE $SCHEMA.log_lines" >/dev/null 2>&1 || true
        done
    ) &
    analyzer=$!
fi

set +e
# shellcheck disable=SC2086
java $BENCH_JAVA_OPTS -cp "$RUN/fleet-benchmark.jar" io.synctriage.benchmarks.fleet.FleetBenchmark --scale "$scale" --db "$db" \
    --base-url "http://localhost:$port" --data-dir "$DATA_DIR" "${bench_args[@]}"
status=$?
set -e

if [ "$db" = postgresql ]; then
    size="$(psql -qtA -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d "$PG_DB" -c "SELECT pg_size_pretty(sum(
        pg_total_relation_size(quote_ident(table_schema) || '.' || quote_ident(table_name)))) FROM
        information_schema.tables WHERE table_schema = '$SCHEMA'")"
    echo "Store size (PostgreSQL schema $SCHEMA): $size"
else
    echo "Store size (H2): $(du -sh "$RUN/data/synctriage" | cut -f1)"
fi
echo "Server log: $RUN/data/log/karaf.log"
exit $status
