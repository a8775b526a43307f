#!/usr/bin/env bash
# Loopback load benchmark: one Release host (benchmarks/P2P.ApiKeys.LoadHost) pinned to core 0, wrk pinned
# to core 1, the same trivial endpoint five ways, interleaved over several rounds in one run. Prints
# requests/s and p50/p99 latency (medians over the rounds) and each figure's ratio to /anonymous measured
# in the same rounds, as a markdown table. Only 127.0.0.1 traffic.
#
# Knobs (environment): DURATION=5s WARMUP=3s ROUNDS=3 CONNECTIONS=32 THREADS=1 PORT=5199
#   SERVER_CPU=0 CLIENT_CPU=1
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-5s}
WARMUP=${WARMUP:-3s}
ROUNDS=${ROUNDS:-3}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-1}
PORT=${PORT:-5199}
SERVER_CPU=${SERVER_CPU:-0}
CLIENT_CPU=${CLIENT_CPU:-1}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

log() { printf '[load] %s\n' "$*" >&2; }

if ! command -v wrk >/dev/null 2>&1; then
  log "installing wrk"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null && apt-get install -y -qq wrk >/dev/null
fi

pin_server=() pin_client=()
if command -v taskset >/dev/null 2>&1 && [ "$(nproc)" -ge 2 ]; then
  pin_server=(taskset -c "$SERVER_CPU")
  pin_client=(taskset -c "$CLIENT_CPU")
else
  log "fewer than 2 cores or no taskset: server and wrk are NOT pinned apart; ratios still hold, absolute figures do not"
fi

log "building the load host (Release)"
dotnet build -c Release -v q -nologo benchmarks/P2P.ApiKeys.LoadHost >&2
host_dll=benchmarks/P2P.ApiKeys.LoadHost/bin/Release/net10.0/P2P.ApiKeys.LoadHost.dll

