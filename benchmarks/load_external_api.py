#!/usr/bin/env python3
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Load through Odoo's external API: concurrent clients, then a count.

Creates a fresh database (default ``rel_load``, without demo data), starts Odoo
with worker processes on the loopback interface only, and runs N concurrent
clients for a bounded time through the JSON-2 API (``/json/2/<model>/<method>``,
one API key per client, each client a salesman):

- create a lead (in the status that allows conversion),
- plan a call on it,
- convert it (partner, contact and opportunity),
- every third round, mass-update the client's last leads (industry) and a pool
  of leads shared by every client (contended rows),
- once, all clients at the same moment: convert one shared "hot" lead.

Then it counts, in the database, what the clients were told was done: every
lead, event, partner and opportunity acknowledged exists exactly once, the hot
lead was converted once, every mass update acknowledged is there. It prints
requests per second, p50 / p95 / max latency per operation, the errors, and
those counts. Not run by CI::

    python benchmarks/load_external_api.py --clients 4 --duration 60
"""

import argparse
import json
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from datetime import datetime, timedelta
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
MARKER = "crm_prospection.load_test_database"  # set in the databases it creates
PREPARE = """
import json
from datetime import datetime, timedelta
env = env(context=dict(env.context, tracking_disable=True))
env["ir.config_parameter"].set_param({marker!r}, "1")
group = env.ref("sales_team.group_sale_salesman_all_leads")
status = env.ref("crm_prospection.lead_status_sales_qualification")
keys = []
for index in range({clients}):
    login = f"load{{index}}"
    user = env["res.users"].search([("login", "=", login)]) or env["res.users"].create(
        {{
            "name": f"Load client {{index}}",
            "login": login,
            "group_ids": [(6, 0, group.ids)],
        }}
    )
    keys.append(
        env["res.users.apikeys"].with_user(user).sudo()._generate(
            None, "load test", datetime.now() + timedelta(days=1)
        )
    )
# One by one: partner_industry_secondary's name check takes one record.
industries = env["res.partner.industry"]
for index in range(4):
    industries |= industries.create({{"name": f"Load industry {{index}}"}})
