#!/usr/bin/env bash
# Requests per second of the procedure page beside a bare Django view doing one indexed
# query, in the same run under the same gunicorn (2 sync workers), driven by wrk on loopback.
#
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_province benchmarks/catalog_rps.sh
#
# Both targets rotate over the same deterministic sample of procedure codes
# (benchmarks.sample): /thu-tuc/<code>/ (the real page) and /_bench/bare/<code>/
# (one indexed query, tiny response; only in benchmarks.urls). After a warm-up
# the targets are measured in turn, ROUNDS times each, the order rotated every
# round; the mean rps of each and the ratio page/bare are printed.
#
# Defaults, overridable from the environment:
#   BENCH_PORT=8765                       loopback only (127.0.0.1)
#   BENCH_GUNICORN="--workers 2 --worker-class sync"
#   BENCH_WRK="-t2 -c16 -d15s --timeout 10s"
#   BENCH_ROUNDS=2  BENCH_WARMUP=3s  BENCH_CODES=50
set -euo pipefail

cd "$(dirname "$0")/.."
: "${DATABASE_URL:?set DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_province}"
BIN=${BIN:-.venv/bin}
HOST=127.0.0.1
PORT=${BENCH_PORT:-8765}
GUNICORN_ARGS=${BENCH_GUNICORN:-"--workers 2 --worker-class sync"}
WRK_ARGS=${BENCH_WRK:-"-t2 -c16 -d15s --timeout 10s"}
ROUNDS=${BENCH_ROUNDS:-2}
WARMUP=${BENCH_WARMUP:-3s}
CODES=${BENCH_CODES:-50}
RATIO_TARGET=40
export DJANGO_SETTINGS_MODULE=benchmarks.settings

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 2; }
if curl -s -o /dev/null "http://$HOST:$PORT/"; then
    echo "something already listens on $HOST:$PORT; set BENCH_PORT" >&2
    exit 2
fi

WORK=$(mktemp -d)
GUNICORN_PID=""
cleanup() {
    if [ -n "$GUNICORN_PID" ] && kill -0 "$GUNICORN_PID" 2>/dev/null; then
        kill -TERM "$GUNICORN_PID"
        wait "$GUNICORN_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

"$BIN/python" -m benchmarks.sample --codes "$CODES" >"$WORK/codes.txt"
N_PROCEDURES=$("$BIN/python" -c 'import django; django.setup(); from benchmarks.sample import current_codes; print(len(current_codes()))')

# wrk script (benchmarks/rotate.lua): each connection's requests rotate over the sampled codes.

# shellcheck disable=SC2086
"$BIN/gunicorn" portal.wsgi:application --bind "$HOST:$PORT" $GUNICORN_ARGS \
    --log-level warning --error-logfile "$WORK/gunicorn.log" &
GUNICORN_PID=$!
for _ in $(seq 1 100); do
    curl -sf -o /dev/null "http://$HOST:$PORT/healthz" && break
    kill -0 "$GUNICORN_PID" 2>/dev/null || { cat "$WORK/gunicorn.log" >&2; exit 1; }
    sleep 0.2
done
curl -sf -o /dev/null "http://$HOST:$PORT/healthz" || { echo "gunicorn did not start" >&2; exit 1; }
first=$(head -n1 "$WORK/codes.txt")
curl -sf -o /dev/null "http://$HOST:$PORT/thu-tuc/$first/"
curl -sf -o /dev/null "http://$HOST:$PORT/_bench/bare/$first/"

PAGE="/thu-tuc/%s/"
BARE="/_bench/bare/%s/"

run_wrk() {  # run_wrk <path pattern> <wrk args...>; prints "rps p50 p99"
    local pattern=$1
    shift
    local out
    # shellcheck disable=SC2068
    out=$(wrk $@ --latency -s benchmarks/rotate.lua "http://$HOST:$PORT" -- "$WORK/codes.txt" "$pattern")
    if grep -q -E "Non-2xx|Socket errors" <<<"$out"; then
        echo "$out" >&2
        echo "errors during the run (above)" >&2
        exit 1
    fi
    awk '/Requests\/sec/ {rps=$2} $1=="50%" {p50=$2} $1=="99%" {p99=$2} END {print rps, p50, p99}' <<<"$out"
}

echo "# gunicorn $GUNICORN_ARGS on $HOST:$PORT; wrk $WRK_ARGS; $ROUNDS rounds each, warm-up $WARMUP"
echo "# $N_PROCEDURES current procedures; $CODES procedure codes rotated (benchmarks.sample); $(nproc) cores"
for pattern in "$BARE" "$PAGE"; do
    run_wrk "$pattern" -t2 -c16 -d"$WARMUP" --timeout 10s >/dev/null
done

echo
echo "| Round | Target | Requests/s | latency p50 | latency p99 |"
echo "|---:|---|---:|---:|---:|"
TARGETS="bare page"
declare -A total=([bare]=0 [page]=0)
pattern_of() {
    case $1 in
    page) echo "$PAGE" ;;
    bare) echo "$BARE" ;;
    esac
}
for round in $(seq 1 "$ROUNDS"); do
    # shellcheck disable=SC2086
    set -- $TARGETS
    for _ in $(seq 2 "$round"); do set -- "${@:2}" "$1"; done  # rotate the order every round
    for target in "$@"; do
        pattern=$(pattern_of "$target")
        # shellcheck disable=SC2086
        result=$(run_wrk "$pattern" $WRK_ARGS)
        read -r rps p50 p99 <<<"$result"
        printf "| %s | %s | %s | %s | %s |\n" "$round" "$target (${pattern%%%s/}<code>/)" "$rps" "$p50" "$p99"
        total[$target]=$(awk -v a="${total[$target]}" -v b="$rps" 'BEGIN {print a + b}')
    done
done

echo "# load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
awk -v p="${total[page]}" -v b="${total[bare]}" -v n="$ROUNDS" -v t="$RATIO_TARGET" 'BEGIN {
    ratio = 100 * p / b
    printf "\nprocedure page %.1f rps, bare view %.1f rps (mean of %d rounds): ratio %.1f %% (target >= %d %%): %s\n",
        p / n, b / n, n, ratio, t, (ratio >= t ? "met" : "NOT met")
    printf "TARGET {\"name\": \"procedure page rps / bare view rps\", \"value\": %.1f, \"goal\": %d, \"unit\": \"%%\", \"higher_is_better\": true, \"met\": %s, \"limit\": \"%s\", \"detail\": \"\"}\n",
        ratio, t, (ratio >= t ? "true" : "false"), (ratio >= t ? "" : "the page runs the session, the cache look-ups and a larger response through the same middleware")
}'
if [ -s "$WORK/gunicorn.log" ]; then
    echo "gunicorn log:" >&2
    cat "$WORK/gunicorn.log" >&2
fi
