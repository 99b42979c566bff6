#!/usr/bin/env python3
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Two Odoo servers on one database while a background job runs.

Copies a benchmark database (default ``crm_prospection_bench_addon``, made by
``make bench``: 100,000 leads) and starts two Odoo servers on it, as a company
that outgrows one server would: two ports, ``--workers=2`` and one cron worker
each, one data directory shared. Then:

1. queues, through the JSON-2 API, a background mass update (salesperson and
   team) of every lead, timing the wizard's answer;
2. for a bounded time, sends the external-API load of ``load_external_api.py``
   (its clients, plus a lead list each round) to both servers in turn, while
   the servers' cron workers run the job's batches;
3. waits for the job, then reports requests per second, the lead list's p50 /
   p95 latency, the errors, which server ran which batch, and counts: every
   lead updated once, with one tracking message, nothing lost;
4. queues a second job, kills with ``kill -9`` the server whose cron worker is
   in the middle of a batch, and shows the other server finishing the job,
   every lead updated once.

Not run by CI::

    python benchmarks/two_servers.py --clients 4 --duration 120
"""

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil
import requests

sys.path.insert(0, os.path.dirname(__file__))
from load_external_api import (  # noqa: E402
    COUNT,
    MARKER,
    PREPARE,
    Client,
    config_file,
    database_exists,
    free_port,
    odoo_command,
    percentile,
    report,
    say,
    shell,
    start_server,
    stop_server,
)

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "two_servers"
MANAGER = """
import json
from datetime import datetime, timedelta
env = env(context=dict(env.context, tracking_disable=True))
manager = env["res.users"].search([("login", "=", "two_servers_manager")])
if not manager:
    manager = env["res.users"].create({
        "name": "Two servers manager", "login": "two_servers_manager",
        "group_ids": [(6, 0, env.ref("sales_team.group_sale_manager").ids)],
    })
teams = env["crm.team"].search([], limit=2)
users = env["res.users"].search([("share", "=", False), ("id", "!=", 1)], limit=2)
key = env["res.users.apikeys"].with_user(manager).sudo()._generate(
    None, "two servers", datetime.now() + timedelta(days=1)
)
env.cr.execute("SELECT id FROM crm_lead WHERE type = 'lead' AND active ORDER BY id")
lead_ids = [row[0] for row in env.cr.fetchall()]
env.cr.commit()
print("LOAD-MANAGER " + json.dumps({
    "key": key, "teams": teams.ids, "users": users.ids, "leads": lead_ids,
}))
"""
AUDIT = """
import json
job = env["crm.batch.job"].browse({job_id})
field = env["ir.model.fields"]._get("crm.lead", "team_id")
env.cr.execute('''
    SELECT count(*) FILTER (WHERE n = 1), count(*) FILTER (WHERE n > 1)
      FROM (SELECT msg.res_id, count(*) AS n
              FROM mail_message msg
              JOIN mail_tracking_value value ON value.mail_message_id = msg.id
             WHERE msg.model = 'crm.lead' AND msg.res_id = ANY(%s)
               AND value.field_id = %s AND value.new_value_integer = %s
               AND msg.create_date >= %s
             GROUP BY msg.res_id) per_lead
''', [job.lead_ids.ids, field.id, job.values["team_id"], job.create_date])
tracked_once, tracked_twice = env.cr.fetchone()
env.cr.execute(
    "SELECT count(*) FROM crm_lead WHERE id = ANY(%s) AND team_id = %s",
    [job.lead_ids.ids, job.values["team_id"]],
)
with_team = env.cr.fetchone()[0]
print("LOAD-AUDIT " + json.dumps({{
    "state": job.state, "total": job.total_count, "done": job.done_count,
    "failed": job.failed_count, "left as they were": job.skipped_count,
    "pending lines": len(job.line_ids.filtered(lambda line: line.state == "pending")),
    "leads with the job's team": with_team,
    "leads tracked once": tracked_once, "leads tracked twice or more": tracked_twice,
    "batch log": job.batch_log or "",
}}))
"""


def copy_database(source, target):
    if not database_exists(source):
        sys.exit(f"error: {source} does not exist: run `make bench` first")
    if database_exists(target):
        subprocess.run(["dropdb", "--force", target], check=True)
    say(f"copying {source} into {target}")
    subprocess.run(["createdb", "-T", source, target], check=True)
    data_dir = VAR / "data"
    filestore = data_dir / "filestore" / target
    shutil.rmtree(filestore, ignore_errors=True)
    default = Path.home() / ".local/share/Odoo/filestore" / source
    if default.exists():
        shutil.copytree(default, filestore)
    return data_dir


def start(odoo, config, database, data_dir, name):
    """One server: --workers=2, one cron worker, the shared data directory."""
    process, url = start_server(
        odoo,
        config,
        database,
        free_port(),
        2,
        options=("--max-cron-threads=1", f"--data-dir={data_dir}", "--log-level=info"),
        log_path=VAR / f"server-{name}.log",
        env=dict(os.environ, ODOO_NOTIFY_CRON_CHANGES="1"),
        wait=300,
    )
    return {"name": name, "process": process, "url": url}


def server_of(pid, servers):
    for server in servers:
        try:
            family = {server["process"].pid} | {
                child.pid
                for child in psutil.Process(server["process"].pid).children(
                    recursive=True
                )
            }
        except psutil.NoSuchProcess:
            family = {server["process"].pid}
        server.setdefault("pids", set()).update(family)
        if pid in server["pids"]:
            return server["name"]
    return "?"


class Api:
    """The sales manager's JSON-2 session on one server."""

    def __init__(self, url, key):
        self.url = url
        self.http = requests.Session()
        self.http.headers["Authorization"] = f"bearer {key}"

    def __call__(self, model, method, **params):
        response = self.http.post(
            f"{self.url}/json/2/{model}/{method}", json=params, timeout=600
        )
        if response.status_code != 200:
            raise RuntimeError(f"{model}.{method}: {response.text[:500]}")
        return response.json()


