#!/bin/sh
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# A PostgreSQL 15 primary and its streaming replica (hot standby) on this machine,
# with the system's PostgreSQL 15 (Debian's pg_createcluster), for the scale-out run:
#
#   benchmarks/scale_out/cluster.sh up     # primary on 5434, replica on 5433
#   benchmarks/scale_out/cluster.sh status
#   benchmarks/scale_out/cluster.sh down   # stops and drops both clusters
#
# The primary is a cluster of its own rather than the system's "main" one: it loads
# pg_stat_statements (counting the statements each cluster runs needs it on both, and
# loading it means restarting the cluster), and the replica then copies only the
# benchmark's databases. The replica is made as in production: pg_basebackup -R of
# the primary (a standby.signal and primary_conninfo), streaming its WAL.
# Run as root (the clusters belong to postgres; root gets a superuser role in them).
set -eu

VERSION=15
PRIMARY=${SCALE_OUT_PRIMARY:-scale_primary}
REPLICA=${SCALE_OUT_REPLICA:-scale_replica}
PRIMARY_PORT=${SCALE_OUT_PRIMARY_PORT:-5434}
REPLICA_PORT=${SCALE_OUT_REPLICA_PORT:-5433}
SOCKET=/var/run/postgresql
ME=$(id -un)

as_postgres() { runuser -u postgres -- "$@"; }

settings() {
    # Both clusters alike (a standby needs max_connections >= the primary's).
    pg_conftool "$VERSION" "$1" set port "$2"
    pg_conftool "$VERSION" "$1" set max_connections 300
    pg_conftool "$VERSION" "$1" set shared_buffers 1GB
    pg_conftool "$VERSION" "$1" set work_mem 16MB
    pg_conftool "$VERSION" "$1" set maintenance_work_mem 256MB
    pg_conftool "$VERSION" "$1" set shared_preload_libraries pg_stat_statements
    pg_conftool "$VERSION" "$1" set pg_stat_statements.max 20000
    pg_conftool "$VERSION" "$1" set pg_stat_statements.track top
    pg_conftool "$VERSION" "$1" set wal_level replica
    pg_conftool "$VERSION" "$1" set max_wal_size 4GB
    pg_conftool "$VERSION" "$1" set hot_standby on
    # A long read on the replica is not cancelled by the primary's vacuum.
    pg_conftool "$VERSION" "$1" set hot_standby_feedback on
    pg_conftool "$VERSION" "$1" set max_standby_streaming_delay 30s
    # Bulk loading: the benchmark's data is generated again rather than recovered.
    pg_conftool "$VERSION" "$1" set synchronous_commit off
}

up() {
    if ! pg_lsclusters -h | awk '{print $2}' | grep -qx "$PRIMARY"; then
        pg_createcluster "$VERSION" "$PRIMARY" -p "$PRIMARY_PORT" >/dev/null
        settings "$PRIMARY" "$PRIMARY_PORT"
        pg_ctlcluster "$VERSION" "$PRIMARY" start
        as_postgres psql -p "$PRIMARY_PORT" -qc "CREATE ROLE \"$ME\" SUPERUSER LOGIN" 2>/dev/null || true
        as_postgres psql -p "$PRIMARY_PORT" -qc "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" template1
    fi
    pg_ctlcluster "$VERSION" "$PRIMARY" start 2>/dev/null || true
    if ! pg_lsclusters -h | awk '{print $2}' | grep -qx "$REPLICA"; then
        pg_createcluster "$VERSION" "$REPLICA" -p "$REPLICA_PORT" >/dev/null
        settings "$REPLICA" "$REPLICA_PORT"
        data=$(pg_lsclusters -h | awk -v c="$REPLICA" '$2 == c {print $6}')
        rm -rf "$data"
        # -R: standby.signal and primary_conninfo; -X stream: the WAL of the copy.
        as_postgres pg_basebackup -h "$SOCKET" -p "$PRIMARY_PORT" -D "$data" -R -X stream -c fast
    fi
    pg_ctlcluster "$VERSION" "$REPLICA" start 2>/dev/null || true
    status
}

status() {
    pg_lsclusters | awk -v p="$PRIMARY" -v r="$REPLICA" 'NR == 1 || $2 == p || $2 == r'
    psql -h "$SOCKET" -p "$PRIMARY_PORT" -d postgres -Atc \
        "SELECT 'streaming to ' || count(*) || ' standby(s), lag ' || COALESCE(max(replay_lag)::text, '0') FROM pg_stat_replication" || true
    psql -h "$SOCKET" -p "$REPLICA_PORT" -d postgres -Atc \
        "SELECT 'replica in recovery: ' || pg_is_in_recovery()" || true
}

down() {
    for cluster in "$REPLICA" "$PRIMARY"; do
        if pg_lsclusters -h | awk '{print $2}' | grep -qx "$cluster"; then
            pg_dropcluster --stop "$VERSION" "$cluster"
        fi
    done
    echo "both clusters dropped"
}

case "${1:-status}" in
    up) up ;;
    down) down ;;
    status) status ;;
    *) echo "usage: $0 up|status|down" >&2; exit 2 ;;
esac