work=$(mktemp -d)
host_pid=""
cleanup() {
  if [ -n "$host_pid" ] && kill -0 "$host_pid" 2>/dev/null; then
    kill "$host_pid" 2>/dev/null || true
    wait "$host_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

"${pin_server[@]}" dotnet "$host_dll" "$PORT" "$work/credentials" >"$work/host.log" 2>&1 &
host_pid=$!
for _ in $(seq 1 900); do   # up to 180 s: the host seeds its SQLite store first
  [ -f "$work/credentials" ] && break
  kill -0 "$host_pid" 2>/dev/null || { log "the host exited:"; cat "$work/host.log" >&2; exit 1; }
  sleep 0.2
done
[ -f "$work/credentials" ] || { log "the host did not start within 180 s"; exit 1; }
# shellcheck disable=SC1091
. "$work/credentials"   # PORT, NOCACHE_PORT, API_KEY, JWT

base="http://127.0.0.1:$PORT"
names=(anonymous authz-floor apikey apikey-nocache jwt)
declare -A url header
url[anonymous]="$base/anonymous";                          header[anonymous]="X-Bench: none"
url[authz-floor]="$base/authz-floor";                      header[authz-floor]="X-Bench: none"
url[apikey]="$base/apikey";                                header[apikey]="X-API-Key: $API_KEY"
url[apikey-nocache]="http://127.0.0.1:$NOCACHE_PORT/apikey-nocache"; header[apikey-nocache]="X-API-Key: $API_KEY"
url[jwt]="$base/jwt";                                      header[jwt]="Authorization: Bearer $JWT"

for n in "${names[@]}"; do
  code=$(curl -s -o /dev/null -w '%{http_code}' -H "${header[$n]}" "${url[$n]}")
  [ "$code" = 200 ] || { log "/$n answered $code, expected 200"; exit 1; }
done

# to_ms VALUE: wrk latency ("812.00us", "1.23ms", "1.01s") in milliseconds.
to_ms() { awk -v v="$1" 'BEGIN {
  if (v ~ /us$/) { sub(/us$/, "", v); printf "%.4f", v / 1000 }
  else if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.4f", v }
  else if (v ~ /s$/) { sub(/s$/, "", v); printf "%.4f", v * 1000 }
  else { print "NaN" } }'; }

# run NAME DURATION -> "rps p50ms p99ms"
run() {
  local out
  out=$("${pin_client[@]}" wrk -t "$THREADS" -c "$CONNECTIONS" -d "$2" --latency -H "${header[$1]}" "${url[$1]}")
  if grep -q 'Non-2xx' <<<"$out"; then log "/$1: non-2xx responses:"; echo "$out" >&2; exit 1; fi
  local rps p50 p99
  rps=$(awk '/^Requests\/sec:/ { print $2 }' <<<"$out")
  p50=$(awk '$1 == "50%" { print $2 }' <<<"$out")
  p99=$(awk '$1 == "99%" { print $2 }' <<<"$out")
  echo "$rps $(to_ms "$p50") $(to_ms "$p99")"
}

log "warm-up: $WARMUP per endpoint (JIT, tiered compilation, connection pools)"
for n in "${names[@]}"; do run "$n" "$WARMUP" >/dev/null; done

results="$work/results"
: >"$results"
for r in $(seq 1 "$ROUNDS"); do
  # Rotate the order every round so that no endpoint always runs first or last.
  for i in "${!names[@]}"; do
    n=${names[$(( (i + r - 1) % ${#names[@]} ))]}
    read -r rps p50 p99 < <(run "$n" "$DURATION")
    log "round $r /$n: $rps req/s, p50 $p50 ms, p99 $p99 ms"
    echo "$r $n $rps $p50 $p99" >>"$results"
  done
done

median() { sort -g | awk '{ a[NR] = $1 } END { if (NR == 0) print "NaN"; else if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
# col NAME FIELD: one figure of NAME per round (field 3 = rps, 4 = p50, 5 = p99)
col() { awk -v n="$1" -v f="$2" '$2 == n { print $f }' "$results"; }
# ratio NAME FIELD BASE: median over rounds of NAME/BASE, each pair from the same round
ratio() {
  awk -v n="$1" -v f="$2" -v b="$3" '$2 == b { base[$1] = $f } $2 == n { val[$1] = $f }
    END { for (r in val) if (base[r] > 0) print val[r] / base[r] }' "$results" | median
}

printf '\n%s\n\n' "Loopback load, $(nproc) cores, server on CPU ${SERVER_CPU}, wrk on CPU ${CLIENT_CPU}: -t $THREADS -c $CONNECTIONS -d $DURATION, $ROUNDS rounds interleaved; medians over rounds, ratios per round then median."
echo "| endpoint | req/s | × anonymous | p50 ms | p50 × anon | p99 ms | p99 × anon |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
for n in "${names[@]}"; do
  printf '| /%s | %.0f | %.2f | %.3f | %.2f | %.3f | %.2f |\n' "$n" \
    "$(col "$n" 3 | median)" "$(ratio "$n" 3 anonymous)" \
    "$(col "$n" 4 | median)" "$(ratio "$n" 4 anonymous)" \
    "$(col "$n" 5 | median)" "$(ratio "$n" 5 anonymous)"
done
echo
printf '| comparison | throughput ratio (median of per-round ratios) | target |\n| --- | ---: | ---: |\n'
printf '| /apikey ÷ /anonymous | %.2f | ≥ 0.90 |\n' "$(ratio apikey 3 anonymous)"
printf '| /apikey ÷ /jwt | %.2f | ≥ 1.25 |\n' "$(ratio apikey 3 jwt)"
printf '| /authz-floor ÷ /anonymous (ASP.NET Core authentication + authorization alone) | %.2f | |\n' "$(ratio authz-floor 3 anonymous)"
printf '| /apikey ÷ /authz-floor (the library on top of that floor) | %.2f | |\n' "$(ratio apikey 3 authz-floor)"
printf '| /jwt ÷ /authz-floor (JwtBearer on top of that floor) | %.2f | |\n' "$(ratio jwt 3 authz-floor)"
printf '| /apikey-nocache ÷ /apikey | %.2f | |\n' "$(ratio apikey-nocache 3 apikey)"
echo
echo "Per round (req/s, p50 ms, p99 ms):"
echo
echo "| round | endpoint | req/s | p50 ms | p99 ms |"
echo "| ---: | --- | ---: | ---: | ---: |"
awk '{ printf "| %s | /%s | %.0f | %.3f | %.3f |\n", $1, $2, $3, $4, $5 }' "$results"