def queue_job(api, lead_ids, user_id, team_id):
    """Queue the background mass update; returns (job id, seconds to create the
    wizard with its leads, seconds of the wizard's answer)."""
    started = time.perf_counter()
    wizard = api(
        "crm.lead.mass.update",
        "create",
        vals_list=[
            {"lead_ids": [[6, 0, lead_ids]], "user_id": user_id, "team_id": team_id}
        ],
    )
    created = time.perf_counter()
    action = api("crm.lead.mass.update", "action_apply", ids=wizard)
    answered = time.perf_counter()
    assert action["tag"] == "display_notification", action
    job = api(
        "crm.batch.job",
        "search_read",
        domain=[],
        fields=["id"],
        order="id desc",
        limit=1,
    )[0]["id"]
    return job, created - started, answered - created


def job_state(api, job_id):
    return api(
        "crm.batch.job",
        "read",
        ids=[job_id],
        fields=["state", "done_count", "total_count", "batch_log"],
    )[0]


def batches_by_server(batch_log, servers):
    per_server, durations = {}, []
    for line in (batch_log or "").splitlines():
        # "1000 records in 2.3 s on host:pid"
        words = line.split()
        pid = int(words[-1].rsplit(":", 1)[1])
        name = server_of(pid, servers)
        per_server[name] = per_server.get(name, 0) + 1
        durations.append(float(words[3]))
    return per_server, durations


class ListingClient(Client):
    """A load client that also opens the lead list each round."""

    def one_round(self, round_):
        self.call(
            "lead list",
            "crm.lead",
            "web_search_read",
            domain=[("type", "=", "lead")],
            specification={
                name: {}
                for name in (
                    "name",
                    "contact_name",
                    "email_from",
                    "city",
                    "lead_status_id",
                    "user_id",
                    "team_id",
                    "create_date",
                )
            },
            limit=80,
        )
        super().one_round(round_)


def run_load(servers, setup, clients, duration):
    results = []
    start_line = threading.Event()
    deadline = time.monotonic() + duration
    threads = [
        ListingClient(
            index,
            servers[index % len(servers)]["url"],
            setup,
            deadline,
            start_line,
            results,
        )
        for index in range(clients)
    ]
    for thread in threads:
        thread.start()
    started = time.monotonic()
    start_line.set()
    for thread in threads:
        thread.join()
    return threads, results, time.monotonic() - started


