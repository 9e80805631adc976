# Shared by the benchmarks/bench-*.sh scripts (sourced, not run): the distribution they start, the uber-jar
# they run, wrk output parsing and the final table. Not a general library: each function says what it expects.

BENCH_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"   # benchmarks/
ROOT="$(dirname "$BENCH_HOME")"
TARGET="$BENCH_HOME/target"
JAR="$TARGET/benchmarks.jar"
WRK_DIR="$BENCH_HOME/wrk"
BUNDLE_JSON="$BENCH_HOME/src/main/resources/io/synctriage/benchmarks/realistic-bundle.json"
BUNDLE_CAUSE=MFA_REQUIRED   # RealisticBundle.EXPECTED_CAUSE
VERSION="$(sed -n '/<parent>/,/<\/parent>/s:.*<version>\(.*\)</version>.*:\1:p' "$BENCH_HOME/pom.xml" | head -1)"
DIST_TGZ="$ROOT/karaf-assembly/target/synctriage-${VERSION}.tar.gz"

BENCH_PORT="${BENCH_PORT:-8181}"
BENCH_SSH_PORT="${BENCH_SSH_PORT:-8101}"
BENCH_USER="${BENCH_USER:-karaf}"
BENCH_PASSWORD="${BENCH_PASSWORD:-karaf}"
BENCH_MVN_FLAGS="${BENCH_MVN_FLAGS:-}"
AUTH_HEADER="Authorization: Basic $(printf '%s:%s' "$BENCH_USER" "$BENCH_PASSWORD" | base64 -w0)"

# Set by the option parsing of each script
SMOKE=false
STRICT=false
NO_BUILD=false

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 2; }

need() {
    local c
    for c in "$@"; do
        command -v "$c" >/dev/null 2>&1 || die "'$c' is needed (Debian: apt-get install $c)"
    done
}

# Floating-point arithmetic: calc '<awk expression>' (variables are not available; pass numbers in). Full
# double precision (%.17g), so that epoch seconds with nanoseconds survive; comparisons print 1 or 0.
# (Parenthesised: a bare ">" in a printf argument list would be awk's output redirection.)
calc() { awk "BEGIN { printf \"%.17g\", ($1) }" </dev/null; }
fmt() { awk -v v="$1" -v d="${2:-0}" 'BEGIN { printf "%.*f", d, v }'; }
# Thousands separators for figures in the table: 12345.6 -> 12,346
thousands() { LC_ALL=C awk -v v="$1" 'BEGIN { s = sprintf("%.0f", v); n = length(s); o = "";
    for (i = 1; i <= n; i++) { o = o substr(s, i, 1); if ((n - i) % 3 == 0 && i < n && substr(s, i, 1) != "-") o = o "," } print o }'; }

# ---------------------------------------------------------------------------------------------------------
# The uber-jar (target/benchmarks.jar): built when missing or older than any source it contains, from the
# current tree (-am builds the engine, providers and store it embeds; `package` only: nothing is installed).

jar_stale() {
    [ ! -f "$JAR" ] && return 0
    find "$BENCH_HOME/pom.xml" "$BENCH_HOME/src/main" "$ROOT/bundles/model/src/main" "$ROOT/bundles/engine/src/main" \
        "$ROOT"/bundles/provider-*/src/main "$ROOT/bundles/store/src/main/resources" \
        -type f -newer "$JAR" -print -quit 2>/dev/null | grep -q .
}

ensure_jar() {
    if [ "$NO_BUILD" = true ]; then
        [ -f "$JAR" ] || die "$JAR is missing (run without --no-build)"
        return
    fi
    if jar_stale; then
        log "Building $JAR (mvn package -pl benchmarks -am -Dbenchmarks.jar; log: $TARGET/build.log) …"
        mkdir -p "$TARGET"
        # shellcheck disable=SC2086
        if ! (cd "$ROOT" && mvn -B $BENCH_MVN_FLAGS package -pl benchmarks -am -DskipTests -Dbenchmarks.jar) \
                >"$TARGET/build.log.tmp" 2>&1; then
            mv "$TARGET/build.log.tmp" "$TARGET/build.log"
            grep -E '^\[ERROR\]' "$TARGET/build.log" | head -20 >&2 || true
            die "build failed; see $TARGET/build.log"
        fi
        mv "$TARGET/build.log.tmp" "$TARGET/build.log"
    fi
}

# ---------------------------------------------------------------------------------------------------------
# The distribution: a private copy unpacked from karaf-assembly/target/synctriage-<version>.tar.gz into
# benchmarks/target/dist-<name>/ (clean data/ every time, so every run starts from the same empty store),
# on BENCH_PORT (HTTP) and BENCH_SSH_PORT (console). Never the copy karaf-assembly/run.sh runs.

DIST_HOME=""
DIST_OWNED=false
BASE_URL="${BASE_URL:-}"

