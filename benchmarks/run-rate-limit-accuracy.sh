#!/usr/bin/env bash
# Rate-limit accuracy across nodes (docs/benchmarks.md, "Rate limits across nodes"): three AdminApi processes on one
# fresh PostgreSQL database and one private redis-server, one key with LIMIT requests per WINDOW seconds, CLIENTS
# concurrent connections spread evenly over the three nodes (one wrk per node) for DURATION seconds. Prints, for
# every window the run covered in full, how many requests the three nodes admitted together against the limit.
# With NODES_SHARE_REDIS=0 the nodes run without Redis (each counts alone) for comparison.
#
# Needs: P2P_POSTGRES (an Npgsql connection string for a role with CREATEDB), psql, redis-server, wrk, curl, jq.
# KIND=quota gives the key a daily quota of LIMIT instead, and prints how many the nodes admitted in the whole run
# (the run must not cross midnight UTC).
# Knobs (environment): KIND=rate LIMIT=1000 WINDOW=60 DURATION=(2 windows + 10 s) CLIENTS=30 NODES_SHARE_REDIS=1
#   DECISION_TIMEOUT=00:00:00.250 (how long a node waits for Redis before it decides locally)
# Only 127.0.0.1 traffic; bounded by DURATION.
set -euo pipefail
cd "$(dirname "$0")/.."

KIND=${KIND:-rate}
LIMIT=${LIMIT:-1000}
WINDOW=${WINDOW:-60}
if [ "$KIND" = quota ]; then WINDOW=86400; DURATION=${DURATION:-40}; fi
DURATION=${DURATION:-$((2 * WINDOW + 10))}
CLIENTS=${CLIENTS:-30}
NODES_SHARE_REDIS=${NODES_SHARE_REDIS:-1}
DECISION_TIMEOUT=${DECISION_TIMEOUT:-00:00:00.250}
: "${P2P_POSTGRES:?set P2P_POSTGRES, e.g. Host=127.0.0.1;Port=5432;Username=p2p;Password=...;Database=postgres}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

