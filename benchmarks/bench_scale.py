#!/usr/bin/env python3
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""CRM benchmarks at scale: crm_prospection against Odoo's crm alone.

Two databases filled by ``generate_data.py`` with the same seed: one with
``crm_prospection``, one with Odoo's ``crm``, ``sale_crm`` and ``calendar`` only.
Both are loaded in this one process and every measure alternates between them
(add-on, Odoo, add-on, Odoo…), so that the load of a shared machine weighs on
both alike; each figure is the median of the repeats. Every measure runs in its
own transaction, rolled back afterwards: the databases stay as generated.

What is measured, as the web client asks it (the specification of each read is
built from the view the user opens, the user is a sales manager):
  1. lead list (first page of 80 and its count) and kanban grouped by status
     (group counts and the first 40 cards of each column); SQL queries of one
     page over 1,000, 10,000 and all leads;
  2. lead form with 200 events;
  3. 1,000 events created on 1,000 leads, then marked done; a recurrence of 50;
  4. one conversion, then 1,000 leads converted in one batch;
  5. mass update of 10,000 leads (salesperson and team);
  7. pipeline tracking on every lead / partner: "See opportunities", "See events".

    python benchmarks/bench_scale.py -c var/odoo.conf \\
        --addon-db DB_WITH_ADDON --odoo-db DB_WITH_ODOO_ALONE [--repeat 5]
