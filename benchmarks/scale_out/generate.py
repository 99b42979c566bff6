#!/usr/bin/env python3
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# ruff: noqa: E501 - long SQL and command lines read better whole
"""Fill a database at bulk speed for the scale-out run: N leads, N/5 partners,
2N events (1,000,000 / 200,000 / 2,000,000 by default), in minutes.

The ORM creates the referentials (20 salespeople in 4 teams, a manager, 6
agencies with the add-on) and one prototype record per big table (a company, a
lead, an event linked to it), so that every column has the value Odoo gives it.
PostgreSQL then copies each prototype row N times in one set-based statement
(``INSERT … SELECT … FROM generate_series``: no row crosses the wire, faster than
``COPY``), replacing the columns the benchmark decides (names, e-mails,
salesperson, team, agency, stage, status, place, dates, links); the stored fields
that depend on them (the normalized e-mail, the e-mail domain, the last and next
event dates of leads with the add-on) are set by set-based UPDATEs. The same
script fills a database with Odoo's ``crm`` alone (without the add-on's columns):
the same rows, for the side-by-side measures. Not generated: chatter messages,
followers and event attendees (the run does not read them).

Run it with the Python that runs Odoo::

    python benchmarks/scale_out/generate.py -c CONF -d DATABASE --leads 1000000
"""

import argparse
import json
import time

MARKER = "crm_prospection.scale_out_data"
SALESPEOPLE, TEAMS, AGENCIES = 20, 4, 6
CONTEXT = {
    "tracking_disable": True,
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
    "mail_notrack": True,
    "no_reset_password": True,
    "lang": "en_US",
}


def log(message, started=None):
    took = f" ({time.perf_counter() - started:.1f} s)" if started is not None else ""
    print(f"[generate] {message}{took}", flush=True)


def columns(cr, table):
    cr.execute(
        """SELECT column_name FROM information_schema.columns
            WHERE table_name = %s ORDER BY ordinal_position""",
        [table],
    )
    return [row[0] for row in cr.fetchall()]


def clone(cr, table, prototype_id, count, overrides, start=None):
    """Insert ``count`` copies of row ``prototype_id`` of ``table``, ``g`` running
    from 1 to ``count``; ``overrides``: column -> SQL expression of ``g`` (and of
    ``p``, the prototype). Columns a database lacks (the add-on's, in Odoo's
    database) are left out. Returns the first id."""
    names = columns(cr, table)
    if start is None:
        cr.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")  # noqa: S608
        start = cr.fetchone()[0]
    overrides = dict(overrides, id=f"{start - 1} + g")
    select = ", ".join(overrides.get(name, f"p.{name}") for name in names)
    started = time.perf_counter()
    # Bulk loading: the indexes built once afterwards, the foreign keys not
    # checked row by row (the rows are made consistent by construction).
    cr.execute(
        """SELECT indexname, indexdef FROM pg_indexes
            WHERE tablename = %s AND indexname NOT IN (
                SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)""",
        [table, table],
    )
    indexes = cr.fetchall()
    for name, _definition in indexes:
        cr.execute(f'DROP INDEX "{name}"')
    cr.execute(f"ALTER TABLE {table} DISABLE TRIGGER ALL")
    cr.execute(
        f"""INSERT INTO {table} ({", ".join(names)})
            SELECT {select} FROM {table} p, generate_series(1, {int(count)}) g
             WHERE p.id = {int(prototype_id)}"""  # noqa: S608
    )
    cr.execute(f"ALTER TABLE {table} ENABLE TRIGGER ALL")
    for _name, definition in indexes:
        cr.execute(definition)
    cr.execute(
        "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [table, start + count]
    )
    log(f"{table}: {count:,} rows", started)
    return start


def array(ids):
    return "ARRAY[" + ",".join(map(str, ids)) + "]"


def pick(ids, expression):
    """SQL picking one of ``ids`` by ``expression`` (an integer of ``g``)."""
    return f"({array(ids)})[1 + ({expression}) % {len(ids)}]"


