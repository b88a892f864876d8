#!/usr/bin/env bash
# Serve CNN Explorer to a lecture hall: N Streamlit processes (replicas) behind one HAProxy.
#
#   bash scripts/serve_hall.sh [--replicas N] [--port P] [--address A]
#
# One Streamlit process runs every session's script on one core (the GIL); a hall of students changing
# sliders at once queues behind it. Several processes use every core; a proxy spreads browsers over them.
#
# Why HAProxy:
#   - Stickiness is built in (`cookie ... insert`): a Streamlit session lives in ONE process. The browser's
#     websocket (/_stcore/stream), its uploads (/_stcore/upload_file, checked against that session) and the
#     media it is shown (/media/..., kept in that process's memory) must all reach the replica that holds
#     the session. A cookie set on the first page load pins the whole browser to one replica.
#   - Health checks: a replica that does not answer /_stcore/health gets no new browsers.
#   - gzip: Streamlit's JavaScript bundle is large; compressing it speeds up a hall's first load on Wi-Fi.
#   - It is a Debian package (`apt-get install haproxy`), nothing to build or download.
#
# What each setting of the generated config is for:
#   mode http                         HTTP-aware proxying: cookies, health checks, compression, websockets.
#   timeout connect 5s                a replica that does not accept a connection in 5 s counts as down.
#   timeout client/server 1h          an idle student (a lecture pause) keeps the connection.
#   timeout tunnel 1h                 the same for an upgraded websocket (HAProxy's own timeout for tunnels).
#   (no `option http-server-close`)   it would close server connections, which websockets must not see.
#   compression algo gzip / type ...  gzip text answers (HTML, CSS, JS, JSON, SVG); never images or plots.
#   balance roundrobin                a new browser goes to the next replica in turn.
#   cookie CNNX insert indirect nocache
#                                     HAProxy sets CNNX=rK on a browser's first answer and routes by it after;
#                                     `indirect`: the cookie is not passed to Streamlit; `nocache`: answers
#                                     that set it are marked private, so no cache hands one browser's cookie
#                                     to another.
#   server rK 127.0.0.1:<p> check cookie rK
#                                     one line per replica: its loopback port, health-checked, cookie value rK.
#   option httpchk GET /_stcore/health
#                                     the health check asks Streamlit's own health endpoint.
#
# The replicas share one random STREAMLIT_SERVER_COOKIE_SECRET (Streamlit refuses cookieSecret on the
# command line), so the cookies Streamlit signs (XSRF) read the same on every replica.
# Ctrl-C or SIGTERM stops HAProxy and every replica; if any of them dies, everything stops (exit 1).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

NAME="scripts/serve_hall.sh"
MAX_REPLICAS=16
STARTUP_SECONDS=120
HAPROXY=/usr/sbin/haproxy

usage() {
    cat <<EOF
Usage: bash $NAME [--replicas N] [--port P] [--address A]

Serve CNN Explorer from N Streamlit processes behind HAProxy (sticky cookie CNNX, health checks, gzip).
  --replicas N   how many Streamlit processes (1-$MAX_REPLICAS; default: the number of cores, nproc)
  --port P       the port the hall opens (default: 8501)
  --address A    the address HAProxy listens on (default: 0.0.0.0, every interface)
  --help         show this help
Stop it with Ctrl-C.
EOF
}

refuse() {
    # One sentence on stderr, exit status 2 (bad usage).
    echo "$NAME: $*" >&2
    exit 2
}

# 1. Arguments (checked before anything else, before HAProxy is looked for).
replicas=""
port=8501
address=0.0.0.0
while [ "$#" -gt 0 ]; do
    option="$1"
    value=""
    case "$option" in
    --help | -h)
        usage
        exit 0
        ;;
    --replicas=* | --port=* | --address=*)
        value="${option#*=}"
        option="${option%%=*}"
        shift
        ;;
    --replicas | --port | --address)
        [ "$#" -ge 2 ] || refuse "$option needs a value (see --help)."
        value="$2"
        shift 2
        ;;
    *)
        refuse "unknown option '$option' (see --help)."
        ;;
    esac
    case "$option" in
    --replicas) replicas="$value" ;;
    --port) port="$value" ;;
    --address) address="$value" ;;
    esac
done

if [ -z "$replicas" ]; then
    replicas="$(nproc 2>/dev/null || echo 1)"
    [ "$replicas" -le "$MAX_REPLICAS" ] || replicas="$MAX_REPLICAS"
