#!/usr/bin/env python3
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# ruff: noqa: E501 - long SQL and command lines read better whole
"""The scale-out run: a PostgreSQL primary and its streaming replica, two Odoo
servers with workers and cron, a million leads, a sales team's day.

1. ``cluster.sh up``: the primary (port 5434) and its replica (5433);
2. the databases, on the primary (the replica follows): the add-on installed
   once in a template, copied per level and filled by ``generate.py`` (each
   level given by ``--levels``, e.g. 100000,1000000: the smaller one for the
   constant-queries check); Odoo's ``crm`` alone, filled alike at the top level;
3. phase "replica": two servers (``--workers``, one cron worker each) with
   ``db_replica_host`` / ``db_replica_port``; ``load.py`` (16 clients spread on
   both) for ``--duration``; ``pg_stat_statements`` of both clusters reset
   before and read after: the share of the read statements the replica ran;
   the background jobs awaited, then audited;
4. phase "primary": the same servers without the replica, the same load;
5. phase "alone": one client, each request's own time; phase "queries": a short load on the smaller level, and the query count of
   each kind of request from the servers' logs, level against level;
6. writes ``var/scale_out/result.json``.

    python3 benchmarks/scale_out/run.py --levels 10000 --duration 60   # a try
    python3 benchmarks/scale_out/run.py --levels 100000,1000000          # the run
    python3 benchmarks/scale_out/run.py --drop                         # clean up
"""

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import requests

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
VAR = ROOT / "var" / "scale_out"
SOCKET = "/var/run/postgresql"
PRIMARY_PORT, REPLICA_PORT = 5434, 5433
ADDON_TEMPLATE, ODOO_TEMPLATE = "scale_addon_tpl", "scale_odoo_tpl"
# The server's log line of a request: its path, then "<queries> <sql time>
# <other time>" and, with a replica, the cursor mode (ro, rw, ro->rw).
REQUEST_LINE = re.compile(
    r'"POST /web/dataset/call_\w+/\S*?\?kind=(\S+) HTTP/[\d.]+" (\d+) - (\d+) ([\d.]+) ([\d.]+)(?: (\S+))?'
)
ANY_REQUEST = re.compile(
    r'"(?:GET|POST) \S+ HTTP/[\d.]+" \d+ - \d+ [\d.]+ [\d.]+ (\S+)'
)


def say(message):
    print(f"[scale-out {time.strftime('%H:%M:%S')}] {message}", flush=True)


def odoo_bin():
    return shutil.which("odoo") or sys.exit("error: no odoo on PATH")


def odoo_python():
    return str(Path(os.path.realpath(odoo_bin())).parent / "python")


def config():
    path = VAR / "odoo.conf"
    VAR.mkdir(parents=True, exist_ok=True)
    path.write_text(f"[options]\naddons_path = {ROOT}\n")
    return path