"""

import argparse
import contextlib
import json
import os
import platform
import statistics
import time
from datetime import datetime, timedelta
from unittest.mock import patch

from lxml import etree

USER = "bench_manager"
PAGE, KANBAN_PAGE, COUNT_LIMIT = 80, 40, 10001
# Millisecond measures (a list page, the kanban, a form) are taken this many times per
# transaction, the cache emptied before each: one sample per run is at the
# mercy of this shared machine's noise.
SAMPLES = 7


def log(message):
    print(f"[bench] {message}", flush=True)


# ----------------------------------------------------------------------
# Specifications as the web client builds them from a view
# ----------------------------------------------------------------------
def specification(env, model_name, view_xmlid, view_type):
    """The ``web_read`` specification of a view: every field of the arch, with
    the display name of relations, the colour of tags and the sub-view's
    fields of one2many and many2many lists (40 lines, as the form loads)."""
    model = env[model_name]
    view = env.ref(view_xmlid)
    result = model.get_views([(view.id, view_type)])
    arch = etree.fromstring(result["views"][view_type]["arch"])
    models = result["models"]
    return _node_specification(arch, model_name, models, view_type)


def _node_specification(arch, model_name, models, view_type):
    spec = {}
    fields_info = models[model_name]["fields"]
    for node in arch.iter("field"):
        # Only the fields of this level: not those of a nested sub-view.
        parent = node.getparent()
        nested = False
        while parent is not None and parent is not arch:
            if parent.tag == "field":
                nested = True
                break
            parent = parent.getparent()
        if nested:
            continue
        name = node.get("name")
        info = fields_info.get(name)
        if info is None:
            continue
        kind = info["type"]
        if kind == "many2one":
            spec[name] = {"fields": {"display_name": {}}}
        elif kind in ("one2many", "many2many"):
            sub_view = next(
                (child for child in node if child.tag in ("list", "kanban")), None
            )
            if sub_view is not None:
                sub_spec = _node_specification(
                    sub_view, info["relation"], models, "list"
                )
                spec[name] = {"fields": sub_spec, "limit": 40}
            else:
                sub = {"display_name": {}}
                if "color_field" in (node.get("options") or ""):
                    sub["color"] = {}
                spec[name] = {"fields": sub}
        else:
            spec[name] = {}
    if view_type == "form":
        spec["display_name"] = {}
    return spec


# ----------------------------------------------------------------------
# Measuring
# ----------------------------------------------------------------------
class Target:
    """One database, its registry, and how to open a transaction on it."""

    def __init__(self, name, database):
        from odoo.modules.registry import Registry  # noqa: PLC0415

        self.name = name
        self.database = database
        self.registry = Registry(database)
        with self.cursor() as env:
            self.addon = "crm.lead.status" in env
            self.uid = env["res.users"].search([("login", "=", USER)]).id
            if not self.uid:
                raise SystemExit(
                    f"{database} has no benchmark data: run generate_data.py first"
                )

    @contextlib.contextmanager
    def cursor(self, user=False):
        import odoo  # noqa: PLC0415

        with self.registry.cursor() as cr:
            uid = self.uid if user else odoo.SUPERUSER_ID
            env = odoo.api.Environment(
                cr, uid, {"lang": "en_US", "tz": "Europe/Paris", "bin_size": True}
            )
            try:
                yield env
            finally:
                cr.rollback()


def timed(env, function):
    """(seconds, SQL queries) of ``function()``, its result serialized as the
    web client would receive it."""
    cr = env.cr
    queries = cr.sql_log_count
    started = time.perf_counter()
    result = function()
    json.dumps(result, default=str)
    env.flush_all()
    # What the commit of the request would run: tracking messages, etc.
    env.cr.precommit.run()
    env.flush_all()
    return time.perf_counter() - started, cr.sql_log_count - queries, result


def sampled(env, function):
    """``timed(env, function)`` SAMPLES times, the cache emptied before each."""
    for _sample in range(SAMPLES):
        env.invalidate_all()
        yield timed(env, function)


class Results:
    def __init__(self):
        self.data = {}

    def add(self, item, label, target, seconds, queries, **extra):
        entry = self.data.setdefault(item, {}).setdefault(label, {})
        runs = entry.setdefault(target, {"seconds": [], "queries": []})
        runs["seconds"].append(seconds)
        runs["queries"].append(queries)
        runs.update(extra)


def alternate(targets, repeat, measure, warmup=True):
    """Call ``measure(target)`` ``repeat`` times per target, alternating."""
    if warmup:
        for target in targets:
            measure(target, record=False)
    for _index in range(repeat):
        for target in targets:
            measure(target, record=True)


# ----------------------------------------------------------------------
# The items
# ----------------------------------------------------------------------
def lead_views(target, env):
    """Domain, context, list and kanban views, group-by of each database's Leads."""
    if target.addon:
        action = env.ref("crm_prospection.action_leads_open")
        return {
            "domain": [("type", "=", "lead"), ("lead_status_id.is_open", "=", True)],
            "context": {"default_type": "lead", "crm_prospection_open_statuses": True},
            "list": "crm_prospection.crm_lead_view_list_lead",
            "kanban": "crm_prospection.crm_lead_view_kanban_lead",
            "form": "crm_prospection.crm_lead_view_form_lead",
            "group_by": "lead_status_id",
            "progress_bar": None,
            "action": action,
        }
    return {
        "domain": ["|", ("type", "=", "lead"), ("type", "=", False)],
        "context": {"default_type": "lead"},
        "list": "crm.crm_case_tree_view_leads",
        "kanban": "crm.view_crm_lead_kanban",
        "form": "crm.crm_lead_view_form",
        # Odoo's leads have no status: its kanban grouped by stage.
        "group_by": "stage_id",
        "progress_bar": {
            "field": "activity_state",
            "colors": {"planned": "success", "today": "warning", "overdue": "danger"},
        },
        "action": env.ref("crm.crm_lead_all_leads"),
    }