ensure_dist_tgz() {
    if [ ! -f "$DIST_TGZ" ]; then
        [ "$NO_BUILD" = true ] && die "$DIST_TGZ is missing (run without --no-build)"
        log "Building the distribution (mvn install -DskipTests -pl '!itests,!benchmarks'; log: $TARGET/dist-build.log) …"
        mkdir -p "$TARGET"
        # shellcheck disable=SC2086
        (cd "$ROOT" && mvn -B $BENCH_MVN_FLAGS install -DskipTests -pl '!itests,!benchmarks') >"$TARGET/dist-build.log" 2>&1 \
            || die "distribution build failed; see $TARGET/dist-build.log"
    elif find "$ROOT/bundles" "$ROOT/features/src" "$ROOT/karaf-assembly/src" -path '*/src/main/*' -type f \
            -newer "$DIST_TGZ" -print -quit 2>/dev/null | grep -q .; then
        log "note: $DIST_TGZ is older than some sources; measuring it anyway (rebuild: mvn -B install -DskipTests -pl '!itests,!benchmarks')"
    fi
}

port_busy() { ss -Hltn "sport = :$1" 2>/dev/null | grep -q .; }

# dist_unpack NAME [demo=true|false] [webhook-secret]
dist_unpack() {
    local name="$1" demo="${2:-false}" secret="${3:-}"
    ensure_dist_tgz
    DIST_HOME="$TARGET/dist-$name"
    rm -rf "$DIST_HOME"
    mkdir -p "$DIST_HOME"
    tar -xzf "$DIST_TGZ" -C "$DIST_HOME" --strip-components=1
    sed -i "s/^sshPort *=.*/sshPort = $BENCH_SSH_PORT/" "$DIST_HOME/etc/org.apache.karaf.shell.cfg"
    # Synctriage's own cfg files are written by its features on first start unless present (configfile
    # override=false): writing them beforehand sets the values from the very first start.
    local sys="$DIST_HOME/system/io/synctriage"
    sed "s/^demo.enabled *=.*/demo.enabled = $demo/" \
        "$sys/io.synctriage.source.importer/$VERSION/io.synctriage.source.importer-$VERSION.cfg" \
        >"$DIST_HOME/etc/io.synctriage.importer.cfg"
    # A console key for karaf_cmd (this copy only; the admin group is the one etc/users.properties gives karaf)
    if command -v ssh-keygen >/dev/null 2>&1; then
        ssh-keygen -q -t rsa -b 2048 -N '' -C synctriage-bench -f "$DIST_HOME/bench-ssh-key"
        echo "$BENCH_USER=$(cut -d' ' -f2 "$DIST_HOME/bench-ssh-key.pub"),_g_:admingroup" >>"$DIST_HOME/etc/keys.properties"
    fi
    if [ -n "$secret" ]; then
        sed "s/^client.secret *=.*/client.secret = $secret/" \
            "$sys/io.synctriage.source.webhook/$VERSION/io.synctriage.source.webhook-$VERSION.cfg" \
            >"$DIST_HOME/etc/io.synctriage.webhook.cfg"
    fi
}

dist_pid() { cat "$DIST_HOME/karaf.pid" 2>/dev/null; }

