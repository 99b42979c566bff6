#!/usr/bin/env python3
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Background jobs at scale: a mass update of every lead and a conversion of
10,000 leads, queued by their wizards and worked through by the scheduled
action, each against Odoo's own floor measured in the same run.

On the database ``make bench`` fills (100,000 leads), as a sales manager:

- mass update (salesperson and team) of every lead: Odoo's bare write of the same
  values on the same leads (no tracking, no e-mail), in a transaction rolled back;
  then the wizard (its creation with the leads, its answer), and the job run to
  its end batch after batch, each batch committed as the scheduler commits it;
- conversion of ``--convert`` leads into a company, a contact and an opportunity:
  Odoo's creates of the same records, 1,000 of each, with Odoo's mail features
  (followers, creation messages), rolled back; then the job, as above.

Unlike the other benchmarks, the jobs commit: the database keeps the leads'
new salesperson and team (each run picks the other of two) and the converted
leads. Not run by CI::

    python benchmarks/bench_background.py -c var/odoo.conf \\
        -d crm_prospection_bench_addon --json var/bench/background.json
"""

import argparse
import contextlib
import json
import os
import platform
import re
import time
from datetime import datetime

USER = "bench_manager"
BATCH_LOG = re.compile(r"^(\d+) \S+ \S+ ([\d.]+) s on (\S+)$")


def log(message):
    print(f"[background] {message}", flush=True)


class Database:
    def __init__(self, name):
        import odoo  # noqa: PLC0415
        from odoo.modules.registry import Registry  # noqa: PLC0415

        self.odoo = odoo
        self.registry = Registry(name)
        with self.cursor() as env:
            self.uid = env["res.users"].search([("login", "=", USER)]).id
            if not self.uid:
                raise SystemExit(f"{name} has no benchmark data: run make bench first")

    @contextlib.contextmanager
    def cursor(self, user=False):
        """An environment on a new cursor; what the caller does not commit is
        rolled back when it closes."""
        with self.registry.cursor() as cr:
            uid = self.uid if user else self.odoo.SUPERUSER_ID
            yield self.odoo.api.Environment(cr, uid, {"lang": "en_US"})
            cr.rollback()


def timed(env, function):
    started = time.perf_counter()
    result = function()
    env.flush_all()
    env.cr.precommit.run()
    env.flush_all()
    return time.perf_counter() - started, result


def run_jobs(db):
    """The scheduled action's work, as it does it: batch after batch, each one
    committed; (seconds, the last job)."""
    with db.cursor() as env:
        started = time.perf_counter()
        env["crm.batch.job"]._cron_run_jobs()
        env.cr.commit()
        seconds = time.perf_counter() - started
        job = env["crm.batch.job"].search([], order="id desc", limit=1)
        batches = [
            float(match.group(2))
            for line in (job.batch_log or "").splitlines()
            if (match := BATCH_LOG.match(line))
        ]
        return seconds, {
            "state": job.state,
            "total": job.total_count,
            "done": job.done_count,
            "failed": job.failed_count,
            "left as they were": job.skipped_count,
            "batches": len(batches),
            "longest_batch_s": max(batches, default=0),
        }


def mass_update(db, results):
    with db.cursor() as env:
        env.cr.execute("SELECT id FROM crm_lead WHERE type = 'lead' ORDER BY id")
        lead_ids = [row[0] for row in env.cr.fetchall()]
        users = env["res.users"].search(
            [("login", "in", ("bench_sales_07", "bench_sales_08"))]
        )
        teams = env["crm.team"].search(
            [("name", "in", ("Bench team 3", "Bench team 4"))]
        )
        first = env["crm.lead"].browse(lead_ids[0])
        # The other salesperson and team than the leads have: every lead changes.
        user = (users - first.user_id)[:1] or users[:1]
        team = (teams - first.team_id)[:1] or teams[:1]
        values = {"user_id": user.id, "team_id": team.id}
        leads = env["crm.lead"].browse(lead_ids).with_context(tracking_disable=True)
        floor, _none = timed(env, lambda: leads.write(values))
        env.cr.rollback()
    log(f"bare write of {len(lead_ids):,} leads: {floor:.1f} s")
    with db.cursor(user=True) as env:
        Wizard = env["crm.lead.mass.update"]
        created, wizard = timed(
            env, lambda: Wizard.create(dict(values, lead_ids=[(6, 0, lead_ids)]))
        )
        answered, action = timed(env, wizard.action_apply)
        env.cr.commit()
    log(
        f"wizard created in {created:.1f} s, answered in {answered:.2f} s: "
        f"{action['params']['title']}"
    )
    seconds, job = run_jobs(db)
    with db.cursor() as env:
        env.cr.execute(
            "SELECT count(*) FROM crm_lead WHERE id = ANY(%s) AND team_id = %s",
            [lead_ids, team.id],
        )
        job["leads with the new team"] = env.cr.fetchone()[0]
    total = answered + seconds
    results["mass_update"] = {
        "leads": len(lead_ids),
        "bare_write_s": floor,
        "wizard_created_s": created,
        "wizard_answered_s": answered,
        "job_run_s": seconds,
        "total_s": total,
        "ratio": total / floor,
        "job": job,
    }
    log(f"job run in {seconds:.1f} s: total {total / floor:.2f}x the bare write; {job}")


def tracked_write(db, results, count=10000):
    """On ``count`` leads, each write rolled back: Odoo's bare write of the
    values, Odoo's own write with its tracking (a note per lead with its
    tracking values, logged one by one, the salesperson following), and the
    least any audit trail through the ORM costs: the bare write plus one empty
    note per lead, logged in one batch by mail's ``_message_log_batch``."""
    with db.cursor() as env:
        env.cr.execute(
            "SELECT id FROM crm_lead WHERE type = 'lead' ORDER BY id LIMIT %s", [count]
        )
        leads = env["crm.lead"].browse(row[0] for row in env.cr.fetchall())
        users = env["res.users"].search(
            [("login", "in", ("bench_sales_07", "bench_sales_08"))]
        )
        teams = env["crm.team"].search(
            [("name", "in", ("Bench team 3", "Bench team 4"))]
        )
        values = {
            "user_id": (users - leads[0].user_id)[:1].id,
            "team_id": (teams - leads[0].team_id)[:1].id,
        }
        bare = leads.with_context(tracking_disable=True)
        seconds = {}
        for name, write in (
            ("bare", lambda: bare.write(values)),
            (
                "tracked",
                lambda: leads.with_context(mail_auto_subscribe_no_notify=True).write(
                    values
                ),
            ),
            (
                "bare_and_notes",
                lambda: (
                    bare.write(values),
                    leads._message_log_batch(dict.fromkeys(leads.ids, "")),
                ),
            ),
        ):
            seconds[name], _none = timed(env, write)
            env.cr.rollback()
            env.invalidate_all()
    results["tracked_write"] = {
        "leads": len(leads),
        "seconds": seconds["tracked"],
        "bare_write_s": seconds["bare"],
        "bare_write_and_notes_s": seconds["bare_and_notes"],
    }
    log(
        f"{len(leads):,} leads: bare write {seconds['bare']:.1f} s, Odoo's tracked "
        f"write {seconds['tracked']:.1f} s, bare write and a note each "
        f"{seconds['bare_and_notes']:.1f} s"
    )