def item_list_kanban(targets, results, repeat):
    def measure_list(target, record):
        with target.cursor(user=True) as env:
            views = lead_views(target, env)
            Lead = env["crm.lead"].with_context(**views["context"])
            spec = specification(env, "crm.lead", views["list"], "list")
            for seconds, queries, result in sampled(
                env,
                lambda: Lead.web_search_read(
                    views["domain"], spec, limit=PAGE, count_limit=COUNT_LIMIT
                ),
            ):
                if record:
                    results.add(
                        "1",
                        "lead list: first page of 80 and count",
                        target.name,
                        seconds,
                        queries,
                        length=result["length"],
                    )

    def measure_kanban(target, record):
        with target.cursor(user=True) as env:
            views = lead_views(target, env)
            Lead = env["crm.lead"].with_context(**views["context"])
            spec = specification(env, "crm.lead", views["kanban"], "kanban")
            for seconds, queries, result in sampled(
                env,
                lambda: Lead.web_read_group(
                    views["domain"],
                    [views["group_by"]],
                    auto_unfold=True,
                    unfold_read_specification=spec,
                    unfold_read_default_limit=KANBAN_PAGE,
                ),
            ):
                bar_seconds = bar_queries = 0
                if views["progress_bar"]:
                    bar_seconds, bar_queries, _bar = timed(
                        env,
                        lambda: Lead.read_progress_bar(
                            views["domain"], views["group_by"], views["progress_bar"]
                        ),
                    )
                if record:
                    groups = {
                        str(group[views["group_by"]]): group["__count"]
                        for group in result["groups"]
                    }
                    results.add(
                        "1",
                        "lead kanban: web_read_group (counts, 40 cards per column)",
                        target.name,
                        seconds,
                        queries,
                        groups=groups,
                    )
                    results.add(
                        "1",
                        "lead kanban with the progress bars the web client reads",
                        target.name,
                        seconds + bar_seconds,
                        queries + bar_queries,
                    )

    def measure_page_queries(target, record):
        """The queries of one page do not depend on how many leads match."""
        with target.cursor(user=True) as env:
            views = lead_views(target, env)
            Lead = env["crm.lead"].with_context(**views["context"])
            spec = specification(env, "crm.lead", views["list"], "list")
            env.cr.execute("SELECT id FROM crm_lead WHERE type = 'lead' ORDER BY id")
            ids = [row[0] for row in env.cr.fetchall()]
            counts = {}
            for size in sorted({min(1000, len(ids)), min(10000, len(ids)), len(ids)}):
                domain = views["domain"] + [("id", "<=", ids[size - 1])]
                env.invalidate_all()
                seconds, queries, _result = timed(
                    env,
                    lambda domain=domain: Lead.web_search_read(
                        domain, spec, limit=PAGE, count_limit=COUNT_LIMIT
                    ),
                )
                counts[size] = queries
            if record:
                results.add(
                    "1",
                    "lead list: queries of one page over 1,000 / 10,000 / all leads",
                    target.name,
                    0,
                    counts[len(ids)],
                    by_size=counts,
                )

    alternate(targets, repeat, measure_list)
    alternate(targets, repeat, measure_kanban)
    alternate(targets, 1, measure_page_queries, warmup=False)


def nth_lead(env, index, where="TRUE"):
    """The ``index``-th generated lead (the same one in both databases)."""
    condition = f"type = 'lead' AND {where}"
    env.cr.execute(f"SELECT count(*) FROM crm_lead WHERE {condition}")  # noqa: S608
    count = env.cr.fetchone()[0]
    env.cr.execute(
        f"SELECT id FROM crm_lead WHERE {condition}"  # noqa: S608
        " ORDER BY id OFFSET %s LIMIT 1",
        [index % count],
    )
    return env["crm.lead"].browse(env.cr.fetchone()[0])


def spread_leads(env, count, step=50):
    """``count`` active leads, one in every ``step`` generated."""
    env.cr.execute(
        "SELECT id FROM (SELECT id, row_number() OVER (ORDER BY id) AS n"
        "  FROM crm_lead WHERE type = 'lead' AND active) AS l"
        " WHERE n %% %s = 0 ORDER BY id LIMIT %s",
        [step, count],
    )
    return env["crm.lead"].browse(row[0] for row in env.cr.fetchall())


