#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL and Redis, on free ports in a temporary
# directory, and stop both whatever happens. Exports DATABASE_URL and REDIS_URL.
set -euo pipefail

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
work=$(mktemp -d -t portal-test-XXXXXX)
pg_port=$(free_port)
redis_port=$(free_port)
pg_user=$(id -un)
as_pg=()
if [ "$(id -u)" = "0" ]; then
    # PostgreSQL refuses to run as root: run it as the postgres system user.
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    pg_user=postgres
    as_pg=(runuser -u postgres --)
fi

cleanup() {
    status=$?
    [ -n "${redis_pid:-}" ] && kill "$redis_pid" 2>/dev/null && wait "$redis_pid" 2>/dev/null
    if [ -f "$work/pg/postmaster.pid" ]; then
        "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$work/pg" -m immediate stop >/dev/null 2>&1 || true
    fi
    rm -rf "$work"
    exit $status
}
trap cleanup EXIT INT TERM

chmod 755 "$work"
mkdir -p "$work/pg" "$work/run"
[ "$(id -u)" = "0" ] && chown -R postgres "$work/pg" "$work/run"
"${as_pg[@]}" "$pg_bin/initdb" -D "$work/pg" -U portal --auth=trust -E UTF8 --locale=C.UTF-8 >"$work/initdb.log" 2>&1 \
    || { cat "$work/initdb.log" >&2; exit 1; }
"${as_pg[@]}" "$pg_bin/pg_ctl" -D "$work/pg" -l "$work/run/postgres.log" -w -t 60 start -o \
    "-p $pg_port -k $work/run -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    >/dev/null || { cat "$work/run/postgres.log" >&2; exit 1; }
"$pg_bin/createdb" -h 127.0.0.1 -p "$pg_port" -U portal portal

redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no \
    --dir "$work" --logfile "$work/redis.log" &
redis_pid=$!
for _ in $(seq 50); do
    redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break
    sleep 0.1
done

export DATABASE_URL="postgres://portal@127.0.0.1:$pg_port/portal"
export REDIS_URL="redis://127.0.0.1:$redis_port/0"
echo "Throwaway PostgreSQL on port $pg_port and Redis on port $redis_port (in $work)"
"$@"