def wait_for(api, job_id, timeout, on_progress=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = job_state(api, job_id)
        if on_progress:
            on_progress(state)
        if state["state"] not in ("queued", "running"):
            return state
        time.sleep(2)
    return job_state(api, job_id)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", default="crm_prospection_bench_addon")
    parser.add_argument("--database", default="crm_prospection_two_servers")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--duration", type=int, default=120, help="seconds of load")
    args = parser.parse_args()
    VAR.mkdir(parents=True, exist_ok=True)
    odoo, config = odoo_command(), config_file()
    data_dir = copy_database(args.source, args.database)
    say("bringing the copy to the add-on's current code")
    subprocess.run(
        [
            odoo,
            "-c",
            str(config),
            "-d",
            args.database,
            "-u",
            "crm_prospection",
            f"--data-dir={data_dir}",
            "--stop-after-init",
            "--http-port=0",
            "--log-level=warn",
        ],
        check=True,
    )
    setup = shell(
        odoo, config, args.database, PREPARE.format(marker=MARKER, clients=args.clients)
    )
    manager = shell(odoo, config, args.database, MANAGER)
    servers = [
        start(odoo, config, args.database, data_dir, name) for name in ("A", "B")
    ]
    try:
        return scenario(args, odoo, config, setup, manager, servers)
    finally:
        for server in servers:
            stop_server(server["process"])


def scenario(args, odoo, config, setup, manager, servers):
    figures = {"clients": args.clients, "duration": args.duration}
    api = Api(servers[0]["url"], manager["key"])
    leads = manager["leads"]
    say(f"queueing a background mass update of {len(leads)} leads on server A")
    job_id, create_s, answer_s = queue_job(
        api, leads, manager["users"][0], manager["teams"][0]
    )
    figures["job 1"] = {"wizard created": create_s, "wizard answered": answer_s}
    say(f"wizard created in {create_s:.2f} s, answered in {answer_s:.2f} s")
    job_started = time.monotonic()
    say(f"{args.clients} clients on both servers for {args.duration} s")
    threads, results, duration = run_load(servers, setup, args.clients, args.duration)
    print(report(results, duration))
    listing = [elapsed for op, elapsed, _o, _e in results if op == "lead list"]
    errors = [result for result in results if result[2] == "error"]
    figures["load"] = {
        "requests": len(results),
        "requests per second": len(results) / duration,
        "lead list p50 ms": statistics.median(listing) * 1000 if listing else None,
        "lead list p95 ms": percentile(listing, 0.95) * 1000 if listing else None,
        "errors": len(errors),
    }
    state = wait_for(api, job_id, 3600)
    figures["job 1"]["seconds"] = time.monotonic() - job_started
    per_server, durations = batches_by_server(state["batch_log"], servers)
    figures["job 1"].update(
        batches=per_server, longest_batch_s=max(durations, default=0)
    )
    audit = shell(odoo, config, args.database, AUDIT.format(job_id=job_id))
    audit.pop("batch log")
    figures["job 1"]["audit"] = audit
    say(f"job 1: {json.dumps(figures['job 1'])}")
    acked = {
        "leads": [i for c in threads for i in c.acked["leads"]],
        "events": [i for c in threads for i in c.acked["events"]],
        "converted": [i for c in threads for i in c.acked["converted"]],
        "partners": [i for c in threads for i in c.acked["partners"]],
        "industry": [pair for c in threads for pair in c.acked["industry"]],
        "hot": setup["hot"],
        "hot_converted": sum(c.hot_converted for c in threads),
    }
    acked_path = VAR / "acknowledged.json"
    acked_path.write_text(json.dumps(acked))
    figures["load counts"] = shell(
        odoo, config, args.database, COUNT.format(acked=str(acked_path))
    )

    say("second job; one server killed with kill -9 in the middle of a batch")
    job_id, _create_s, _answer_s = queue_job(
        api, leads, manager["users"][1], manager["teams"][1]
    )
    killed = {}

    def kill_the_runner(state):
        if killed or state["state"] != "running" or not state["batch_log"]:
            return
        # A batch is committed: the next one is under way on the same server.
        last_pid = int(state["batch_log"].splitlines()[-1].rsplit(":", 1)[1])
        victim = next(s for s in servers if server_of(last_pid, servers) == s["name"])
        os.killpg(victim["process"].pid, signal.SIGKILL)
        killed.update(server=victim["name"], done_then=state["done_count"])
        say(f"killed server {victim['name']} at {state['done_count']} leads done")

    survivor_api = None
    deadline = time.monotonic() + 3600
    while time.monotonic() < deadline and not killed:
        kill_the_runner(job_state(api, job_id))
        time.sleep(0.5)
    survivor = next(s for s in servers if s["name"] != killed.get("server"))
    survivor_api = Api(survivor["url"], manager["key"])
    state = wait_for(survivor_api, job_id, 3600)
    per_server, durations = batches_by_server(state["batch_log"], servers)
    audit = shell(odoo, config, args.database, AUDIT.format(job_id=job_id))
    audit.pop("batch log")
    figures["job 2 (kill -9)"] = {
        "killed": killed,
        "batches": per_server,
        "longest_batch_s": max(durations, default=0),
        "audit": audit,
    }
    say(f"job 2: {json.dumps(figures['job 2 (kill -9)'])}")
    (VAR / "figures.json").write_text(json.dumps(figures, indent=2))
    failed = (
        figures["load"]["errors"]
        or figures["job 1"]["audit"]["leads tracked twice or more"]
        or figures["job 2 (kill -9)"]["audit"]["leads tracked twice or more"]
        or figures["job 2 (kill -9)"]["audit"]["state"] != "done"
    )
    say(f"figures in {VAR / 'figures.json'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