def event_values(target, env, leads, start, count=1):
    """Values of events on ``leads`` as the lead's buttons create them."""
    lead_model = env["ir.model"]._get_id("crm.lead")
    values = []
    for index, lead in enumerate(leads):
        for occurrence in range(count):
            begin = start + timedelta(days=index % 60, hours=occurrence % 8)
            vals = {
                "name": f"Meeting about {lead.name}",
                "start": begin,
                "stop": begin + timedelta(hours=1),
                "res_model_id": lead_model,
                "res_id": lead.id,
                "opportunity_id": lead.id,
                "user_id": lead.user_id.id or env.uid,
                "partner_ids": [
                    (6, 0, (lead.user_id.partner_id or env.user.partner_id).ids)
                ],
            }
            if target.addon:
                vals["crm_event_type"] = ("meeting", "call", "task", "note")[
                    occurrence % 4
                ]
            values.append(vals)
    return values


def event_model(target, env):
    context = {"no_mail_to_attendees": True}
    if target.addon:
        context["crm_prospection_event"] = True
    return env["calendar.event"].with_context(**context)


def item_form(targets, results, repeat):
    start = datetime.now().replace(minute=0, second=0, microsecond=0)

    def measure(target, record):
        with target.cursor(user=True) as env:
            views = lead_views(target, env)
            lead = nth_lead(env, 50000, "active")
            missing = 200 - len(lead.calendar_event_ids)
            if missing > 0:
                event_model(target, env).create(
                    event_values(target, env, lead, start, missing)
                )
            env.flush_all()
            Lead = env["crm.lead"].with_context(**views["context"])
            spec = specification(env, "crm.lead", views["form"], "form")
            for seconds, queries, _result in sampled(
                env, lambda: Lead.browse(lead.id).web_read(spec)
            ):
                if record:
                    results.add(
                        "2",
                        "lead form (web_read) with 200 events",
                        target.name,
                        seconds,
                        queries,
                        events=len(lead.calendar_event_ids),
                    )

    alternate(targets, repeat, measure)


class ComputeCounter:
    """Count the records given to ``_compute_event_dates`` (add-on only)."""

    def __init__(self, env):
        self.counts = {"crm.lead": 0, "res.partner": 0}
        self.patches = []
        for model_name in self.counts:
            cls = type(env[model_name])
            original = cls._compute_event_dates

            def counting(records, _original=original, _name=model_name):
                self.counts[_name] += len(records)
                return _original(records)

            self.patches.append(patch.object(cls, "_compute_event_dates", counting))

    def __enter__(self):
        for item in self.patches:
            item.start()
        return self

    def __exit__(self, *args):
        for item in self.patches:
            item.stop()