fi
[[ "$replicas" =~ ^[0-9]+$ ]] || refuse "--replicas must be a whole number from 1 to $MAX_REPLICAS, not '$replicas'."
replicas=$((10#$replicas))
[ "$replicas" -ge 1 ] || refuse "--replicas must be at least 1, not $replicas."
[ "$replicas" -le "$MAX_REPLICAS" ] || refuse "--replicas can be at most $MAX_REPLICAS, not $replicas."
[[ "$port" =~ ^[0-9]+$ ]] && [ "${#port}" -le 5 ] && [ "$((10#$port))" -ge 1 ] && [ "$((10#$port))" -le 65535 ] ||
    refuse "--port must be a TCP port from 1 to 65535, not '$port'."
port=$((10#$port))
[[ -n "$address" && "$address" != *[[:space:]]* ]] || refuse "--address must be an address such as 0.0.0.0 or 127.0.0.1, not '$address'."

# 2. HAProxy.
[ -x "$HAPROXY" ] || refuse "HAProxy is missing ($HAPROXY): run 'apt-get install haproxy' (as root)."

# 3. The Python environment, as scripts/run.sh makes it (installed when new or when Streamlit is missing).
PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
if ! .venv/bin/python -c "import streamlit" >/dev/null 2>&1; then
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
fi

# Answers "GET path" on 127.0.0.1:port with 200? Pure bash (/dev/tcp): no curl needed.
healthy() {
    local answer=""
    { exec 3<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null || return 1
    printf 'GET /_stcore/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&3 2>/dev/null || {
        exec 3>&-
        return 1
    }
    read -r -t 2 answer <&3 || true
    exec 3>&-
    [[ "$answer" == HTTP/1.[01]\ 200* ]]
}

if healthy "$port"; then
    echo "$NAME: port $port is already serving something; choose another with --port." >&2
    exit 1
fi

# 4. Free loopback ports for the replicas (bound together so they differ; never the hall's own port).
mapfile -t ports < <(.venv/bin/python - "$replicas" "$port" <<'EOF'
import socket, sys
count, hall = int(sys.argv[1]), int(sys.argv[2])
held = []
while len(held) < count:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    if sock.getsockname()[1] != hall:
        held.append(sock)
for sock in held:
    print(sock.getsockname()[1])
EOF
)
[ "${#ports[@]}" -eq "$replicas" ] || {
    echo "$NAME: could not find $replicas free loopback ports." >&2
    exit 1
}

# 5. Stop everything on the way out (Ctrl-C, SIGTERM, a child's death, an error).
workdir="$(mktemp -d "${TMPDIR:-/tmp}/cnn-hall.XXXXXX")"
pids=()
names=()
# Does this child still run? A child that exited stays a zombie (kill -0 succeeds) until it is waited for.
running() {
    local stat
    kill -0 "$1" 2>/dev/null || return 1
    [ -r "/proc/$1/stat" ] || return 0
    stat="$(<"/proc/$1/stat")" 2>/dev/null || return 1
    stat="${stat##*) }"
    [ "${stat%% *}" != Z ]
}
cleanup() {
    trap - EXIT INT TERM
    local pid waited=0
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do
        while running "$pid" && [ "$waited" -lt 100 ]; do
            sleep 0.1
            waited=$((waited + 1))
        done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$workdir"
}
trap 'cleanup' EXIT
trap 'echo "$NAME: stopping." >&2; cleanup; exit 130' INT
trap 'echo "$NAME: stopping." >&2; cleanup; exit 143' TERM

# Which child is no longer running (empty when all run).
dead_child() {
    local i
    for i in "${!pids[@]}"; do
        running "${pids[$i]}" || {
            echo "${names[$i]}"
            return
        }
    done
}

fail() {
    echo "$NAME: $*" >&2
    cleanup
    exit 1
}

# 6. The HAProxy config.
config="$workdir/haproxy.cfg"
{
    cat <<EOF
global
    maxconn 4096

defaults
    mode http
    timeout connect 5s
    timeout client 1h
    timeout server 1h
    timeout tunnel 1h

frontend hall
    bind $address:$port
    compression algo gzip
    compression type text/html text/css text/javascript application/javascript application/json image/svg+xml
    default_backend replicas

backend replicas
    balance roundrobin
    cookie CNNX insert indirect nocache
    option httpchk GET /_stcore/health
    http-check expect status 200
EOF
    for i in "${!ports[@]}"; do
        echo "    server r$((i + 1)) 127.0.0.1:${ports[$i]} check cookie r$((i + 1))"
    done
} >"$config"
"$HAPROXY" -c -q -f "$config" || fail "HAProxy refused the config $config."
echo "$NAME: HAProxy config: $config" >&2

# 7. The replicas: one shared random cookie secret, each on its own loopback port, output labelled rK.
STREAMLIT_SERVER_COOKIE_SECRET="$(.venv/bin/python -c 'import secrets; print(secrets.token_hex(32))')"
export STREAMLIT_SERVER_COOKIE_SECRET
for i in "${!ports[@]}"; do
    name="r$((i + 1))"
    echo "$NAME: replica $name on 127.0.0.1:${ports[$i]}" >&2
    .venv/bin/python -m streamlit run app.py --server.port "${ports[$i]}" --server.address 127.0.0.1 \
        --server.headless true > >(sed -u "s/^/[$name] /") 2>&1 &
    pids+=("$!")
    names+=("replica $name")
done

deadline=$((SECONDS + STARTUP_SECONDS))
for i in "${!ports[@]}"; do
    until healthy "${ports[$i]}"; do
        dead="$(dead_child)"
        [ -z "$dead" ] || fail "$dead exited before it was ready; see its output above."
        [ "$SECONDS" -lt "$deadline" ] || fail "replica r$((i + 1)) did not answer its health check in ${STARTUP_SECONDS} s."
        sleep 0.2
    done
done

# 8. HAProxy in the foreground (-db), a child like the replicas.
"$HAPROXY" -db -f "$config" &
pids+=("$!")
names+=("HAProxy")
until healthy "$port"; do
    dead="$(dead_child)"
    [ -z "$dead" ] || fail "$dead exited before it was ready (is port $port free on $address?)."
    [ "$SECONDS" -lt "$deadline" ] || fail "HAProxy did not answer on port $port in ${STARTUP_SECONDS} s."
    sleep 0.2
done

shown="$address"
[ "$address" != 0.0.0.0 ] && [ "$address" != "::" ] || shown="localhost"
[[ "$shown" != *:* ]] || shown="[$shown]"
served="$replicas Streamlit replicas"
[ "$replicas" -ne 1 ] || served="1 Streamlit replica"
echo "CNN Explorer: open http://$shown:$port/ ($served behind HAProxy; Ctrl-C stops it)."

# 9. Run until a child dies (or a signal's trap stops everything).
status=0
wait -n "${pids[@]}" || status=$?
fail "$(dead_child || true) stopped (status $status); stopping the hall."