def psql(sql, database="postgres", port=PRIMARY_PORT):
    result = subprocess.run(
        ["psql", "-h", SOCKET, "-p", str(port), "-d", database, "-XAtc", sql],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return result.stdout.strip()


def exists(database):
    return psql(f"SELECT count(*) FROM pg_database WHERE datname = '{database}'") == "1"


def install(database, modules):
    if exists(database):
        return
    say(f"installing {modules} in {database}")
    subprocess.run(
        [odoo_bin(), "-c", str(config()), f"--db_host={SOCKET}", f"--db_port={PRIMARY_PORT}",
         "-d", database, "-i", modules, "--stop-after-init", "--log-level=warn",
         "--http-interface=127.0.0.1", "--http-port=0", "--gevent-port=0"],
        check=True,
    )  # fmt: skip


def filled(template, database, leads):
    """``database``: a copy of ``template`` holding ``leads`` leads."""
    if not exists(database):
        psql(f'CREATE DATABASE "{database}" TEMPLATE "{template}"')
    psql("CREATE EXTENSION IF NOT EXISTS pg_stat_statements", database)
    started = time.monotonic()
    subprocess.run(
        [odoo_python(), str(HERE / "generate.py"), "-c", str(config()), "-d", database,
         "--leads", str(leads), "--db-port", str(PRIMARY_PORT)],
        check=True,
    )  # fmt: skip
    return round(time.monotonic() - started, 1)


def shared_ids(database):
    """The ids the clients need, from the generated rows."""
    low, high = map(int, psql(
        "SELECT min(id), max(id) FROM crm_lead WHERE name LIKE 'Lead %'", database
    ).split("|"))  # fmt: skip
    span = high - low + 1
    agencies = ""
    if psql("SELECT to_regclass('crm_agency') IS NOT NULL", database) == "t":
        agencies = psql("SELECT string_agg(id::text, ',') FROM crm_agency", database)
    users = psql(
        "SELECT string_agg(id::text, ',') FROM res_users WHERE login LIKE 'scale_sales_%'",
        database,
    )
    return {
        "lead_start": low,
        "lead_range": [low, high],
        # Conversions in the first tenth, mass updates from the middle on.
        "convert_range": [low, low + span // 10],
        "mass_range": [low + span // 2, high],
        "agencies": [int(a) for a in agencies.split(",")] if agencies else [],
        "users": [int(u) for u in users.split(",")],
        "manager": int(
            psql("SELECT id FROM res_users WHERE login = 'scale_manager'", database)
        ),
    }


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_servers(args, replica, tag):
    servers = []
    for number in (1, 2):
        port = free_port()
        log = VAR / f"server{number}-{tag}.log"
        command = [
            odoo_bin(), "-c", str(config()), f"--db_host={SOCKET}", f"--db_port={PRIMARY_PORT}",
            f"--workers={args.workers}", "--max-cron-threads=1", f"--http-port={port}",
            "--http-interface=127.0.0.1", "--gevent-port=0", f"--data-dir={VAR / 'data'}",
            "--db-filter=^scale_", "--limit-time-real=900", "--limit-time-cpu=900",
            "--limit-memory-hard=4294967296", "--limit-memory-soft=3221225472",
            "--db_maxconn=32", "--log-level=info", f"--logfile={log}",
        ]  # fmt: skip
        if replica:
            command += [
                f"--db_replica_host={SOCKET}",
                f"--db_replica_port={REPLICA_PORT}",
            ]
        process = subprocess.Popen(command, start_new_session=True)
        servers.append((process, f"http://127.0.0.1:{port}", log))
    for _process, url, _log in servers:
        for _ in range(120):
            try:
                if requests.get(url + "/web/health", timeout=2).ok:
                    break
            except requests.RequestException:
                pass
            time.sleep(1)
        else:
            sys.exit(f"error: {url} did not start")
    say(f"two servers up ({'with' if replica else 'without'} the replica)")
    return servers


def stop_servers(servers):
    for process, _url, _log in servers:
        os.killpg(process.pid, signal.SIGTERM)
    for process, _url, _log in servers:
        try:
            process.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def statements(database):
    """Statements run for ``database`` on each cluster: reads (SELECT / WITH …
    SELECT) and the others, from pg_stat_statements."""
    counts = {}
    for cluster, port in (("primary", PRIMARY_PORT), ("replica", REPLICA_PORT)):
        row = psql(
            f"""SELECT COALESCE(sum(calls) FILTER (WHERE query ~* '^\\s*(select|with|show)'), 0),
                       COALESCE(sum(calls) FILTER (WHERE NOT query ~* '^\\s*(select|with|show)'), 0)
                  FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
                 WHERE d.datname = '{database}'""",
            database,
            port=port,
        )
        reads, others = map(int, row.split("|"))
        counts[cluster] = {"reads": reads, "others": others}
    return counts


def reset_statements(database):
    # The extension is in the benchmark's databases (made from template1).
    for port in (PRIMARY_PORT, REPLICA_PORT):
        psql("SELECT pg_stat_statements_reset()", database, port=port)


def request_log(servers):
    """Per kind: the query counts of its requests; and requests by cursor mode."""
    queries, modes = {}, {}
    for _process, _url, log in servers:
        for line in log.read_text(errors="replace").splitlines():
            match = REQUEST_LINE.search(line)
            if match:
                queries.setdefault(match.group(1).replace("_", " "), []).append(
                    int(match.group(3))
                )
            mode = ANY_REQUEST.search(line)
            if mode and mode.group(1) in ("ro", "rw", "ro->rw"):
                modes[mode.group(1)] = modes.get(mode.group(1), 0) + 1
    return {
        kind: statistics.median(counts) for kind, counts in sorted(queries.items())
    }, modes


def load(
    args, servers, shared, database, odoo_database, tag, clients=None, duration=None
):
    command = [
        odoo_python(), str(HERE / "load.py"),
        "--servers", ",".join(url for _p, url, _l in servers),
        "--addon-db", database, "--clients", str(clients or args.clients),
        "--duration", str(duration or args.duration), "--round", str(args.round_),
        "--mass-every", str(args.mass_every), "--mass-size", str(args.mass_size),
        "--shared", json.dumps(shared),
    ]  # fmt: skip
    if odoo_database:
        command += ["--odoo-db", odoo_database]
    say(
        f"load '{tag}': {clients or args.clients} clients, {duration or args.duration} s"
    )
    output = subprocess.run(command, capture_output=True, text=True)
    (VAR / f"load-{tag}.err").write_text(output.stderr)
    if output.returncode:
        sys.exit(f"error: load.py failed:\n{output.stderr[-3000:]}")
    args.round_ += 1
    return json.loads(output.stdout)


def wait_jobs(database, timeout):
    """Wait until no background job is queued or running (at most ``timeout``)."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        left = int(psql(
            "SELECT count(*) FROM crm_batch_job WHERE state IN ('queued', 'running')", database
        ))  # fmt: skip
        if not left:
            break
        time.sleep(5)
    return round(time.monotonic() - started, 1)


def audit(database, result):
    """Nothing lost or doubled: each job done once, each of its leads given the
    job's salesperson once (one line, one tracking value); each lead converted
    by the clients converted once."""
    jobs = []
    for job in result["jobs"]:
        first, count, user = job["first_lead"], job["count"], job["user_id"]
        last = first + count - 1
        row = psql(
            f"""SELECT
                  (SELECT count(*) FROM crm_lead WHERE id BETWEEN {first} AND {last}
                      AND user_id = {user}),
                  (SELECT count(*) FROM crm_batch_job_line l JOIN crm_batch_job j ON j.id = l.job_id
                    WHERE l.lead_id BETWEEN {first} AND {last}),
                  (SELECT count(*) FROM (SELECT l.lead_id FROM crm_batch_job_line l
                      JOIN crm_batch_job j ON j.id = l.job_id
                     WHERE l.lead_id BETWEEN {first} AND {last}
                     GROUP BY l.lead_id, j.id HAVING count(*) > 1) d),
                  (SELECT count(*) FROM mail_tracking_value v
                     JOIN mail_message m ON m.id = v.mail_message_id
                     JOIN ir_model_fields f ON f.id = v.field_id
                    WHERE m.model = 'crm.lead' AND m.res_id BETWEEN {first} AND {last}
                      AND f.name = 'user_id' AND v.new_value_integer = {user}),
                  (SELECT string_agg(DISTINCT j.state, ',') FROM crm_batch_job_line l
                     JOIN crm_batch_job j ON j.id = l.job_id
                    WHERE l.lead_id BETWEEN {first} AND {last})""",
            database,
        ).split("|")
        jobs.append({
            "leads": count, "updated": int(row[0]), "lines": int(row[1]),
            "doubled_lines": int(row[2]), "tracking_values": int(row[3]), "states": row[4],
        })  # fmt: skip
    converted = result["converted_ids"]
    conversions = {"converted": len(converted), "marked_converted": 0}
    if converted:
        ids = ",".join(map(str, converted))
        row = psql(
            f"""SELECT count(*) FILTER (WHERE s.code = 'converted'),
                       (SELECT count(*) FROM (SELECT origin_lead_id FROM crm_lead
                           WHERE origin_lead_id IN ({ids})
                           GROUP BY 1 HAVING count(*) > 1) d)
                  FROM crm_lead l LEFT JOIN crm_lead_status s ON s.id = l.lead_status_id
                 WHERE l.id IN ({ids})""",
            database,
        ).split("|")
        conversions.update(marked_converted=int(row[0]), converted_twice=int(row[1]))
    ok = (
        all(
            job["updated"] == job["leads"] == job["lines"] == job["tracking_values"]
            and not job["doubled_lines"]
            and job["states"] == "done"
            for job in jobs
        )
        and conversions["marked_converted"] == conversions["converted"]
        and not conversions.get("converted_twice")
    )
    return {"ok": ok, "jobs": jobs, "conversions": conversions}


def phase(args, tag, replica, database, odoo_database, shared):
    servers = start_servers(args, replica, tag)
    try:
        psql("ANALYZE", database)
        reset_statements(database)
        result = load(args, servers, shared, database, odoo_database, tag)
        result["statements"] = statements(database)
        result["jobs_waited_s"] = wait_jobs(database, args.job_timeout)
        result["audit"] = audit(database, result)
        result["queries"], result["cursor_modes"] = request_log(servers)
    finally:
        stop_servers(servers)
    reads = result["statements"]
    total_reads = reads["primary"]["reads"] + reads["replica"]["reads"]
    result["replica_read_share"] = (
        round(reads["replica"]["reads"] / total_reads, 3) if total_reads else 0
    )
    (VAR / f"phase-{tag}.json").write_text(json.dumps(result, indent=1))
    say(
        f"{tag}: {result['requests_per_s']} req/s, {result['errors']} errors, replica share "
        f"{result['replica_read_share']}, audit {'ok' if result['audit']['ok'] else 'FAILED'}"
    )
    return result


def drop():
    for database in psql(
        "SELECT string_agg(datname, ' ') FROM pg_database WHERE datname LIKE 'scale\\_%'"
    ).split():
        psql(f'DROP DATABASE "{database}" WITH (FORCE)')
        say(f"dropped {database}")
    subprocess.run([str(HERE / "cluster.sh"), "down"], check=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--levels",
        default="100000,1000000",
        type=lambda s: [int(x) for x in s.split(",")],
    )
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--duration", type=int, default=300)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--mass-every", type=int, default=30)
    parser.add_argument("--mass-size", type=int, default=2000)
    parser.add_argument("--job-timeout", type=int, default=600)
    parser.add_argument(
        "--drop", action="store_true", help="drop the databases and both clusters"
    )
    args = parser.parse_args()
    args.round_ = 0
    if args.drop:
        return drop()
    started = time.monotonic()
    subprocess.run([str(HERE / "cluster.sh"), "up"], check=True)
    install(ADDON_TEMPLATE, "crm_prospection")
    install(ODOO_TEMPLATE, "crm,sale_crm,calendar")
    top, small = max(args.levels), min(args.levels)
    result = {"levels": args.levels, "clients": args.clients, "duration_s": args.duration,
              "workers": args.workers, "generation_s": {}}  # fmt: skip
    databases = {}
    for level in sorted(set(args.levels)):
        databases[level] = f"scale_addon_{level}"
        result["generation_s"][f"addon {level}"] = filled(
            ADDON_TEMPLATE, databases[level], level
        )
    odoo_database = f"scale_odoo_{top}"
    result["generation_s"][f"odoo {top}"] = filled(ODOO_TEMPLATE, odoo_database, top)
    for database in databases.values():
        # The mass updates go above the threshold: background jobs.
        psql(
            f"UPDATE res_company SET crm_batch_threshold = {max(1, args.mass_size // 2)}",
            database,
        )
    result["sizes"] = {
        db: psql(f"SELECT pg_size_pretty(pg_database_size('{db}'))")
        for db in [*databases.values(), odoo_database]
    }
    shared = shared_ids(databases[top])
    shared_odoo = shared_ids(odoo_database)
    shared["odoo_lead_range"] = shared_odoo["lead_range"]
    result["replica"] = phase(
        args, "replica", True, databases[top], odoo_database, shared
    )
    result["primary"] = phase(
        args, "primary", False, databases[top], odoo_database, shared
    )
    # One client alone: each request's own time, without the queueing of 16.
    servers = start_servers(args, True, "alone")
    try:
        result["alone"] = load(
            args, servers, shared, databases[top], odoo_database, "alone",
            clients=1, duration=max(30, args.duration // 3),
        )  # fmt: skip
    finally:
        stop_servers(servers)
    if small != top:
        servers = start_servers(args, True, "queries")
        try:
            small_result = load(
                args,
                servers,
                shared_ids(databases[small]),
                databases[small],
                None,
                "queries",
                clients=4,
                duration=max(30, args.duration // 5),
            )
            small_queries, _modes = request_log(servers)
        finally:
            stop_servers(servers)
        result["queries"] = {
            "small": small_queries, "top": result["replica"]["queries"],
            "small_kinds": small_result["kinds"],
        }  # fmt: skip
    result["took_s"] = round(time.monotonic() - started, 1)
    out = VAR / "result.json"
    out.write_text(json.dumps(result, indent=1))
    say(f"done in {result['took_s']} s: {out}")


if __name__ == "__main__":
    main()