def item_events(targets, results, repeat):
    start = datetime.now().replace(minute=0, second=0, microsecond=0) + timedelta(
        days=1
    )

    def measure(target, record, size):
        with target.cursor(user=True) as env:
            leads = spread_leads(env, size)
            values = event_values(target, env, leads, start)
            env.flush_all()
            env.invalidate_all()
            Event = event_model(target, env)
            seconds, queries, events = timed(env, lambda: Event.create(values))
            if record:
                results.add(
                    "3",
                    f"create {size:,} events on {size:,} leads",
                    target.name,
                    seconds,
                    queries,
                    per_event_ms=seconds / size * 1000,
                )
            if not target.addon:
                return
            env.invalidate_all()
            with ComputeCounter(env) as counter:
                seconds, queries, _none = timed(env, lambda: events.action_crm_done())
            if record:
                results.add(
                    "3",
                    f"mark {size:,} events done (dates of their leads and partners)",
                    target.name,
                    seconds,
                    queries,
                    per_event_ms=seconds / size * 1000,
                    recomputed=dict(counter.counts),
                )

    def measure_recurrence(target, record):
        with target.cursor(user=True) as env:
            lead = nth_lead(env, 60000, "active")
            values = event_values(target, env, lead, start)[0]
            values.update(
                recurrency=True,
                rrule_type="daily",
                interval=1,
                end_type="count",
                count=50,
            )
            env.flush_all()
            env.invalidate_all()
            Event = event_model(target, env)
            seconds, queries, event = timed(env, lambda: Event.create(values))
            events = event.recurrence_id.calendar_event_ids
            if record:
                results.add(
                    "3",
                    "create a recurrence of 50 events on a lead",
                    target.name,
                    seconds,
                    queries,
                    events=len(events),
                )
            if not target.addon:
                return
            env.invalidate_all()
            with ComputeCounter(env) as counter:
                seconds, queries, _none = timed(env, lambda: events.action_crm_done())
            if record:
                results.add(
                    "3",
                    "mark the 50 occurrences done",
                    target.name,
                    seconds,
                    queries,
                    recomputed=dict(counter.counts),
                )

    for size in (100, 1000):
        alternate(
            targets,
            repeat,
            lambda target, record, size=size: measure(target, record, size),
        )
    alternate(targets, repeat, measure_recurrence)


def conversion_leads(target, env, count, offset):
    """``count`` open leads with a company and a person, ready to convert."""
    where = "active AND partner_name IS NOT NULL AND contact_name IS NOT NULL"
    if target.addon:
        sales = env.ref("crm_prospection.lead_status_sales_qualification")
        where += f" AND lead_status_id = {int(sales.id)}"
    env.cr.execute(
        f"SELECT id FROM crm_lead WHERE type = 'lead' AND {where}"  # noqa: S608
        " ORDER BY id OFFSET %s LIMIT %s",
        [offset, count],
    )
    return env["crm.lead"].browse(row[0] for row in env.cr.fetchall())


def convert(target, env, leads):
    """Convert ``leads`` into a new company, its contact and an opportunity."""
    if target.addon:
        wizard = (
            env["crm.lead.convert"]
            .with_context(default_lead_ids=leads.ids)
            .create(
                {
                    "create_opportunity": True,
                    "partner_action": "create",
                    "is_company": True,
                }
            )
        )
        return wizard.action_convert()
    Wizard = env["crm.lead2opportunity.partner.mass"].with_context(
        active_model="crm.lead", active_ids=leads.ids, active_id=leads[:1].id
    )
    wizard = Wizard.create(
        {"name": "convert", "action": "create", "deduplicate": False}
    )
    return wizard.action_mass_convert()


