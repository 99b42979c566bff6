#!/usr/bin/env python3
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A sales team's day against the Odoo servers of the scale-out run.

``--clients`` threads (16) log in as the generated salespeople, spread over the
servers, and repeat for ``--duration`` seconds what the team does in a day,
through the web client's own RPC (``/web/dataset/call_kw``, the specification
of the views it shows):

- list, kanban, form and search of the leads, on the add-on's database and, in
  turn, the same request with Odoo's own ``crm`` views on Odoo's database (same
  rows): the side-by-side measures;
- the map of an agency, pipeline tracking's counts (add-on);
- a conversion of a lead now and then (add-on);
- and one manager queuing mass updates that the servers' cron workers run in the
  background: each job gives a salesperson to its own range of leads.

Prints one JSON document: per kind of request its p50 / p95 (ms), count, errors;
requests per second; the jobs queued (for the audit). Run by ``run.py``.
"""

import argparse
import json
import random
import re
import statistics
import sys
import threading
import time

import requests

FIELD = re.compile(r'<field\s[^>]*?name="(\w+)"')
ADDON_ACTION = "crm_prospection.action_leads_open"
ODOO_ACTION = "crm.crm_lead_all_leads"
LEAD_DOMAIN = [["type", "=", "lead"]]


class Rpc:
    def __init__(self, url, database, login):
        self.url, self.database = url, database
        self.session = requests.Session()
        self.call("/web/session/authenticate", db=database, login=login, password=login)
        self.context = {"lang": "en_US", "tz": "Europe/Paris"}

    def call(self, path, **params):
        response = self.session.post(
            self.url + path,
            json={"jsonrpc": "2.0", "method": "call", "id": 1, "params": params},
            timeout=300,
        )
        response.raise_for_status()
        body = response.json()
        if body.get("error"):
            error = body["error"].get("data", {}).get("message") or body["error"]
            raise RuntimeError(f"{path}: {error}")
        return body["result"]

    def kw(self, model, method, *args, kind=None, **kwargs):
        """``kind`` goes in the URL: the server's log line of the request (its
        query count, its time, its cursor ro/rw) names it."""
        kwargs.setdefault("context", self.context)
        query = f"?kind={kind.replace(' ', '_')}" if kind else ""
        return self.call(
            f"/web/dataset/call_kw/{model}.{method}{query}",
            model=model, method=method, args=list(args), kwargs=kwargs,
        )  # fmt: skip


def specification(arch, fields):
    """The fields a view shows, as the web client asks for them."""
    spec = {}
    for name in dict.fromkeys(FIELD.findall(arch)):
        field = fields.get(name)
        if not field:
            continue
        if field["type"] in ("many2one", "one2many", "many2many"):
            spec[name] = {"fields": {"display_name": {}}}
        else:
            spec[name] = {}
    return spec


def view_specs(rpc, action_xmlid):
    action = rpc.call("/web/action/load", action_id=action_xmlid)
    views = [
        [view_id, kind]
        for view_id, kind in action["views"]
        if kind in ("list", "kanban", "form")
    ]
    result = rpc.kw(
        "crm.lead", "get_views", views=views + [[False, "search"]], options={}
    )
    fields = result["models"]["crm.lead"]["fields"]
    context = action.get("context") or {}
    return (
        {
            kind: specification(result["views"][kind]["arch"], fields)
            for kind in ("list", "kanban", "form")
        },
        context if isinstance(context, dict) else {},
    )


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.times = {}
        self.errors = {}
        self.messages = []

    def timed(self, label, function, *args, **kwargs):
        started = time.perf_counter()
        try:
            result = function(*args, **kwargs)
        except Exception as error:  # noqa: BLE001 - counted and reported
            with self.lock:
                self.errors[label] = self.errors.get(label, 0) + 1
                self.messages.append(f"{label}: {error}"[:300])
            return None
        with self.lock:
            self.times.setdefault(label, []).append(time.perf_counter() - started)
        return result


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


class Salesperson(threading.Thread):
    def __init__(self, index, args, stats, deadline, shared):
        super().__init__(daemon=True)
        self.index, self.args, self.stats = index, args, stats
        self.deadline, self.shared = deadline, shared
        self.rnd = random.Random(index)

    def run(self):
        args = self.args
        url = args.servers[self.index % len(args.servers)]
        login = f"scale_sales_{self.index % 20 + 1:02d}"
        addon = Rpc(url, args.addon_db, login)
        odoo = Rpc(url, args.odoo_db, login) if args.odoo_db else None
        self.shared["ready"].wait()  # every client logged in: the clock starts
        self.deadline = self.shared["deadline"]
        specs = {"addon": self.shared["addon"], "odoo": self.shared.get("odoo")}
        agencies = self.shared["agencies"]
        lead_ids = self.shared["lead_range"]
        turn = 0
        while time.monotonic() < self.deadline:
            turn += 1
            for side, rpc in (("addon", addon), ("odoo", odoo)):
                if rpc is None:
                    continue
                view, context = specs[side]
                context = dict(rpc.context, **context)
                self.stats.timed(
                    f"list/{side}",
                    rpc.kw,
                    "crm.lead",
                    "web_search_read",
                    LEAD_DOMAIN,
                    view["list"],
                    kind=f"list/{side}",
                    limit=80,
                    count_limit=10001,
                    context=context,
                )
                self.stats.timed(
                    f"kanban/{side}",
                    rpc.kw,
                    "crm.lead",
                    "web_search_read",
                    LEAD_DOMAIN,
                    view["kanban"],
                    kind=f"kanban/{side}",
                    limit=40,
                    context=context,
                )
                lead_id = self.rnd.randint(
                    *(lead_ids if side == "addon" else self.shared["odoo_lead_range"])
                )
                self.stats.timed(
                    f"form/{side}",
                    rpc.kw,
                    "crm.lead",
                    "web_read",
                    [lead_id],
                    view["form"],
                    kind=f"form/{side}",
                    context=context,
                )
                word = f"Company {self.rnd.randint(1, 9999)}"
                self.stats.timed(
                    f"search/{side}",
                    rpc.kw,
                    "crm.lead",
                    "web_search_read",
                    LEAD_DOMAIN + [["partner_name", "ilike", word]],
                    view["list"],
                    kind=f"search/{side}",
                    limit=80,
                    count_limit=10001,
                    context=context,
                )
            agency = agencies[self.rnd.randrange(len(agencies))]
            self.stats.timed(
                "agency map",
                addon.kw,
                "crm.partner.map",
                "get_map_data",
                agency_id=agency,
                kind="agency map",
            )
            self.stats.timed(
                "pipeline tracking",
                addon.kw,
                "crm.pipeline.tracking",
                "onchange",
                [],
                {"target": "lead", "agency_ids": [[6, 0, [agency]]]},
                ["agency_ids"],
                {
                    "target": {},
                    "agency_ids": {},
                    "record_count": {},
                    "opportunity_count": {},
                    "event_count": {},
                },
                kind="pipeline tracking",
            )
            if turn % 3 == 0:
                self.convert(addon)

    def convert(self, rpc):
        """Convert one lead of this salesperson's own range (no two clients
        convert the same lead)."""
        low, high = self.shared["convert_range"]
        span = (high - low) // self.args.clients
        done = self.shared["converted"].setdefault(self.index, 0)
        self.shared["converted"][self.index] += 1
        # Each run of the load (4 in run.py) takes its own quarter of the span.
        if done >= span // 4:
            return
        lead_id = low + self.index * span + self.args.round * (span // 4) + done
        if (lead_id - self.shared["lead_start"] + 1) % 10 == 0:
            return  # an archived lead (one in ten): not converted

        def run():
            wizard = rpc.kw(
                "crm.lead.convert",
                "create",
                [{}],
                context=dict(rpc.context, default_lead_ids=[lead_id]),
            )
            rpc.call(
                "/web/dataset/call_button/crm.lead.convert.action_convert",
                model="crm.lead.convert",
                method="action_convert",
                args=[wizard],
                kwargs={"context": rpc.context},
            )
            return lead_id

        if self.stats.timed("conversion", run):
            with self.stats.lock:
                self.shared.setdefault("converted_ids", []).append(lead_id)


class Manager(threading.Thread):
    """Queues a mass update every ``--mass-every`` seconds: a salesperson for a
    range of leads of its own, above the threshold: a background job."""

    def __init__(self, args, stats, deadline, shared):
        super().__init__(daemon=True)
        self.args, self.stats = args, stats
        self.deadline, self.shared = deadline, shared

    def run(self):
        rpc = Rpc(self.args.servers[0], self.args.addon_db, "scale_manager")
        self.shared["ready"].wait()
        self.deadline = self.shared["deadline"]
        low, high = self.shared["mass_range"]
        size = self.args.mass_size
        # Each run of the load (4 in run.py) takes its own quarter of the range.
        per_round = (high - low + 1) // size // 4
        # The manager as the new salesperson: no lead has them, so each lead
        # updated gets exactly one tracking value (the audit counts them).
        user = self.shared["manager"]
        job = 0
        while time.monotonic() < self.deadline - 5 and job < per_round:
            start = low + (self.args.round * per_round + job) * size
            leads = list(range(start, start + size))

            def queue(leads=leads, user=user):
                wizard = rpc.kw(
                    "crm.lead.mass.update",
                    "create",
                    [{"lead_ids": [[6, 0, leads]], "user_id": user}],
                )
                return rpc.call(
                    "/web/dataset/call_button/crm.lead.mass.update.action_apply",
                    model="crm.lead.mass.update",
                    method="action_apply",
                    args=[wizard],
                    kwargs={"context": rpc.context},
                )

            if self.stats.timed("mass update (queue)", queue) is not None:
                self.shared.setdefault("jobs", []).append(
                    {"first_lead": start, "count": size, "user_id": user}
                )
            job += 1
            time.sleep(self.args.mass_every)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--servers", required=True, type=lambda s: s.split(","))
    parser.add_argument("--addon-db", required=True)
    parser.add_argument("--odoo-db")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--duration", type=int, default=120)
    parser.add_argument("--mass-every", type=int, default=20)
    parser.add_argument("--mass-size", type=int, default=2000)
    parser.add_argument(
        "--round", type=int, default=0, help="which leads the mass updates take"
    )
    parser.add_argument("--shared", required=True, help="JSON: the database's ids")
    args = parser.parse_args()

    shared = json.loads(args.shared)
    first = Rpc(args.servers[0], args.addon_db, "scale_sales_01")
    shared["addon"] = view_specs(first, ADDON_ACTION)
    if args.odoo_db:
        shared["odoo"] = view_specs(
            Rpc(args.servers[0], args.odoo_db, "scale_sales_01"), ODOO_ACTION
        )
    shared["converted"] = {}
    stats = Stats()
    # Logging in takes seconds (the password's hash): the measure starts once
    # every client is in.
    shared["ready"] = threading.Barrier(
        args.clients + 2,
        action=lambda: shared.update(deadline=time.monotonic() + args.duration),
    )
    deadline = None
    threads = [
        Salesperson(i, args, stats, deadline, shared) for i in range(args.clients)
    ]
    threads.append(Manager(args, stats, deadline, shared))
    for thread in threads:
        thread.start()
    shared["ready"].wait()
    started = shared["deadline"] - args.duration
    for thread in threads:
        thread.join(args.duration + 600)
    took = time.monotonic() - started
    kinds = {}
    for kind in sorted(set(stats.times) | set(stats.errors)):
        times = stats.times.get(kind, [])
        kinds[kind] = {
            "count": len(times),
            "errors": stats.errors.get(kind, 0),
            "p50_ms": round(1000 * statistics.median(times), 1) if times else None,
            "p95_ms": round(1000 * percentile(times, 0.95), 1) if times else None,
        }
    total = sum(len(times) for times in stats.times.values())
    json.dump(
        {
            "duration_s": round(took, 1),
            "requests": total,
            "requests_per_s": round(total / took, 2),
            "errors": sum(stats.errors.values()),
            "error_samples": stats.messages[:10],
            "kinds": kinds,
            "jobs": shared.get("jobs", []),
            "converted_ids": shared.get("converted_ids", []),
        },
        sys.stdout,
        indent=1,
    )


if __name__ == "__main__":
    main()
