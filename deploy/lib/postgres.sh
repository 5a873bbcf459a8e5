# shellcheck shell=bash
# A private PostgreSQL 15 cluster for development and tests. No service
# manager: initdb/pg_ctl run as the 'postgres' user (they refuse root) on a
# folder it owns. Sourced after deploy/lib/common.sh.
#
# Reads:   KVMPORTAL_DB        a full Npgsql connection string: use that server, no private cluster
#          KVMPORTAL_PG_PORT   port of the private cluster (default 55432, 127.0.0.1 only)
# Sets:    KVMPORTAL_DB_CONNSTR  Npgsql connection string of the app's database (kvmportal)
#          KVMPORTAL_TEST_DB     (exported) same server, database 'postgres' (tests create their own),
#                                unless the caller already set it

PG_BIN=/usr/lib/postgresql/15/bin
KVMPORTAL_PG_PORT="${KVMPORTAL_PG_PORT:-55432}"

# pg_base_dir: where the cluster lives. $ROOT/.data when the postgres user can
# reach it (and the socket path stays short), else /var/lib/kvmportal/<hash of that path>.
pg_base_dir() {
    local base="$KVMPORTAL_DATA"
    install -d -m 0755 "$base"
    if ! runuser -u postgres -- test -x "$base" 2>/dev/null || ((${#base} > 70)); then
        local h
        h="$(printf "%s" "$KVMPORTAL_DATA" | sha256sum | cut -c1-12)"
        base="/var/lib/kvmportal/$h"
        if [[ ! -d "$base" ]]; then
            log "the postgres user cannot reach $KVMPORTAL_DATA (or the path is too long for a socket): using $base for the database"
        fi
        install -d -m 0755 /var/lib/kvmportal "$base"
    fi
    printf '%s\n' "$base"
}

# pg_password: generated once, kept in .data/postgres-password (mode 600).
pg_password() {
    local f="$KVMPORTAL_DATA/postgres-password"
    if [[ ! -s "$f" ]]; then
        install -d -m 0755 "$KVMPORTAL_DATA"
        (umask 077 && head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$f.tmp" && mv "$f.tmp" "$f")
    fi
    chmod 600 "$f"
    cat "$f"
}

_pg() { runuser -u postgres -- "$@"; }

ensure_postgres() {
    if [[ -n "${KVMPORTAL_DB:-}" ]]; then
        KVMPORTAL_DB_CONNSTR="$KVMPORTAL_DB"
        export KVMPORTAL_TEST_DB="${KVMPORTAL_TEST_DB:-$KVMPORTAL_DB}"
        return 0
    fi
    require_root
    [[ -x "$PG_BIN/initdb" ]] || die "PostgreSQL 15 is not installed ($PG_BIN/initdb missing): install postgresql-15"
    id postgres >/dev/null 2>&1 || die "there is no 'postgres' user (it comes with postgresql-common)"

    local base data logf pw port="$KVMPORTAL_PG_PORT"
    base="$(pg_base_dir)"
    data="$base/postgres"
    logf="$base/postgres.log"
    pw="$(pg_password)"

    if [[ ! -s "$data/PG_VERSION" ]]; then
        log "creating a private PostgreSQL cluster in $data"
        rm -rf "$data"
        install -d -o postgres -g postgres -m 0700 "$data"
        local pwfile="$base/.pwfile.$$" out
        (umask 077 && printf '%s\n' "$pw" >"$pwfile")
        chown postgres:postgres "$pwfile"
        if ! out="$(_pg "$PG_BIN/initdb" -D "$data" --auth=scram-sha-256 --username=postgres \
            --pwfile="$pwfile" --encoding=UTF8 --locale=C.UTF-8 2>&1)"; then
            rm -f "$pwfile"
            printf '%s\n' "$out" >&2
            die "initdb failed for $data"
        fi
        rm -f "$pwfile"
    fi
    [[ -e "$logf" ]] || install -o postgres -g postgres -m 0640 /dev/null "$logf"

    if ! _pg "$PG_BIN/pg_ctl" -D "$data" status >/dev/null 2>&1; then
        log "starting PostgreSQL on 127.0.0.1:$port"
        if ! _pg "$PG_BIN/pg_ctl" -D "$data" -l "$logf" -w -t 60 \
            -o "-c listen_addresses=127.0.0.1 -p $port -k $data" start >/dev/null 2>&1; then
            tail -n 20 "$logf" >&2 || true
            die "PostgreSQL failed to start on 127.0.0.1:$port (data $data, log $logf); is the port taken? set KVMPORTAL_PG_PORT"
        fi
    fi

    local psql=("$PG_BIN/psql" -X -q -w -h 127.0.0.1 -p "$port" -U postgres -v ON_ERROR_STOP=1)
    wait_until 30 "PostgreSQL to accept connections" \
        env PGPASSWORD="$pw" "${psql[@]}" -d postgres -tAc 'SELECT 1' \
        || die "cannot connect to PostgreSQL on 127.0.0.1:$port with the password in $KVMPORTAL_DATA/postgres-password (is another server on that port? set KVMPORTAL_PG_PORT; log: $logf)"
    if [[ "$(PGPASSWORD="$pw" "${psql[@]}" -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'kvmportal'")" != 1 ]]; then
        PGPASSWORD="$pw" "${psql[@]}" -d postgres -c 'CREATE DATABASE kvmportal' \
            || die "could not create database kvmportal"
    fi

    KVMPORTAL_DB_CONNSTR="Host=127.0.0.1;Port=$port;Database=kvmportal;Username=postgres;Password=$pw"
    export KVMPORTAL_TEST_DB="${KVMPORTAL_TEST_DB:-Host=127.0.0.1;Port=$port;Database=postgres;Username=postgres;Password=$pw}"
}

# kvmportal_db_connstr: print the app's connection string (after ensure_postgres).
kvmportal_db_connstr() {
    printf '%s\n' "${KVMPORTAL_DB_CONNSTR:?ensure_postgres has not run}"
}