def item_conversion(targets, results, repeat):
    def measure_one(target, record):
        with target.cursor(user=True) as env:
            lead = conversion_leads(target, env, 1, 10)
            env.flush_all()
            env.invalidate_all()
            seconds, queries, _action = timed(env, lambda: convert(target, env, lead))
            if record:
                results.add(
                    "4",
                    "convert one lead (new company, contact, opportunity)",
                    target.name,
                    seconds,
                    queries,
                )

    def measure_batch(target, record, size):
        with target.cursor(user=True) as env:
            leads = conversion_leads(target, env, size, 100)
            env.flush_all()
            env.invalidate_all()
            seconds, queries, _action = timed(env, lambda: convert(target, env, leads))
            if target.addon:
                converted = env["crm.lead"].search_count(
                    [("id", "in", leads.ids), ("converted_partner_id", "!=", False)]
                )
            else:
                converted = env["crm.lead"].search_count(
                    [("id", "in", leads.ids), ("type", "=", "opportunity")]
                )
            if record:
                results.add(
                    "4",
                    f"convert {size:,} leads in one batch",
                    target.name,
                    seconds,
                    queries,
                    leads_per_second=size / seconds,
                    queries_per_lead=queries / size,
                    converted=converted,
                )

    alternate(targets, repeat, measure_one)
    for size in (100, 1000):
        alternate(
            targets,
            max(1, repeat // 2),
            lambda target, record, size=size: measure_batch(target, record, size),
            warmup=size == 100,
        )


def item_mass_update(targets, results, repeat):
    def measure(target, record, size, how):
        with target.cursor(user=True) as env:
            leads = env["crm.lead"].search(
                [("type", "=", "lead")], order="id", limit=size
            )
            user = env["res.users"].search([("login", "=", "bench_sales_07")])
            team = env["crm.team"].search([("name", "=", "Bench team 3")])
            env.flush_all()
            env.invalidate_all()
            values = {"user_id": user.id, "team_id": team.id}
            if how == "wizard":
                wizard = (
                    env["crm.lead.mass.update"]
                    .with_context(default_lead_ids=leads.ids)
                    .create(values)
                )
                function = wizard.action_apply
            elif how == "floor":
                leads = leads.browse(leads.ids).with_context(tracking_disable=True)
                function = lambda: leads.write(values)  # noqa: E731
            else:
                leads = leads.browse(leads.ids)
                function = lambda: leads.write(values)  # noqa: E731
            seconds, queries, _result = timed(env, function)
            if record:
                label = {
                    "wizard": "mass update wizard",
                    "floor": "bare write, no tracking nor e-mail (the ORM's floor)",
                    "write": "list multi-edit (write)",
                }[how]
                results.add(
                    "5",
                    f"{label}: salesperson and team of {size:,} leads",
                    target.name,
                    seconds,
                    queries,
                )

    # Odoo's own write (the list's multi-edit) e-mails every lead's new
    # salesperson and logs its tracking one lead at a time: minutes for 10,000
    # leads, so it is compared on 1,000 only.
    alternate(
        targets,
        repeat,
        lambda target, record: measure(target, record, 1000, "write"),
    )
    addon = [target for target in targets if target.addon]
    for size in (1000, 10000):
        alternate(
            addon,
            repeat,
            lambda target, record, size=size: measure(target, record, size, "wizard"),
        )
    # What any write of 10,000 leads costs in Odoo, without the audit trail:
    # the recomputes it triggers and PostgreSQL's update of the rows.
    alternate(
        targets,
        repeat,
        lambda target, record: measure(target, record, 10000, "floor"),
        warmup=False,
    )


def item_pipeline(targets, results, repeat):
    addon = [target for target in targets if target.addon]

    def measure(target, record, kind, method):
        with target.cursor(user=True) as env:
            env.invalidate_all()

            def click():
                # The web client saves the wizard, calls the button, then loads
                # the first page of the list the action opens.
                wizard = env["crm.pipeline.tracking"].create({"target": kind})
                action = getattr(wizard, method)()
                model = env[action["res_model"]].with_context(**action["context"])
                view_xmlid = {
                    "crm.lead": "crm.crm_case_tree_view_oppor",
                    "calendar.event": "calendar.view_calendar_event_tree",
                    "res.partner": "base.view_partner_tree",
                }[action["res_model"]]
                spec = specification(env, action["res_model"], view_xmlid, "list")
                return model.web_search_read(
                    action["domain"], spec, limit=PAGE, count_limit=COUNT_LIMIT
                )

            seconds, queries, result = timed(env, click)
            if record:
                results.add(
                    "7",
                    f"{kind}s (all): {method}",
                    target.name,
                    seconds,
                    queries,
                    length=result["length"],
                )

    def measure_counts(target, record, kind):
        with target.cursor(user=True) as env:
            wizard = env["crm.pipeline.tracking"].create({"target": kind})
            env.invalidate_all()
            seconds, queries, _result = timed(
                env,
                lambda: wizard.web_read(
                    {"record_count": {}, "opportunity_count": {}, "event_count": {}}
                ),
            )
            if record:
                results.add(
                    "7",
                    f"{kind}s (all): the screen's live counts",
                    target.name,
                    seconds,
                    queries,
                )

    for kind in ("lead", "partner"):
        alternate(
            addon,
            repeat,
            lambda target, record, kind=kind: measure_counts(target, record, kind),
        )
        for method in ("action_open_opportunities", "action_open_events"):
            alternate(
                addon,
                repeat,
                lambda target, record, kind=kind, method=method: measure(
                    target, record, kind, method
                ),
            )


ITEMS = {
    "1": item_list_kanban,
    "2": item_form,
    "3": item_events,
    "4": item_conversion,
    "5": item_mass_update,
    "7": item_pipeline,
}


def summary(results):
    """Medians and ratios (add-on / Odoo) of every measure."""
    lines = {}
    for item, labels in results.data.items():
        for label, by_target in labels.items():
            row = {}
            for target, runs in by_target.items():
                row[target] = dict(
                    runs,
                    median=statistics.median(runs["seconds"]),
                    queries_median=statistics.median(runs["queries"]),
                )
            if "addon" in row and "odoo" in row and row["odoo"]["median"]:
                row["ratio"] = row["addon"]["median"] / row["odoo"]["median"]
            lines.setdefault(item, {})[label] = row
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("--addon-db", required=True)
    parser.add_argument(
        "--odoo-db", help="the database with Odoo alone (without it: add-on only)"
    )
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--items", default=",".join(ITEMS))
    parser.add_argument("--json", help="write the results to this file")
    args = parser.parse_args()

    from odoo.tools import config  # noqa: PLC0415

    config.parse_config(["-c", args.config, "-d", args.addon_db])
    targets = [Target("addon", args.addon_db)]
    if args.odoo_db:
        targets.append(Target("odoo", args.odoo_db))
    results = Results()
    started = time.perf_counter()
    load = os.getloadavg()
    for item in args.items.split(","):
        item_started = time.perf_counter()
        ITEMS[item](targets, results, args.repeat)
        log(f"item {item} measured in {time.perf_counter() - item_started:.0f} s")
        if args.json:
            write_json(args, results, started, load)
    lines = summary(results)
    for item, labels in lines.items():
        for label, row in labels.items():
            figures = ", ".join(
                f"{name} {row[name]['median'] * 1000:.0f} ms"
                f" ({row[name]['queries_median']:.0f} queries)"
                for name in ("addon", "odoo")
                if name in row
            )
            ratio = f", ratio {row['ratio']:.2f}" if "ratio" in row else ""
            log(f"{item}. {label}: {figures}{ratio}")
    if args.json:
        write_json(args, results, started, load)


def write_json(args, results, started, load):
    """The figures so far into ``args.json``; the items of an earlier run of
    the same file that this one does not measure are kept."""
    path = os.path.abspath(args.json)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    items, measured = {}, {}
    if os.path.exists(path):
        with open(path) as previous:
            earlier = json.load(previous)
            items, measured = earlier.get("items", {}), earlier.get("measured", {})
    items.update(summary(results))
    for item in summary(results):
        measured[item] = {
            "date": datetime.now().isoformat(timespec="minutes"),
            "repeat": args.repeat,
            "load_average_before": load[0],
        }
    with open(path, "w") as output:
        json.dump(
            {
                "date": datetime.now().isoformat(timespec="minutes"),
                "machine": {
                    "node": platform.node(),
                    "cpus": os.cpu_count(),
                    "platform": platform.platform(),
                    "python": platform.python_version(),
                    "load_average_before": load,
                    "load_average_after": os.getloadavg(),
                },
                "databases": {"addon": args.addon_db, "odoo": args.odoo_db},
                "repeat": args.repeat,
                "duration_s": time.perf_counter() - started,
                "items": dict(sorted(items.items())),
                "measured": measured,
            },
            output,
            indent=1,
            default=str,
        )
        output.write("\n")  # a text file ends with a newline (pre-commit checks it)


if __name__ == "__main__":
    main()