dist_running() {
    local pid
    pid="$(dist_pid)" && [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null
}

# dist_start: starts the unpacked copy and waits for health UP; sets DIST_T0 (when bin/start ran, epoch s)
# and START_SECONDS (from bin/start to UP).
START_SECONDS=""
DIST_T0=""
dist_start() {
    port_busy "$BENCH_PORT" && die "port $BENCH_PORT is in use (another Synctriage? set BENCH_PORT, or BASE_URL to measure that one)"
    port_busy "$BENCH_SSH_PORT" && die "port $BENCH_SSH_PORT (console) is in use: set BENCH_SSH_PORT"
    BASE_URL="http://localhost:$BENCH_PORT"
    DIST_OWNED=true
    trap dist_cleanup EXIT
    local t0 now
    t0="$(date +%s.%N)"
    DIST_T0="$t0"
    SYNCTRIAGE_HTTP_PORT="$BENCH_PORT" "$DIST_HOME/bin/start"
    while true; do
        if curl -fsS -m 2 "$BASE_URL/api/v1/health" 2>/dev/null | grep -q '"status":"UP"'; then
            now="$(date +%s.%N)"
            START_SECONDS="$(calc "$now - $t0")"
            log "distribution $DIST_HOME UP on $BASE_URL after $(fmt "$START_SECONDS" 2) s"
            return 0
        fi
        now="$(date +%s.%N)"
        if [ "$(calc "($now - $t0) > 90")" = 1 ]; then
            tail -n 20 "$DIST_HOME/data/log/karaf.log" >&2 || true
            die "the distribution did not report UP within 90 s"
        fi
        sleep 0.1
    done
}

dist_stop() {
    [ "$DIST_OWNED" = true ] || return 0
    local pid
    pid="$(dist_pid)"
    if dist_running; then
        SYNCTRIAGE_HTTP_PORT="$BENCH_PORT" "$DIST_HOME/bin/stop" >/dev/null 2>&1 || true
        for _ in $(seq 1 120); do dist_running || break; sleep 0.25; done
        if dist_running; then
            log "the distribution did not stop within 30 s: killing its process $pid"
            kill -9 "$pid" 2>/dev/null || true
        fi
    fi
    DIST_OWNED=false
}

dist_cleanup() {
    local rc=$?
    # the load generator, if a script left one running in the background
    # (a subshell running wrk: the wrk process is its child)
    if [ -n "${WRK_PID:-}" ] && kill -0 "$WRK_PID" 2>/dev/null; then
        kill $(pgrep -P "$WRK_PID") "$WRK_PID" 2>/dev/null || true
    fi
    dist_stop
    exit $rc
}

# karaf_cmd 'command …': one Karaf console command. With OpenSSH: ssh with a key made for this copy at unpack
# time (etc/keys.properties), ~0.5 s per command and a non-zero exit when the command fails. Without it: the
# distribution's bin/client in batch mode (a JVM start per command, several seconds under load; batch mode
# because Karaf 4.4's client given the command as an argument with no terminal hangs or exits "Closed" now
# and then), with its own HOME so that the new host key does not clash with ~/.sshkaraf/known_hosts.
# Killed after 60 s, so that a stuck console cannot hang a benchmark.
karaf_cmd() {
    if [ -f "$DIST_HOME/bench-ssh-key" ] && command -v ssh >/dev/null 2>&1; then
        timeout 60 ssh -q -i "$DIST_HOME/bench-ssh-key" -p "$BENCH_SSH_PORT" -o StrictHostKeyChecking=no \
            -o UserKnownHostsFile=/dev/null -o BatchMode=yes -o ConnectTimeout=10 "$BENCH_USER@localhost" "$1" </dev/null
    else
        local home="$TARGET/client-home"
        mkdir -p "$home"
        rm -f "$home/.sshkaraf/known_hosts"
        printf '%s\n' "$1" | HOME="$home" timeout 60 "$DIST_HOME/bin/client" -a "$BENCH_SSH_PORT" -u "$BENCH_USER" \
            -p "$BENCH_PASSWORD" -r 5 -d 1 -b
    fi
}

# ---------------------------------------------------------------------------------------------------------
# wrk: run_wrk OUT [wrk arguments…] runs wrk with a script of wrk/ that ends in report.lua, keeps its output in
# OUT, and fails unless the BENCH lines are there. wrk_get OUT key prints one value.

run_wrk() {
    local out="$1"
    shift
    if ! wrk "$@" >"$out" 2>&1 || ! grep -q '^BENCH requests=' "$out"; then
        cat "$out" >&2
        die "wrk failed: wrk $*"
    fi
}

wrk_get() {
    sed -n "s/^BENCH .*\b$2=\([^ ]*\).*/\1/p" "$1" | head -1
}

# Pacing for a target rate (see wrk/common.lua): a connection sends one request per (delay + latency), so
# rate = connections / (delay + latency). paced_delay RATE CONNECTIONS gives the first guess (latency 0);
# recalibrated_delay RATE CONNECTIONS ACHIEVED DELAY takes the latency a run at DELAY showed (it achieved
# ACHIEVED requests/s) out of the wait. Milliseconds, never negative.
paced_delay() { calc "1000 * $2 / $1"; }
recalibrated_delay() { calc "(1000 * $2 / $1) - ((1000 * $2 / $3) - $4) < 0 ? 0 : (1000 * $2 / $1) - ((1000 * $2 / $3) - $4)"; }

# Requests that did not get a 2xx/3xx answer: status >= 400 plus socket errors (connect, read, write, timeout).
wrk_failed() {
    local f="$1"
    echo $(( $(wrk_get "$f" status_errors) + $(wrk_get "$f" connect_errors) + $(wrk_get "$f" read_errors) \
        + $(wrk_get "$f" write_errors) + $(wrk_get "$f" timeouts) ))
}

# ---------------------------------------------------------------------------------------------------------
# The final table: row METRIC FIGURE TARGET RATIO RESULT (RESULT: OK, MISS or info); print_table; finish.

ROWS=()
MISSED=0
row() {
    ROWS+=("$1"$'\t'"$2"$'\t'"$3"$'\t'"$4"$'\t'"$5")
    [ "$5" = MISS ] && MISSED=$((MISSED + 1))
    return 0
}

# verdict OK-CONDITION(0/1) -> OK / MISS
verdict() { if [ "$1" = 1 ]; then echo OK; else echo MISS; fi; }

print_table() {
    local title="$1"
    echo
    echo "== $title ($(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)$([ "$SMOKE" = true ] && echo ', SMOKE SIZE: figures not meaningful'))"
    {
        printf 'Metric\tFigure\tTarget\tRatio\tResult\n'
        printf '%s\n' "${ROWS[@]}"
    } | column -t -s $'\t'
}

finish() {
    if [ "$MISSED" -gt 0 ]; then
        if [ "$STRICT" = true ]; then
            echo "$MISSED target(s) missed (--strict: failing)."
            exit 1
        fi
        echo "$MISSED target(s) missed (exit status 0 without --strict)."
    fi
    exit 0
}

# Options every script understands; the script handles the rest itself.
common_option() {
    case "$1" in
        --smoke) SMOKE=true ;;
        --strict) STRICT=true ;;
        --no-build) NO_BUILD=true ;;
        *) return 1 ;;
    esac
}