def conversion_leads(env, count, offset=0):
    sales = env.ref("crm_prospection.lead_status_sales_qualification")
    env.cr.execute(
        """
        SELECT id FROM crm_lead
         WHERE type = 'lead' AND active AND lead_status_id = %s
           AND partner_name IS NOT NULL AND contact_name IS NOT NULL
         ORDER BY id OFFSET %s LIMIT %s
        """,
        [sales.id, offset, count],
    )
    return env["crm.lead"].browse(row[0] for row in env.cr.fetchall())


def conversion(db, results, count):
    with db.cursor(user=True) as env:
        leads = conversion_leads(env, 1000, offset=count)
        Partner, Lead = env["res.partner"], env["crm.lead"]

        def creates():
            companies = Partner.create(
                [
                    lead._prepare_customer_values(lead.partner_name, is_company=True)
                    for lead in leads
                ]
            )
            contacts = Partner.create(
                [
                    lead._prepare_customer_values(
                        lead.contact_name, is_company=False, parent_id=company.id
                    )
                    for lead, company in zip(leads, companies, strict=True)
                ]
            )
            Lead.create(
                [
                    {
                        "name": lead.name,
                        "type": "opportunity",
                        "partner_id": contact.id,
                        "user_id": lead.user_id.id,
                        "team_id": lead.team_id.id,
                    }
                    for lead, contact in zip(leads, contacts, strict=True)
                ]
            )

        floor, _none = timed(env, creates)
        env.cr.rollback()
    floor_rate = len(leads) / floor
    log(
        f"Odoo's creates for {len(leads)} leads: {floor:.1f} s, "
        f"{floor_rate:.1f} leads/s"
    )
    with db.cursor(user=True) as env:
        leads = conversion_leads(env, count)
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
        answered, _action = timed(env, wizard.action_convert)
        env.cr.commit()
    seconds, job = run_jobs(db)
    rate = len(leads) / seconds
    results["conversion"] = {
        "leads": len(leads),
        "odoo_creates_leads_per_s": floor_rate,
        "wizard_answered_s": answered,
        "job_run_s": seconds,
        "job_leads_per_s": rate,
        "ratio": rate / floor_rate,
        "job": job,
    }
    log(
        f"job: {len(leads)} leads in {seconds:.1f} s, {rate:.1f} leads/s, "
        f"{rate / floor_rate:.2f}x Odoo's creates; {job}"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--items", default="tracked_write,mass_update,conversion")
    parser.add_argument("--convert", type=int, default=10000)
    parser.add_argument("--json")
    args = parser.parse_args()

    from odoo.tools import config  # noqa: PLC0415

    config.parse_config(["-c", args.config, "-d", args.database])
    db = Database(args.database)
    results = {
        "date": datetime.now().isoformat(timespec="minutes"),
        "machine": {
            "node": platform.node(),
            "cpus": os.cpu_count(),
            "load_average_before": os.getloadavg(),
        },
    }
    items = args.items.split(",")
    if "tracked_write" in items:
        tracked_write(db, results)
    if "mass_update" in items:
        mass_update(db, results)
    if "conversion" in items:
        conversion(db, results, args.convert)
    results["machine"]["load_average_after"] = os.getloadavg()
    if args.json:
        os.makedirs(os.path.dirname(os.path.abspath(args.json)), exist_ok=True)
        if os.path.exists(args.json):
            # A run of some items only keeps the figures of the others.
            with open(args.json) as previous:
                results = {**json.load(previous), **results}
        with open(args.json, "w") as output:
            json.dump(results, output, indent=1, default=str)
            output.write("\n")


if __name__ == "__main__":
    main()