shared = env["crm.lead"].create(
    [
        {{"name": f"Load shared {{index}}", "type": "lead", "user_id": False,
          "lead_status_id": status.id}}
        for index in range(10)
    ]
)
hot = env["crm.lead"].create(
    {{"name": "Load hot lead", "type": "lead", "partner_name": "Load Hot SA",
      "user_id": False, "lead_status_id": status.id}}
)
env.cr.commit()
print("LOAD-SETUP " + json.dumps({{
    "keys": keys, "status": status.id, "industries": industries.ids,
    "shared": shared.ids, "hot": hot.id,
}}))
"""
COUNT = """
import json
from collections import Counter
acked = json.loads(open({acked!r}).read())
Lead = env["crm.lead"].with_context(active_test=False)
Partner = env["res.partner"].with_context(active_test=False)
leads = Lead.browse(acked["leads"]).exists()
names = Lead.search([("name", "=like", "Load %"), ("type", "=", "lead")]).mapped("name")
duplicated_names = [name for name, n in Counter(names).items() if n > 1]
events = env["calendar.event"].browse(acked["events"]).exists()
converted = Lead.browse(acked["converted"]).exists()
partners = Partner.browse(acked["partners"]).exists()
partner_names = Partner.search([("name", "=like", "Load %")]).mapped("name")
opportunities = Lead.search([("origin_lead_id", "in", acked["converted"])])
hot = Lead.browse(acked["hot"])
updated = Lead.browse([lead for lead, industry in acked["industry"]])
wrong_industry = [
    lead for lead, industry in acked["industry"]
    if Lead.browse(lead).industry_id.id != industry
]
print("LOAD-COUNT " + json.dumps({{
    "leads acknowledged": len(acked["leads"]),
    "leads found": len(leads),
    "lead names duplicated": len(duplicated_names),
    "events acknowledged": len(acked["events"]),
    "events found": len(events),
    # A converted lead's events follow it to its opportunity.
    "events linked to their lead or its opportunity": sum(
        1 for event in events
        if event.opportunity_id.id in acked["leads"]
        or event.opportunity_id.origin_lead_id.id in acked["leads"]
    ),
    "conversions acknowledged": len(acked["converted"]),
    "converted leads found converted": sum(
        1 for lead in converted if lead.lead_status_code == "converted"
    ),
    "partners acknowledged": len(acked["partners"]),
    "partners found": len(partners),
    "partner names duplicated": len(
        [name for name, n in Counter(partner_names).items() if n > 1]
    ),
    "opportunities found": len(opportunities),
    "leads with more than one opportunity": len(
        [lead for lead, n in Counter(opportunities.origin_lead_id.ids).items() if n > 1]
    ),
    "hot lead conversions acknowledged": acked["hot_converted"],
    "hot lead opportunities": Lead.search_count([("origin_lead_id", "=", hot.id)]),
    "own mass updates checked": len(acked["industry"]),
    "own mass updates lost": len(wrong_industry),
}}))
"""


def say(message):
    print(f"==> {message}", flush=True)


def odoo_command():
    odoo = shutil.which("odoo")
    if not odoo:
        sys.exit("error: 'odoo' is not on PATH")
    return odoo


def config_file():
    path = ROOT / "var" / "odoo.conf"
    path.parent.mkdir(exist_ok=True)
    path.write_text(f"[options]\naddons_path = {ROOT}\n")
    return path


def database_exists(name):
    result = subprocess.run(
        [
            "psql",
            "-d",
            "postgres",
            "-tAc",
            f"SELECT 1 FROM pg_database WHERE datname = '{name}'",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip() == "1"


def marked(name):
    result = subprocess.run(
        [
            "psql",
            "-d",
            name,
            "-tAc",
            f"SELECT value FROM ir_config_parameter WHERE key = '{MARKER}'",
        ],
        capture_output=True,
        text=True,
    )
    return result.stdout.strip() == "1"


def shell(odoo, config, database, code):
    result = subprocess.run(
        [
            odoo,
            "shell",
            "-c",
            str(config),
            "-d",
            database,
            "--no-http",
            "--log-level=warn",
        ],
        input=code,
        capture_output=True,
        text=True,
    )
    for line in result.stdout.splitlines():
        if line.startswith("LOAD-"):
            return json.loads(line.split(" ", 1)[1])
    sys.exit(
        f"error: odoo shell failed:\n{result.stdout[-2000:]}\n{result.stderr[-3000:]}"
    )


def create_database(odoo, config, database, clients):
    if database_exists(database):
        if not marked(database):
            sys.exit(f"error: {database} exists and was not created by this script")
        say(f"dropping the previous load database {database}")
        subprocess.run(["dropdb", database], check=True)
    say(f"installing crm_prospection in a fresh database {database} (a few minutes)")
    started = time.monotonic()
    subprocess.run(
        [
            odoo,
            "-c",
            str(config),
            "-d",
            database,
            "-i",
            "crm_prospection",
            "--stop-after-init",
            "--http-interface=127.0.0.1",
            "--http-port=0",
            "--log-level=warn",
        ],
        check=True,
    )
    say(f"installed in {time.monotonic() - started:.0f} s")
    return shell(odoo, config, database, PREPARE.format(marker=MARKER, clients=clients))


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


SERVER_OPTIONS = (
    "--max-cron-threads=0",
    "--log-level=warn",
    "--limit-time-real=300",
    "--limit-time-cpu=300",
)


def start_server(
    odoo,
    config,
    database,
    port,
    workers,
    options=SERVER_OPTIONS,
    log_path=None,
    env=None,
    wait=180,
):
    """An Odoo server with ``workers`` on ``port``, ready (its workers loaded);
    (process, url)."""
    log_path = log_path or ROOT / "var" / "load-server.log"
    log = open(log_path, "w")  # noqa: SIM115 - closed at stop
    process = subprocess.Popen(
        [
            odoo,
            "-c",
            str(config),
            "-d",
            database,
            f"--db-filter=^{database}$",
            f"--workers={workers}",
            "--http-interface=127.0.0.1",
            f"--http-port={port}",
            f"--gevent-port={free_port()}",
            *options,
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        env=env,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{url}/web/health", timeout=30).status_code == 200:
                # Load the registry in both workers before the clock starts.
                for _worker in range(workers * 2):
                    requests.get(f"{url}/web/health", timeout=60)
                return process, url
        except requests.RequestException:
            pass
        time.sleep(1)
    stop_server(process)
    sys.exit(f"error: Odoo did not start; see {log_path}")


def stop_server(process):
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


class Client(threading.Thread):
    """One salesman, with its own API key and HTTP connection."""

    def __init__(self, index, url, setup, deadline, start_line, results):
        super().__init__(name=f"client-{index}")
        self.index = index
        self.url = url
        self.setup = setup
        self.deadline = deadline
        self.start_line = start_line
        self.results = results
        self.http = requests.Session()
        self.http.headers["Authorization"] = f"bearer {setup['keys'][index]}"
        self.acked = defaultdict(list)
        self.hot_converted = 0

    def call(self, operation, model, method, refusal_expected=False, **params):
        """POST one JSON-2 call; record (operation, seconds, outcome, error)."""
        started = time.perf_counter()
        try:
            response = self.http.post(
                f"{self.url}/json/2/{model}/{method}", json=params, timeout=120
            )
            ok = response.status_code == 200
            body = response.json()
        except (requests.RequestException, ValueError) as error:
            ok, body = False, {"message": repr(error)}
        elapsed = time.perf_counter() - started
        if ok:
            outcome = "ok"
        elif refusal_expected and body.get("name") == "odoo.exceptions.UserError":
            outcome = "refused"
        else:
            outcome = "error"
        self.results.append((operation, elapsed, outcome, None if ok else body))
        return ok, body

    def convert(self, operation, lead_id, refusal_expected=False):
        ok, wizard = self.call(
            operation,
            "crm.lead.convert",
            "create",
            vals_list=[{"lead_ids": [[6, 0, [lead_id]]], "create_opportunity": True}],
        )
        if not ok:
            return None
        ok, action = self.call(
            operation,
            "crm.lead.convert",
            "action_convert",
            refusal_expected=refusal_expected,
            ids=wizard,
        )
        return action if ok else None

    def run(self):
        setup = self.setup
        self.start_line.wait()
        # The hot lead, converted by every client at once: exactly one wins.
        action = self.convert("convert (hot lead)", setup["hot"], refusal_expected=True)
        if action:
            self.hot_converted += 1
            self.acked["partners"].append(action["res_id"])
        round_ = 0
        while time.monotonic() < self.deadline:
            round_ += 1
            self.one_round(round_)

    def one_round(self, round_):
        """Create a lead, plan a call on it, mass-update now and then, convert."""
        setup, tag = self.setup, f"Load c{self.index}"
        start = datetime(2027, 1, 4, 9, 0) + timedelta(days=self.index)
        ok, ids = self.call(
            "create lead",
            "crm.lead",
            "create",
            vals_list=[
                {
                    "name": f"{tag} lead {round_}",
                    "type": "lead",
                    "partner_name": f"{tag} SA {round_}",
                    "contact_name": f"{tag} contact {round_}",
                    "email_from": f"c{self.index}.{round_}@load.example.com",
                    "lead_status_id": setup["status"],
                }
            ],
        )
        if not ok:
            return
        lead_id = ids[0]
        self.acked["leads"].append(lead_id)
        when = start + timedelta(hours=round_)
        ok, event_ids = self.call(
            "create event",
            "calendar.event",
            "create",
            vals_list=[
                {
                    "name": f"{tag} call {round_}",
                    "crm_event_type": "call",
                    "start": when.strftime("%Y-%m-%d %H:%M:%S"),
                    "stop": (when + timedelta(minutes=30)).strftime(
                        "%Y-%m-%d %H:%M:%S"
                    ),
                    "opportunity_id": lead_id,
                }
            ],
        )
        if ok:
            self.acked["events"].extend(event_ids)
        if round_ % 3 == 0:
            self.mass_update(round_)
        action = self.convert("convert", lead_id)
        if action:
            self.acked["converted"].append(lead_id)
            self.acked["partners"].append(action["res_id"])

    def mass_update(self, round_):
        industries = self.setup["industries"]
        industry = industries[(self.index + round_) % len(industries)]
        own = self.acked["leads"][-3:]
        for operation, lead_ids in (
            ("mass update (own leads)", own),
            ("mass update (shared leads)", self.setup["shared"]),
        ):
            ok, wizard = self.call(
                operation,
                "crm.lead.mass.update",
                "create",
                vals_list=[{"lead_ids": [[6, 0, lead_ids]], "industry_id": industry}],
            )
            if ok:
                ok, _result = self.call(
                    operation, "crm.lead.mass.update", "action_apply", ids=wizard
                )
            if ok and lead_ids is own:
                # The last industry acknowledged for each lead.
                self.acked["industry"] = [
                    pair for pair in self.acked["industry"] if pair[0] not in own
                ] + [[lead, industry] for lead in own]


def percentile(values, fraction):
    values = sorted(values)
    return values[min(len(values) - 1, round(fraction * (len(values) - 1)))]


def report(results, duration):
    by_operation = defaultdict(list)
    for operation, elapsed, _outcome, _error in results:
        by_operation[operation].append(elapsed)
    total = len(results)
    errors = [(op, error) for op, _e, outcome, error in results if outcome == "error"]
    refused = sum(1 for _op, _e, outcome, _error in results if outcome == "refused")
    lines = [
        f"{total} requests in {duration:.1f} s: {total / duration:.1f} requests/s, "
        f"{len(errors)} errors, {refused} refusals expected (the hot lead)",
        f"{'operation':32} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}",
    ]
    for operation, timings in sorted(by_operation.items()):
        median = statistics.median(timings) * 1000
        lines.append(
            f"{operation:32} {len(timings):8d} {median:8.0f} "
            f"{percentile(timings, 0.95) * 1000:8.0f} {max(timings) * 1000:8.0f}"
        )
    everything = [elapsed for _o, elapsed, _outcome, _e in results]
    lines.append(
        f"{'all':32} {total:8d} {statistics.median(everything) * 1000:8.0f} "
        f"{percentile(everything, 0.95) * 1000:8.0f} {max(everything) * 1000:8.0f}"
    )
    kinds = Counter(
        (operation, (error or {}).get("name") or (error or {}).get("message", "?"))
        for operation, error in errors
    )
    for (operation, kind), count in kinds.most_common():
        lines.append(f"error: {count} x {operation}: {kind}")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="rel_load")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--duration", type=int, default=60, help="seconds")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    if not 1 <= args.clients <= 32 or not 1 <= args.duration <= 600:
        sys.exit("error: at most 32 clients for at most 600 s")

    odoo, config = odoo_command(), config_file()
    setup = create_database(odoo, config, args.database, args.clients)
    process, url = start_server(odoo, config, args.database, free_port(), args.workers)
    try:
        return run(args, odoo, config, setup, process, url)
    finally:
        stop_server(process)


def run(args, odoo, config, setup, process, url):
    say(
        f"Odoo serves {url} with {args.workers} workers; {args.clients} clients for "
        f"{args.duration} s"
    )
    results = []  # list.append is atomic: shared by the threads
    start_line = threading.Event()
    deadline = time.monotonic() + args.duration
    clients = [
        Client(index, url, setup, deadline, start_line, results)
        for index in range(args.clients)
    ]
    load_before = os.getloadavg()[0]
    for client in clients:
        client.start()
    started = time.monotonic()
    start_line.set()
    for client in clients:
        client.join()
    duration = time.monotonic() - started
    load_after = os.getloadavg()[0]
    stop_server(process)
    acked = {
        "leads": [i for c in clients for i in c.acked["leads"]],
        "events": [i for c in clients for i in c.acked["events"]],
        "converted": [i for c in clients for i in c.acked["converted"]],
        "partners": [i for c in clients for i in c.acked["partners"]],
        "industry": [pair for c in clients for pair in c.acked["industry"]],
        "hot": setup["hot"],
        "hot_converted": sum(c.hot_converted for c in clients),
    }
    acked_path = ROOT / "var" / "load-acknowledged.json"
    acked_path.write_text(json.dumps(acked))
    counts = shell(odoo, config, args.database, COUNT.format(acked=str(acked_path)))
    print(
        f"\n{datetime.now():%Y-%m-%d %H:%M}, {platform.node()}, {os.cpu_count()} CPUs, "
        f"Odoo --workers={args.workers}, {args.clients} clients, JSON-2 API on loopback"
    )
    print(f"load average (1 min) before / after: {load_before:.1f} / {load_after:.1f}")
    print(report(results, duration))
    print("counts after the run:")
    for name, value in counts.items():
        print(f"  {name}: {value}")
    lost = (
        counts["leads found"] != counts["leads acknowledged"]
        or counts["events found"] != counts["events acknowledged"]
        or counts["partners found"] != counts["partners acknowledged"]
        or counts["converted leads found converted"]
        != counts["conversions acknowledged"]
        or counts["own mass updates lost"]
    )
    duplicated = (
        counts["lead names duplicated"]
        or counts["partner names duplicated"]
        or counts["leads with more than one opportunity"]
        or counts["hot lead opportunities"] != 1
        or counts["hot lead conversions acknowledged"] != 1
    )
    print(f"lost: {'YES' if lost else 'none'}", end="; ")
    print(f"duplicated: {'YES' if duplicated else 'none'}")
    return 1 if lost or duplicated else 0


if __name__ == "__main__":
    sys.exit(main())
