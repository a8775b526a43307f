#!/usr/bin/env bash
# A local 3-node deployment of the AdminApi: one PostgreSQL database, optionally Redis, three `dotnet run` nodes on
# http://127.0.0.1:8001, :8002 and :8003 sharing one admin signing key. See docs/scale-out.md.
#
#   samples/scale-out/three-nodes.sh start    # build, create the database if needed, start the nodes
#   samples/scale-out/three-nodes.sh status   # which nodes run, which notifier they use
#   samples/scale-out/three-nodes.sh stop     # stop the three nodes (the database and its data stay)
#   samples/scale-out/three-nodes.sh reset    # stop, then drop the database
#
# Environment:
#   NOTIFIER=postgresql|redis|polling|none   how a change reaches the other nodes (default postgresql)
#   P2P_POSTGRES   an Npgsql connection string to the server, for a role with CREATEDB
#                  (default Host=127.0.0.1;Username=p2p;Password=p2p;Database=postgres)
#   REDIS          Redis for rate limits and quotas shared by the nodes (and for NOTIFIER=redis, which defaults it to
#                  127.0.0.1:6379); unset with the other notifiers, so each node then limits on its own
#   DATABASE=p2p_scaleout   CACHE_TTL=00:01:00   STATE_DIR=/tmp/p2p-scale-out   PORTS="8001 8002 8003"
set -euo pipefail
cd "$(dirname "$0")/../.."

NOTIFIER=${NOTIFIER:-postgresql}
P2P_POSTGRES=${P2P_POSTGRES:-Host=127.0.0.1;Username=p2p;Password=p2p;Database=postgres}
DATABASE=${DATABASE:-p2p_scaleout}
REDIS=${REDIS:-}
if [ "$NOTIFIER" = redis ] && [ -z "$REDIS" ]; then REDIS=127.0.0.1:6379; fi
CACHE_TTL=${CACHE_TTL:-00:01:00}
STATE_DIR=${STATE_DIR:-/tmp/p2p-scale-out}
read -r -a PORTS <<<"${PORTS:-8001 8002 8003}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

log() { printf '[scale-out] %s\n' "$*" >&2; }

# The psql connection from the Npgsql string's Host, Port, Username and Password.
pg_field() { tr ';' '\n' <<<"$P2P_POSTGRES" | awk -F= -v k="$1" 'tolower($1)==tolower(k) {print substr($0, index($0,"=")+1)}'; }
psql_server() {
  PGPASSWORD="$(pg_field Password)" psql -h "$(pg_field Host)" -p "$(pg_field Port | grep . || echo 5432)" \
    -U "$(pg_field Username)" -d "$(pg_field Database | grep . || echo postgres)" -v ON_ERROR_STOP=1 -qtA "$@"
}
database_connection_string() { sed -E "s/(^|;)Database=[^;]*//I" <<<"$P2P_POSTGRES" | sed -E 's/^;//' | awk -v db="$DATABASE" '{print $0 ";Database=" db}'; }

running() { [ -f "$STATE_DIR/node$1.pid" ] && kill -0 "$(cat "$STATE_DIR/node$1.pid")" 2>/dev/null; }

start_node() {
  local n=$1 port=${PORTS[$(( $1 - 1 ))]}
  if running "$n"; then log "node $n already runs (pid $(cat "$STATE_DIR/node$n.pid"))"; return; fi
  mkdir -p "$STATE_DIR/data$n"
  # Redis only when asked for: a connection string to a Redis that does not run makes every node warn about it.
  local redis_env=(-u ConnectionStrings__Redis)
  if [ -n "$REDIS" ]; then redis_env=("ConnectionStrings__Redis=$REDIS"); fi
  env "${redis_env[@]}" \
  Database__Provider=PostgreSql \
  ConnectionStrings__ApiKeys="$(database_connection_string)" \
  ApiKeys__ChangeNotifications="$NOTIFIER" \
  ApiKeys__CacheTtl="$CACHE_TTL" \
  Admin__SigningKey="$(cat "$STATE_DIR/signing-key")" \
  DataDirectory="$STATE_DIR/data$n" \
  ASPNETCORE_ENVIRONMENT=Development \
    setsid nohup dotnet run --project samples/AdminApi --no-build --no-launch-profile --urls "http://127.0.0.1:$port" \
    </dev/null >"$STATE_DIR/node$n.log" 2>&1 &
  echo $! >"$STATE_DIR/node$n.pid"   # setsid: the node leads its own process group (dotnet run and the app)
  for _ in $(seq 1 120); do
    curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && { log "node $n: http://127.0.0.1:$port/docs (log $STATE_DIR/node$n.log)"; return; }
    running "$n" || { log "node $n exited; its log:"; cat "$STATE_DIR/node$n.log" >&2; exit 1; }
    sleep 0.5
  done
  log "node $n did not become healthy in 60 s; see $STATE_DIR/node$n.log"; exit 1
}

stop_node() {
  local n=$1
  if running "$n"; then
    local pid; pid=$(cat "$STATE_DIR/node$n.pid")
    kill -- "-$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    log "node $n stopped"
  fi
  rm -f "$STATE_DIR/node$n.pid"
}

case "${1:-}" in
  start)
    mkdir -p "$STATE_DIR"; chmod 700 "$STATE_DIR"
    [ -f "$STATE_DIR/signing-key" ] || { head -c 32 /dev/urandom | base64 >"$STATE_DIR/signing-key"; chmod 600 "$STATE_DIR/signing-key"; }
    if [ "$(psql_server -c "SELECT 1 FROM pg_database WHERE datname = '$DATABASE'")" != "1" ]; then
      log "creating database $DATABASE"; psql_server -c "CREATE DATABASE \"$DATABASE\""
    fi
    if [ -n "$REDIS" ]; then redis-cli -u "redis://$REDIS" ping >/dev/null || { log "Redis does not answer at $REDIS"; exit 1; }; fi
    log "building samples/AdminApi"; dotnet build samples/AdminApi -v q -nologo >/dev/null
    start_node 1   # alone first: it applies the migrations
    # Wait for these two starters only: a bare `wait` would also wait for node 1 itself, which runs until stopped.
    start_node 2 & starter2=$!
    start_node 3 & starter3=$!
    failed=0
    wait "$starter2" || failed=1
    wait "$starter3" || failed=1
    [ "$failed" -eq 0 ] || { log "a node did not start; stop the others with: $0 stop"; exit 1; }
    log "three nodes up, notifier: $NOTIFIER, CacheTtl: $CACHE_TTL, Redis: ${REDIS:-none (each node limits alone)}"
    ;;
  stop)
    for n in 1 2 3; do stop_node "$n"; done
    ;;
  status)
    for n in 1 2 3; do
      if running "$n"; then echo "node $n: up, pid $(cat "$STATE_DIR/node$n.pid"), http://127.0.0.1:${PORTS[$(( n - 1 ))]}"; else echo "node $n: down"; fi
    done
    ;;
  reset)
    for n in 1 2 3; do stop_node "$n"; done
    psql_server -c "DROP DATABASE IF EXISTS \"$DATABASE\" WITH (FORCE)"; rm -rf "$STATE_DIR"; log "dropped $DATABASE"
    ;;
  *)
    echo "usage: $0 start|status|stop|reset" >&2; exit 2
    ;;
esac