log() { printf '[accuracy] %s\n' "$*" >&2; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
pg() { # value of one Npgsql connection-string field
  tr ';' '\n' <<<"$P2P_POSTGRES" | awk -F= -v k="$1" 'tolower($1)==tolower(k){print substr($0, index($0,"=")+1)}'
}

work=$(mktemp -d)
pids=()
database="p2p_rl_accuracy_$$"
export PGHOST=$(pg Host) PGPORT=$(pg Port) PGUSER=$(pg Username) PGPASSWORD=$(pg Password)
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  psql -q -d postgres -c "DROP DATABASE IF EXISTS $database WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

log "building the AdminApi (Release)"
dotnet build samples/AdminApi -c Release -v q -nologo >/dev/null
psql -q -d postgres -c "CREATE DATABASE $database" >/dev/null

redis_connection=
if [ "$NODES_SHARE_REDIS" = 1 ]; then
  redis_port=$(free_port)
  redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$work" --save '' --appendonly no --daemonize no --loglevel warning &
  pids+=($!)
  for _ in $(seq 1 50); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done
  redis_connection="127.0.0.1:$redis_port"
  log "redis-server on $redis_connection"
fi

signing_key=$(head -c 32 /dev/urandom | base64)
ports=()
start_node() {
  local port=$1 dir="$work/node-$1"
  mkdir -p "$dir"
  ASPNETCORE_ENVIRONMENT=Production Admin__SigningKey="$signing_key" DataDirectory="$dir" \
  Database__Provider=PostgreSql ConnectionStrings__ApiKeys="${P2P_POSTGRES%;};Database=$database" \
  ConnectionStrings__Redis="$redis_connection" ApiKeys__DefaultRateLimit__Limit=0 ApiKeys__ClientLookupLimit__Limit=0 \
  ApiKeys__RedisDecisionTimeout="$DECISION_TIMEOUT" \
    dotnet samples/AdminApi/bin/Release/net10.0/AdminApi.dll --urls "http://127.0.0.1:$port" \
      --Logging:LogLevel:Default=Warning --Logging:LogLevel:Microsoft.AspNetCore.HttpLogging.HttpLoggingMiddleware=Warning \
      >"$dir/log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 300); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && return 0; sleep 0.1; done
  log "node on $port did not start:"; cat "$dir/log" >&2; exit 1
}
for _ in 1 2 3; do ports+=("$(free_port)"); done
for port in "${ports[@]}"; do start_node "$port"; done   # one after the other: the first migrates the fresh database
log "nodes on ${ports[*]}"

a="http://127.0.0.1:${ports[0]}"
curl -fs -H 'Content-Type: application/json' -d '{"username":"bench","password":"accuracy run passphrase"}' "$a/admin/users/" >/dev/null
token=$(curl -fs -d username=bench -d 'password=accuracy run passphrase' "$a/admin/token" | jq -r .access_token)
limits="\"rate_limit\":{\"limit\":$LIMIT,\"window_seconds\":$WINDOW}"
[ "$KIND" = quota ] && limits="\"quota\":{\"limit\":$LIMIT,\"period\":\"day\"}"
key=$(curl -fs -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d "{\"name\":\"accuracy\",$limits}" "$a/admin/keys/" | jq -r .key)

log "$CLIENTS connections over 3 nodes for ${DURATION}s; limit $LIMIT per ${WINDOW}s; Redis shared: $NODES_SHARE_REDIS; decision timeout $DECISION_TIMEOUT"
start=$(date +%s)
per_node=$((CLIENTS / 3))
for i in 0 1 2; do
  KEY="$key" WINDOW="$WINDOW" wrk -t1 -c"$per_node" -d"${DURATION}s" --timeout 5s -s benchmarks/rate-limit-accuracy.lua \
    "http://127.0.0.1:${ports[$i]}" >"$work/wrk-$i" 2>&1 &
  pids+=($!)
done
wait "${pids[@]: -3}"
end=$(date +%s)

if [ "$KIND" = quota ]; then
  cat "$work"/wrk-* | awk -v limit="$LIMIT" -v d="$DURATION" '
    $1 == "window" && $3 == "admitted" { admitted += $4 }
    $1 == "window" && $3 == "refused" { refused += $4 }
    /^Requests\/sec:/ { rps += $2 }
    END {
      printf "| run | admitted | refused | admitted ÷ quota |\n| --- | ---: | ---: | ---: |\n"
      printf "| daily quota %d, %d s | %d | %d | %.4f |\n", limit, d, admitted, refused, admitted / limit
      printf "\ntotal requests/s over the 3 nodes: %.0f\n", rps
    }'
else
cat "$work"/wrk-* | awk -v w="$WINDOW" -v s="$start" -v e="$end" -v limit="$LIMIT" '
  $1 == "window" { counts[$2, $3] += $4; ids[$2] = 1 }
  $1 == "other" { other += $2 }
  /^Requests\/sec:/ { rps += $2 }
  END {
    printf "| window (UTC start) | admitted | refused | admitted ÷ limit |\n| --- | ---: | ---: | ---: |\n"
    n = 0
    for (id in ids) sorted[++n] = id + 0
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (sorted[j] < sorted[i]) { t = sorted[i]; sorted[i] = sorted[j]; sorted[j] = t }
    for (i = 1; i <= n; i++) {
      id = sorted[i]
      if (id * w < s || (id + 1) * w > e) continue   # only windows the run covered in full
      cmd = "date -u -d @" id * w " +%H:%M:%S"; cmd | getline when; close(cmd)
      printf "| %s | %d | %d | %.4f |\n", when, counts[id, "admitted"], counts[id, "refused"], counts[id, "admitted"] / limit
    }
    printf "\nresponses without a RateLimit field or with another status: %d; total requests/s over the 3 nodes: %.0f\n", other, rps
  }'
fi
fallbacks=$(cat "$work"/node-*/log | grep -c 'Redis is unreachable for rate limits' || true)
echo "local-fallback episodes (a node stopped waiting for Redis after $DECISION_TIMEOUT and decided alone): $fallbacks"