class Generator:
    def __init__(self, env, leads):
        self.env, self.cr = env, env.cr
        self.leads = leads
        self.partners = max(1, leads // 5)
        self.events = 2 * leads
        self.addon = "lead_status_id" in env["crm.lead"]._fields
        env.cr.execute("SELECT date_trunc('hour', now() at time zone 'UTC')")
        self.hour = f"TIMESTAMP '{env.cr.fetchone()[0]}'"

    def referentials(self):
        env = self.env
        settings = {"group_use_lead": True}
        if self.addon:
            settings["group_crm_agency"] = True
        env["res.config.settings"].create(settings).execute()
        salesman = env.ref("sales_team.group_sale_salesman_all_leads")
        self.users = env["res.users"].create(
            [
                {
                    "name": f"Scale salesperson {i + 1:02d}",
                    "login": f"scale_sales_{i + 1:02d}",
                    "password": f"scale_sales_{i + 1:02d}",
                    "group_ids": [(6, 0, salesman.ids)],
                }
                for i in range(SALESPEOPLE)
            ]
        )
        self.manager = env["res.users"].create(
            {
                "name": "Scale manager",
                "login": "scale_manager",
                "password": "scale_manager",
                "group_ids": [(6, 0, env.ref("sales_team.group_sale_manager").ids)],
            }
        )
        self.teams = env["crm.team"].create(
            [
                {
                    "name": f"Scale team {t + 1}",
                    "member_ids": [(6, 0, self.users[t::TEAMS].ids)],
                }
                for t in range(TEAMS)
            ]
        )
        # Not a won stage: one in ten leads is archived (lost), which a won
        # stage refuses.
        self.stages = env["crm.stage"].search(
            [("is_won", "=", False)], order="sequence, id"
        )
        self.agencies = []
        self.statuses = []
        if self.addon:
            self.agencies = env["crm.agency"].create(
                [
                    {
                        "name": f"Agency {city}",
                        "user_ids": [(6, 0, self.users[a::AGENCIES].ids)],
                    }
                    for a, city in enumerate(
                        ["Paris", "Lyon", "Lille", "Bordeaux", "Nantes", "Marseille"]
                    )
                ]
            )
            Status = env["crm.lead.status"]
            self.statuses = Status.search([("code", "=", False)]).ids
            self.lost_status = Status._get_status("lost").id
            self.sales_status = env.ref(
                "crm_prospection.lead_status_sales_qualification"
            ).id
        self.france = env.ref("base.fr")
        env.flush_all()

    def user_of(self, g):
        """The salesperson of row g, and the team and agency that go with them."""
        users = self.users.ids
        return pick(users, g)

    def partners_(self):
        env = self.env
        values = {
            "name": "Prototype company",
            "is_company": True,
            "email": "p@p.example",
            "country_id": self.france.id,
            "city": "Lyon",
            "zip": "69001",
            "user_id": self.users[0].id,
            "partner_latitude": 45.7,
            "partner_longitude": 4.8,
        }
        if self.addon:
            values.update(agency_id=self.agencies[0].id, is_prospect=True)
        proto = env["res.partner"].create(values)
        env.flush_all()
        n_users = len(self.users)
        overrides = {
            "name": "'Company ' || g",
            "complete_name": "'Company ' || g",
            "email": "'contact' || g || '@company' || g || '.example'",
            "email_normalized": "'contact' || g || '@company' || g || '.example'",
            "commercial_partner_id": None,  # set below: the row's own id
            "commercial_company_name": "'Company ' || g",
            "user_id": pick(self.users.ids, "g"),
            "city": "'City ' || (g % 500)",
            "zip": "lpad(((g % 500) * 97 % 100000)::text, 5, '0')",
            # Around France: an agency's partners spread over a region.
            "partner_latitude": "43 + (g::bigint * 7919 % 5000) / 1000.0",
            "partner_longitude": "-1 + (g::bigint * 104729 % 7000) / 1000.0",
            "customer_rank": "CASE WHEN g % 3 = 0 THEN 1 ELSE 0 END",
            "create_date": "now() - (g % 700) * interval '1 day'",
            "write_date": "now() - (g % 700) * interval '1 day'",
        }
        if self.addon:
            # The salesperson's agency: user i is in agency i % 6.
            overrides["agency_id"] = (
                f"({array(self.agencies.ids)})[1 + ((g % {n_users}) % {AGENCIES})]"
            )
            overrides["is_prospect"] = "g % 3 <> 0"
        start = self.cr_start("res_partner")
        overrides["commercial_partner_id"] = f"{start - 1} + g"
        self.partner_start = clone(
            self.cr, "res_partner", proto.id, self.partners, overrides, start
        )

    def cr_start(self, table):
        self.cr.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")  # noqa: S608
        return self.cr.fetchone()[0]

    def leads_(self):
        env = self.env
        proto = env["crm.lead"].create(
            {
                "name": "Prototype lead",
                "type": "lead",
                "user_id": self.users[0].id,
                "team_id": self.teams[0].id,
                "stage_id": self.stages[0].id,
                "contact_name": "Proto Type",
                "partner_name": "Prototype company",
                "email_from": "proto@proto.example",
                "phone": "+33 1 23 45 67 89",
                "country_id": self.france.id,
                "city": "Lyon",
            }
            | ({"agency_id": self.agencies[0].id} if self.addon else {})
        )
        env.flush_all()
        n_users = len(self.users)
        team_of_user = [self.teams[i % TEAMS].id for i in range(n_users)]
        overrides = {
            "name": "'Lead ' || g || ': ' || (ARRAY['Catalog request','Quotation','Demo request','Trade show','Call back','Tender'])[1 + g % 6]",
            "partner_name": f"'Company ' || (1 + g % {self.partners})",
            "contact_name": "'Contact ' || g",
            "email_from": f"'contact' || g || '@company' || (1 + g % {self.partners}) || '.example'",
            "email_normalized": f"'contact' || g || '@company' || (1 + g % {self.partners}) || '.example'",
            "email_domain_criterion": f"'company' || (1 + g % {self.partners}) || '.example'",
            "phone": "'+33 1 ' || lpad((g % 100000000)::text, 8, '0')",
            "phone_sanitized": "'+331' || lpad((g % 100000000)::text, 8, '0')",
            "partner_id": f"CASE WHEN g % 2 = 0 THEN {self.partner_start - 1} + 1 + g % {self.partners} END",
            "user_id": pick(self.users.ids, "g"),
            "team_id": f"({array(team_of_user)})[1 + g % {n_users}]",
            "stage_id": pick(self.stages.ids, "g / 7"),
            "city": "'City ' || (g % 500)",
            "active": "g % 10 <> 0",
            "create_date": "now() - (g % 700) * interval '1 day' - (g % 86400) * interval '1 second'",
            "write_date": "now() - (g % 700) * interval '1 day'",
            "date_open": "now() - (g % 700) * interval '1 day'",
            "date_last_stage_update": "now() - (g % 700) * interval '1 day'",
        }
        if self.addon:
            overrides["agency_id"] = (
                f"({array(self.agencies.ids)})[1 + ((g % {n_users}) % {AGENCIES})]"
            )
            overrides["lead_status_id"] = (
                f"CASE WHEN g % 10 = 0 THEN {self.lost_status} "
                # The first tenth ready to convert (the run converts there).
                f"WHEN g <= {self.leads // 10} THEN {self.sales_status} "
                f"ELSE {pick(self.statuses, 'g / 3')} END"
            )
            # The lead's two events (events_()): one to come, one past.
            overrides["date_next_event"] = (
                f"{self.hour} + ((g - 1) % 300 + 1) * interval '1 day'"
            )
            overrides["date_last_event"] = (
                f"{self.hour} - (g % 300 + 1) * interval '1 day'"
            )
            overrides["first_name"] = "NULL"
            overrides["last_name"] = "'Contact ' || g"
        self.lead_start = clone(self.cr, "crm_lead", proto.id, self.leads, overrides)

    def events_(self):
        env = self.env
        lead = env["crm.lead"].browse(self.lead_start)
        proto = env["calendar.event"].create(
            {
                "name": "Prototype event",
                "start": "2026-01-05 09:00:00",
                "stop": "2026-01-05 10:00:00",
                "user_id": self.users[0].id,
                "opportunity_id": lead.id,
                "res_model_id": env["ir.model"]._get_id("crm.lead"),
                "res_id": lead.id,
                "partner_ids": [(6, 0, [])],
            }
        )
        env.flush_all()
        leads = self.leads
        overrides = {
            "name": "(ARRAY['Meeting','Call','Visit','Follow-up'])[1 + g % 4] || ' ' || g",
            # Half in the past, half to come: each lead has two, one of each.
            "start": f"{self.hour} + ((g % 2) * 2 - 1) * ((g / 2) % 300 + 1) * interval '1 day'",
            "stop": f"{self.hour} + ((g % 2) * 2 - 1) * ((g / 2) % 300 + 1) * interval '1 day' + interval '1 hour'",
            "user_id": pick(self.users.ids, "(g - 1) / 2 + 1"),
            "opportunity_id": f"{self.lead_start - 1} + 1 + (g - 1) / 2 % {leads}",
            "res_id": f"{self.lead_start - 1} + 1 + (g - 1) / 2 % {leads}",
            "create_date": "now() - (g % 700) * interval '1 day'",
            "write_date": "now() - (g % 700) * interval '1 day'",
        }
        if "crm_lead_id" in env["calendar.event"]._fields:
            overrides["crm_lead_id"] = overrides["opportunity_id"]
        self.event_start = clone(
            self.cr, "calendar_event", proto.id, self.events, overrides
        )
        started = time.perf_counter()
        # Each event attended by its lead's partner, when the lead has one.
        self.cr.execute(
            """INSERT INTO calendar_event_res_partner_rel (calendar_event_id, res_partner_id)
               SELECT e.id, l.partner_id FROM calendar_event e JOIN crm_lead l ON l.id = e.opportunity_id
                WHERE e.id >= %s AND l.partner_id IS NOT NULL""",
            [self.event_start],
        )
        log("calendar_event_res_partner_rel", started)

    def event_dates(self):
        """The add-on's last and next event dates of partners (stored)."""
        if not self.addon:
            return
        started = time.perf_counter()
        # The leads' dates are set with their rows; the partners' from their leads.
        for table, link in (("res_partner", "l.partner_id"),):
            join = (
                ""
                if table == "crm_lead"
                else "JOIN crm_lead l ON l.id = e.opportunity_id"
            )
            self.cr.execute(
                f"""UPDATE {table} t SET date_last_event = d.last, date_next_event = d.next
                      FROM (SELECT {link} AS id,
                                   max(e.start) FILTER (WHERE e.start <= now()) AS last,
                                   min(e.start) FILTER (WHERE e.start > now()) AS next
                              FROM calendar_event e {join}
                             WHERE e.id >= %s AND {link} IS NOT NULL GROUP BY 1) d
                     WHERE t.id = d.id""",  # noqa: S608
                [self.event_start],
            )
        log("event dates of leads and partners", started)

    def run(self):
        started = time.perf_counter()
        self.referentials()
        self.partners_()
        self.leads_()
        self.events_()
        self.event_dates()
        self.env.invalidate_all()
        log(
            f"{self.leads:,} leads, {self.partners:,} partners, {self.events:,} events",
            started,
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--leads", type=int, default=1_000_000)
    parser.add_argument("--db-port", default=None)
    args = parser.parse_args()

    import odoo  # noqa: PLC0415
    from odoo.modules.registry import Registry  # noqa: PLC0415

    options = ["-c", args.config, "-d", args.database]
    if args.db_port:
        options += ["--db_host=/var/run/postgresql", f"--db_port={args.db_port}"]
    odoo.tools.config.parse_config(options)
    with Registry(args.database).cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, CONTEXT)
        if env["ir.config_parameter"].get_param(MARKER):
            log(f"{args.database} already holds the data: nothing to do")
            return
        started = time.perf_counter()
        Generator(env, args.leads).run()
        env["ir.config_parameter"].set_param(MARKER, json.dumps({"leads": args.leads}))
        cr.commit()
        cr.execute("ANALYZE")
        cr.commit()
        log("done, analyzed", started)


if __name__ == "__main__":
    main()
