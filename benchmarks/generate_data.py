#!/usr/bin/env python3
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Fill a database with CRM data at scale for the benchmarks.

By default: 20,000 partners (companies, prospects and customers, their contacts,
individuals), 100,000 leads across statuses, agencies, industries, sources and
users, 10,000 opportunities and 200,000 calendar events (10 % of them in weekly
recurrences of 10 occurrences), on 20 salespeople in 4 teams.

The same seed gives the same names, e-mails, dates and links in every database:
with ``crm_prospection`` installed the records get its fields too (statuses,
agencies, event types and statuses…); in a database with Odoo's ``crm`` alone
they get what Odoo has (lost leads archived, the same events on the same leads).

How, in minutes rather than hours:
- partners and opportunities go through the ORM's batch ``create`` (with their
  stage, team and partner, so that Odoo computes everything else);
- leads and events, the big tables, are written with ``COPY``: each row starts
  from a prototype record created by the ORM in the same database (so every
  column a row needs has its ORM value), the generated values replace the
  columns they decide, then the ORM recomputes the stored fields that depend on
  them (normalized e-mails and phones, and with the add-on the last and next
  event dates of leads and partners, in batches);
- ``--check`` recomputes every stored computed field of a random sample of
  each model through the ORM and reports those that differ from what is stored.

Run it with the Python that runs Odoo, once per database::

    python benchmarks/generate_data.py -c var/odoo.conf -d DATABASE [--seed 42]
"""

import argparse
import io
import json
import random
import time
import uuid
from datetime import datetime, timedelta

# ----------------------------------------------------------------------
# Volumes and shapes
# ----------------------------------------------------------------------
VOLUMES = {
    "partners": 20_000,
    "leads": 100_000,
    "opportunities": 10_000,
    "events": 200_000,
}
COMPANY_SHARE, INDIVIDUAL_SHARE = 0.25, 0.10  # of partners; the rest are contacts
RECURRING_SHARE, OCCURRENCES = 0.10, 10  # of events; weekly, 10 times
SALESPEOPLE, TEAMS = 20, 4
# crm_prospection's standard statuses (xml ids) and their share of the leads.
STATUSES = [
    ("lead_status_to_process", 0.30),
    ("lead_status_marketing_qualification", 0.15),
    ("lead_status_sales_qualification", 0.15),
    ("lead_status_nurturing", 0.10),
    ("lead_status_converted", 0.15),
    ("lead_status_lost", 0.15),
]
STAGE_SHARES = [0.35, 0.25, 0.20, 0.20]  # New, Qualified, Proposition, Won
EVENT_TYPES = [("meeting", 0.40), ("call", 0.35), ("task", 0.15), ("note", 0.10)]
BATCH = 1000
CONTEXT = {
    "tracking_disable": True,
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
    "mail_notrack": True,
    "no_reset_password": True,
    "lang": "en_US",
}
MARKER = "crm_prospection.benchmark_data"

FIRST_NAMES = (
    "Adèle Agathe Alain Albert Alice Amandine Anne Antoine Arthur Aurélie Baptiste "
    "Benoît Bernard Camille Carla Catherine Cédric Chantal Charles Chloé Christine "
    "Claire Clément Colette Damien Daniel David Delphine Denis Diane Didier Dominique "
    "Élise Émile Emma Éric Étienne Fabien Fabienne Florence François Frédéric Gabriel "
    "Georges Gérard Guillaume Hélène Henri Hugo Inès Isabelle Jacques Jean Jeanne "
    "Jérôme Joël Julie Julien Justine Laura Laurent Léa Léon Louis Louise Luc Lucie "
    "Manon Marc Margaux Marie Martin Mathilde Maxime Michel Monique Nathalie Nicolas "
    "Noémie Olivier Pascal Patrick Paul Pauline Philippe Pierre Raphaël Rémi Renée "
    "Robert Romain Sabine Sandrine Sarah Sébastien Simon Sophie Stéphane Suzanne "
    "Sylvie Théo Thomas Valérie Victor Vincent Virginie Yves Zoé"
).split()
LAST_NAMES = (
    "Martin Bernard Thomas Petit Robert Richard Durand Dubois Moreau Laurent Simon "
    "Michel Lefebvre Leroy Roux David Bertrand Morel Fournier Girard Bonnet Dupont "
    "Lambert Fontaine Rousseau Vincent Muller Lefèvre Faure André Mercier Blanc "
    "Guérin Boyer Garnier Chevalier François Legrand Gauthier Garcia Perrin Robin "
    "Clément Morin Nicolas Henry Roussel Mathieu Gautier Masson Marchand Duval Denis "
    "Dumont Marie Lemaire Noël Meyer Dufour Meunier Brun Blanchard Giraud Joly "
    "Rivière Lucas Brunet Gaillard Barbier Arnaud Martinez Gérard Roche Renard "
    "Schmitt Roy Leroux Colin Vidal Caron Picard Roger Fabre Aubert Lemoine Renaud "
    "Dumas Lacroix Olivier Philippe Bourgeois Pierre Benoît Rey Leclerc Payet "
    "Rolland Leclercq Guillaume Lecomte López Jean Dupuy Guillot Hubert Berger"
).split()
COMPANY_WORDS = (
    "Acier Alpha Atlas Azur Boréal Cap Cèdre Delta Écho Étoile Falaise Fjord Granit "
    "Horizon Iris Jade Kappa Lumière Lynx Marée Mistral Nova Océan Onyx Orion Pilote "
    "Prisme Quartz Rivage Saphir Sigma Solstice Sommet Tilleul Titan Vega Vertige "
    "Zénith Arpège Bastide Comète Dune Érable Garrigue Hélice Lagune Méridien"
).split()
COMPANY_KINDS = (
    "Industries Services Conseil Logistique Bâtiment Distribution Énergie "
    "Informatique Imprimerie Transports Médical Agro Textile Packaging Ingénierie"
).split()
COMPANY_FORMS = ["SA", "SAS", "SARL", "Group", "& Fils", "Partners", ""]
WEBMAILS = ["gmail.com", "yahoo.fr", "outlook.com", "orange.fr", "free.fr"]
SUBJECTS = (
    "Catalog request|Quotation for a new site|Website enquiry|Trade show contact|"
    "Renewal of the maintenance contract|Call back about pricing|Demo request|"
    "Partnership proposal|Tender notice|Referral from a customer|Newsletter reply|"
    "Upgrade of the current equipment|Training needs|Visit at the showroom"
).split("|")
# (country xml id, share, [(zip, city)]); phones are given in that country's format.
PLACES = [
    (
        "base.fr",
        0.70,
        [
            ("75008", "Paris"),
            ("69002", "Lyon"),
            ("13001", "Marseille"),
            ("31000", "Toulouse"),
            ("33000", "Bordeaux"),
            ("59000", "Lille"),
            ("44000", "Nantes"),
            ("67000", "Strasbourg"),
            ("35000", "Rennes"),
            ("38000", "Grenoble"),
            ("06000", "Nice"),
            ("34000", "Montpellier"),
        ],
    ),
    ("base.es", 0.08, [("28001", "Madrid"), ("08001", "Barcelona")]),
    ("base.be", 0.08, [("1000", "Bruxelles"), ("4000", "Liège")]),
    ("base.de", 0.05, [("10115", "Berlin"), ("80331", "München")]),
    ("base.it", 0.05, [("20121", "Milano"), ("00184", "Roma")]),
    ("base.ch", 0.04, [("1201", "Genève"), ("8001", "Zürich")]),
]
PHONE_PREFIX = {
    "base.fr": "+33",
    "base.es": "+34",
    "base.be": "+32",
    "base.de": "+49",
    "base.it": "+39",
    "base.ch": "+41",
}


def log(message, started=None):
    suffix = f" ({time.perf_counter() - started:.1f} s)" if started else ""
    print(f"[generate] {message}{suffix}", flush=True)


def weighted(rnd, choices):
    """One value of [(value, weight)], drawn from ``rnd``."""
    threshold, total = rnd.random(), 0.0
    for value, weight in choices:
        total += weight
        if threshold < total:
            return value
    return choices[-1][0]


def slug(text):
    table = str.maketrans(
        "àâäéèêëîïôöùûüçÀÂÄÉÈÊËÎÏÔÖÙÛÜÇ", "aaaeeeeiioouuucAAAEEEEIIOOUUUC"
    )
    return "".join(c for c in text.translate(table).lower() if c.isalnum())


# ----------------------------------------------------------------------
# COPY helpers
# ----------------------------------------------------------------------
def _copy_value(value):
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, (dict, list)):
        value = json.dumps(value)
    text = str(value)
    return (
        text.replace("\\", "\\\\")
        .replace("\t", "\\t")
        .replace("\n", "\\n")
        .replace("\r", "\\r")
    )


def copy_rows(cr, table, columns, rows):
    """COPY ``rows`` (tuples in ``columns`` order) into ``table``, in chunks."""
    statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    buffer = io.StringIO()
    count = 0
    for row in rows:
        buffer.write("\t".join(_copy_value(value) for value in row))
        buffer.write("\n")
        count += 1
        if count % 20000 == 0:
            buffer.seek(0)
            cr.copy_expert(statement, buffer)
            buffer = io.StringIO()
    buffer.seek(0)
    cr.copy_expert(statement, buffer)
    return count


def reserve_ids(cr, table, count):
    """``count`` consecutive ids of ``table``'s sequence, taken at once."""
    cr.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")
    cr.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
    start = cr.fetchone()[0] + 1
    cr.execute(
        "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)",
        [table, start + count - 1],
    )
    return list(range(start, start + count))


def prototype_row(cr, table, record_id):
    cr.execute(f"SELECT * FROM {table} WHERE id = %s", [record_id])  # noqa: S608
    columns = [column.name for column in cr.description]
    return dict(zip(columns, cr.fetchone(), strict=True))


def clone_rows(cr, table, prototypes, rows):
    """COPY rows made of a prototype row (``row['_proto']``) and its overrides;
    keys that are not columns of ``table`` (fields of a missing add-on) are
    dropped."""
    columns = list(next(iter(prototypes.values())))

    def full(row):
        base = prototypes[row["_proto"]]
        return tuple(row.get(column, base[column]) for column in columns)

    return copy_rows(cr, table, columns, (full(row) for row in rows))


# ----------------------------------------------------------------------
# The generator
# ----------------------------------------------------------------------
class Generator:
    def __init__(self, env, seed, scale):
        self.env = env
        self.cr = env.cr
        self.seed = seed
        self.rnd = random.Random(seed)
        self.volumes = {
            key: max(1, int(value * scale)) for key, value in VOLUMES.items()
        }
        self.addon = bool(
            env["ir.module.module"].search_count(
                [("name", "=", "crm_prospection"), ("state", "=", "installed")]
            )
        )
        self.now = datetime.now().replace(microsecond=0, second=0)

    # -- referentials -------------------------------------------------
    def section(self, number):
        """Each part draws from its own stream: the same values in every
        database, whatever the other parts drew."""
        self.rnd = random.Random(self.seed * 100 + number)

    def referentials(self):
        env = self.env
        settings = {"group_use_lead": True}
        if self.addon:
            settings["group_crm_agency"] = True
        env["res.config.settings"].create(settings).execute()
        group = env.ref("sales_team.group_sale_salesman_all_leads")
        self.users = env["res.users"].create(
            [
                {
                    "name": f"{FIRST_NAMES[i * 3]} {LAST_NAMES[i * 5]}",
                    "login": f"bench_sales_{i + 1:02d}",
                    "email": f"bench_sales_{i + 1:02d}@example.com",
                    "group_ids": [(6, 0, [group.id])],
                }
                for i in range(SALESPEOPLE)
            ]
        )
        self.manager = env["res.users"].create(
            {
                "name": "Benchmark Manager",
                "login": "bench_manager",
                "email": "bench_manager@example.com",
                "group_ids": [(6, 0, [env.ref("sales_team.group_sale_manager").id])],
            }
        )
        self.teams = env["crm.team"].create(
            [
                {
                    "name": f"Bench team {t + 1}",
                    "member_ids": [(6, 0, self.users[t::TEAMS].ids)],
                }
                for t in range(TEAMS)
            ]
        )
        self.team_of = {
            user.id: self.teams[i % TEAMS].id for i, user in enumerate(self.users)
        }
        self.sources = env["utm.source"].create(
            [{"name": f"Bench source {i + 1}"} for i in range(10)]
        )
        self.campaigns = env["utm.campaign"].create(
            [{"name": f"Bench campaign {i + 1}"} for i in range(5)]
        )
        self.tags = env["crm.tag"].create(
            [{"name": f"Bench tag {i + 1}", "color": i % 12} for i in range(12)]
        )
        self.categories = env["res.partner.category"].create(
            [{"name": f"Bench category {i + 1}"} for i in range(8)]
        )
        self.industries = env["res.partner.industry"].search([])
        self.stages = env["crm.stage"].search([], order="sequence, id")[:4]
        self.lost_reasons = env["crm.lost.reason"].search([])
        self.country_records = {xmlid: env.ref(xmlid) for xmlid, _s, _c in PLACES}
        self.countries = {xmlid: rec.id for xmlid, rec in self.country_records.items()}
        if self.addon:
            self.agencies = env["crm.agency"].create(
                [
                    {
                        "name": f"Agency {city}",
                        "user_ids": [(6, 0, self.users[a::6].ids)],
                    }
                    for a, city in enumerate(
                        ["Paris", "Lyon", "Lille", "Bordeaux", "Nantes", "Marseille"]
                    )
                ]
            )
            self.positions = env["res.partner.job_position"].create(
                [
                    {"name": name}
                    for name in (
                        "Chief executive|Purchasing manager|Sales director|"
                        "IT manager|Plant manager|Marketing manager|Buyer|"
                        "Office manager|Engineer|Consultant|Accountant|"
                        "Logistics manager|Quality manager|Assistant|Founder"
                    ).split("|")
                ]
            )
            self.departments = env["res.partner.department"].create(
                [
                    {"name": name}
                    for name in (
                        "Management|Purchasing|Sales|IT|Production|Marketing|"
                        "Finance|Logistics"
                    ).split("|")
                ]
            )
            self.statuses = {
                xmlid: env.ref(f"crm_prospection.{xmlid}").id for xmlid, _s in STATUSES
            }

    # -- random values --------------------------------------------------
    def person(self):
        rnd = self.rnd
        return rnd.choice(FIRST_NAMES), rnd.choice(LAST_NAMES)

    def company_name(self):
        rnd = self.rnd
        name = f"{rnd.choice(COMPANY_WORDS)} {rnd.choice(COMPANY_KINDS)}"
        form = rnd.choice(COMPANY_FORMS)
        return f"{name} {form}".strip()

    def place(self):
        rnd = self.rnd
        xmlid = weighted(rnd, [(p[0], p[1]) for p in PLACES])
        cities = next(p[2] for p in PLACES if p[0] == xmlid)
        zip_code, city = rnd.choice(cities)
        number = rnd.randint(1, 180)
        way = rnd.choice(["rue", "avenue", "boulevard"])
        street = f"{number} {way} {rnd.choice(LAST_NAMES)}"
        return xmlid, zip_code, city, street

    def phone(self, xmlid):
        rnd = self.rnd
        digits = "".join(str(rnd.randint(0, 9)) for _ in range(8))
        mobile = rnd.choice("1234567")
        pairs = " ".join(digits[i : i + 2] for i in range(0, 8, 2))
        return f"{PHONE_PREFIX[xmlid]} {mobile} {pairs}"

    def email(self, first, last, domain):
        rnd = self.rnd
        local = rnd.choice(
            [f"{slug(first)}.{slug(last)}", f"{slug(first)[0]}{slug(last)}", slug(last)]
        )
        return f"{local}{rnd.randint(1, 999) if rnd.random() < 0.3 else ''}@{domain}"

    def past(self, days=730):
        """A moment in the last ``days`` days, in office hours."""
        moment = self.now - timedelta(days=self.rnd.randint(0, days))
        return moment.replace(
            hour=self.rnd.randint(8, 17), minute=self.rnd.choice((0, 15, 30, 45))
        )

    # -- partners (ORM) ---------------------------------------------------
    def partners(self):
        started = time.perf_counter()
        self.section(1)
        rnd = self.rnd
        total = self.volumes["partners"]
        n_companies = int(total * COMPANY_SHARE)
        n_individuals = int(total * INDIVIDUAL_SHARE)
        n_contacts = total - n_companies - n_individuals
        Partner = self.env["res.partner"]

        def marketing(values):
            roll = rnd.random()
            score = str(rnd.randint(0, 5))
            size = rnd.choice(
                ["1_20", "20_100", "100_500", "500_1000", "1000_2000", "2000_more"]
            )
            agency = rnd.randrange(6)
            key = rnd.random() < 0.05
            if self.addon:
                values.update(
                    is_prospect=roll < 0.7,
                    lead_score=score,
                    company_size=size,
                    agency_id=self.agencies[agency].id,
                    is_key_account=key,
                )
            if roll >= 0.7:
                values["customer_rank"] = 1
            return values

        def common(values, xmlid, zip_code, city, street):
            user = rnd.choice(self.users)
            values.update(
                country_id=self.countries[xmlid],
                zip=zip_code,
                city=city,
                street=street,
                phone=self.phone(xmlid),
                user_id=user.id,
            )
            return values

        company_values, self.company_domains = [], []
        for _index in range(n_companies):
            name = self.company_name()
            suffix = f"{rnd.randint(1, 99)}.{rnd.choice(['fr', 'com', 'eu'])}"
            domain = f"{slug(name)[:20]}{suffix}"
            self.company_domains.append(domain)
            values = common(
                {
                    "name": name,
                    "is_company": True,
                    "email": f"contact@{domain}",
                    "website": f"https://www.{domain}",
                    "industry_id": rnd.choice(self.industries).id,
                    "category_id": [
                        (6, 0, rnd.sample(self.categories.ids, rnd.randint(0, 2)))
                    ],
                },
                *self.place(),
            )
            company_values.append(marketing(values))
        self.companies = self._create_batches(Partner, company_values)
        log(f"{len(self.companies)} companies", started)
        contact_values = []
        for _index in range(n_contacts):
            company_index = rnd.randrange(n_companies)
            first, last = self.person()
            values = {
                "name": f"{first} {last}",
                "parent_id": self.companies[company_index].id,
                "email": self.email(first, last, self.company_domains[company_index]),
                "phone": self.phone("base.fr"),
                "function": "",
            }
            position, department = rnd.randrange(15), rnd.randrange(8)
            if self.addon:
                values.update(
                    job_position_id=self.positions[position].id,
                    department_id=self.departments[department].id,
                )
            contact_values.append(values)
        self.contacts = self._create_batches(Partner, contact_values)
        log(f"{len(self.contacts)} contacts", started)
        individual_values = []
        for _index in range(n_individuals):
            first, last = self.person()
            values = common(
                {
                    "name": f"{first} {last}",
                    "email": self.email(first, last, rnd.choice(WEBMAILS)),
                },
                *self.place(),
            )
            individual_values.append(marketing(values))
        self.individuals = self._create_batches(Partner, individual_values)
        log(f"{len(self.individuals)} individuals", started)
        self.contacts_of = {}
        for contact in self.contacts:
            self.contacts_of.setdefault(contact.parent_id.id, []).append(contact.id)

    def _create_batches(self, model, values_list):
        records = model.browse()
        for start in range(0, len(values_list), BATCH):
            batch = model.create(values_list[start : start + BATCH])
            self.env.flush_all()
            records |= batch
            self.env.invalidate_all()
        return records

    # -- leads (COPY) -----------------------------------------------------
    def leads(self):
        started = time.perf_counter()
        self.section(2)
        env, cr, rnd = self.env, self.cr, self.rnd
        Lead = env["crm.lead"]
        first_stage = self.stages[0]
        proto_values = {
            "name": "Prototype",
            "type": "lead",
            "user_id": self.users[0].id,
            "team_id": self.teams[0].id,
            "stage_id": first_stage.id,
            "contact_name": "Proto Type",
            "email_from": "proto@example.com",
            "phone": "+33 1 23 45 67 89",
        }
        prototype = Lead.create(proto_values)
        self.env.flush_all()
        prototypes = {"lead": prototype_row(cr, "crm_lead", prototype.id)}
        tag_pairs = []
        count = self.volumes["leads"]
        ids = reserve_ids(cr, "crm_lead", count)
        self.lead_ids = ids
        self.lead_user = {}
        self.converted_leads = []
        rows = []
        status_choices = list(STATUSES)
        n_companies = len(self.companies)
        for lead_id in ids:
            first, last = self.person()
            if rnd.random() < 0.3:
                company_index = rnd.randrange(n_companies)
                company = self.companies[company_index].name
                domain = self.company_domains[company_index]
            else:
                company_index = None
                company = self.company_name()
                domain = f"{slug(company)[:20]}.{rnd.choice(['fr', 'com'])}"
            if rnd.random() < 0.15:
                domain = rnd.choice(WEBMAILS)
            email = self.email(first, last, domain) if rnd.random() < 0.95 else None
            xmlid, zip_code, city, street = self.place()
            phone = self.phone(xmlid) if rnd.random() < 0.9 else None
            user = rnd.choice(self.users) if rnd.random() < 0.9 else None
            team_id = self.team_of[user.id] if user else rnd.choice(self.teams).id
            created = self.past()
            status = weighted(rnd, status_choices)
            subject = rnd.choice(SUBJECTS)
            tags = rnd.sample(self.tags.ids, rnd.choice((0, 0, 1, 1, 2, 3)))
            priority = weighted(rnd, [("0", 0.5), ("1", 0.3), ("2", 0.15), ("3", 0.05)])
            source = rnd.choice(self.sources).id if rnd.random() < 0.8 else None
            campaign = rnd.choice(self.campaigns).id if rnd.random() < 0.2 else None
            lost_reason = rnd.choice(self.lost_reasons).id
            fallback_company = rnd.randrange(n_companies)
            # Drawn in both databases, used where the add-on is installed.
            extra = (
                str(rnd.randint(0, 5)),
                rnd.choice(
                    [None, "1_20", "20_100", "100_500", "500_1000", "1000_2000"]
                ),
                rnd.random() < 0.03,
                rnd.random() < 0.05,
                rnd.randrange(len(self.industries)) if rnd.random() < 0.8 else None,
                rnd.randrange(6) if rnd.random() < 0.85 else None,
                rnd.randrange(15) if rnd.random() < 0.6 else None,
                rnd.randrange(8) if rnd.random() < 0.4 else None,
                rnd.randrange(8) if rnd.random() < 0.3 else None,
                rnd.random() < 0.05,
                rnd.random() < 0.05,
            )
            lost = status == "lead_status_lost"
            row = {
                "_proto": "lead",
                "id": lead_id,
                "name": f"{subject} – {company}",
                "contact_name": f"{first} {last}",
                "partner_name": company,
                "email_from": email,
                "phone": phone,
                "website": f"https://www.{domain}" if domain not in WEBMAILS else None,
                "street": street,
                "zip": zip_code,
                "city": city,
                "country_id": self.countries[xmlid],
                "state_id": None,
                "user_id": user.id if user else None,
                "team_id": team_id,
                # Odoo leaves the company of an unassigned lead to its team's.
                "company_id": prototypes["lead"]["company_id"] if user else None,
                "source_id": source,
                "campaign_id": campaign,
                "priority": priority,
                "create_date": created,
                "write_date": created,
                "date_open": created if user else None,
                "day_open": 0.0 if user else None,
                "date_last_stage_update": created,
                "active": not lost,
                "probability": 0.0 if lost else prototypes["lead"]["probability"],
                "automated_probability": 0.0
                if lost
                else prototypes["lead"]["automated_probability"],
                "won_status": "lost" if lost else "pending",
                "lost_reason_id": lost_reason if lost else None,
                "date_closed": created + timedelta(days=30) if lost else None,
                "day_close": 30.0 if lost else None,
                "description": f"<p>{subject}. Contact: {first} {last}.</p>",
            }
            self.lead_user[lead_id] = row["user_id"] or self.users[0].id
            for tag in tags:
                tag_pairs.append((lead_id, tag))
            if self.addon:
                (score, size, key, nurturing, industry, agency, position, department,
                 category, dnc, dne) = extra  # fmt: skip
                row.update(
                    lead_status_id=self.statuses[status],
                    first_name=first,
                    last_name=last,
                    lead_score=score,
                    company_size=size,
                    is_key_account=key,
                    is_nurturing=nurturing or status == "lead_status_nurturing",
                    industry_id=self.industries[industry].id
                    if industry is not None
                    else None,
                    agency_id=self.agencies[agency].id if agency is not None else None,
                    job_position_id=self.positions[position].id
                    if position is not None
                    else None,
                    function=self.positions[position].name
                    if position is not None
                    else None,
                    department_id=self.departments[department].id
                    if department is not None
                    else None,
                    partner_category_id=self.categories[category].id
                    if category is not None
                    else None,
                    do_not_call=dnc,
                    do_not_email=dne,
                )
                if status == "lead_status_converted":
                    company_id = self.companies[
                        fallback_company if company_index is None else company_index
                    ].id
                    contact = (self.contacts_of.get(company_id) or [None])[0]
                    row.update(
                        converted_partner_id=company_id,
                        converted_contact_id=contact,
                        date_conversion=created + timedelta(days=20),
                    )
                    self.converted_leads.append(lead_id)
            row.update(self.contact_fields(email, phone, xmlid))
            rows.append(row)
        clone_rows(cr, "crm_lead", prototypes, rows)
        copy_rows(cr, "crm_tag_rel", ["lead_id", "tag_id"], tag_pairs)
        log(f"{len(rows)} leads copied", started)
        prototype.unlink()
        self.env.invalidate_all()

    def contact_fields(self, email, phone, xmlid):
        """The stored fields crm.lead derives from an e-mail and a phone, with
        the helpers of Odoo's own computes (``--check`` compares them with the
        ORM's)."""
        from odoo.exceptions import UserError  # noqa: PLC0415
        from odoo.tools import email_normalize, email_normalize_all  # noqa: PLC0415

        from odoo.addons.iap.tools import iap_tools  # noqa: PLC0415
        from odoo.addons.mail.tools import mail_validation  # noqa: PLC0415
        from odoo.addons.phone_validation.tools import (  # noqa: PLC0415
            phone_validation,
        )

        values = {
            "email_normalized": None,
            "email_domain_criterion": None,
            "email_state": None,
            "phone_sanitized": None,
            "phone_state": None,
        }
        if email:
            normalized = email_normalize(email, strict=False) or None
            values["email_normalized"] = normalized
            values["email_domain_criterion"] = (
                iap_tools.mail_prepare_for_domain_search(normalized) or None
            )
            values["email_state"] = (
                "correct"
                if any(
                    mail_validation.mail_validate(e) for e in email_normalize_all(email)
                )
                else "incorrect"
            )
        if phone:
            country = self.country_records[xmlid]
            values["phone_sanitized"] = (
                self.env["crm.lead"]._phone_format_number(phone, country) or None
            )
            try:
                parsed = phone_validation.phone_parse(phone, country.code)
                values["phone_state"] = "correct" if parsed else None
            except UserError:
                values["phone_state"] = "incorrect"
        return values

    def recompute(self, model_name, ids, field_names, batch=20000):
        """Let the ORM recompute stored fields, by batches."""
        model = self.env[model_name].with_context(active_test=False)
        for start in range(0, len(ids), batch):
            records = model.browse(ids[start : start + batch])
            for name in field_names:
                self.env.add_to_compute(model._fields[name], records)
            self.env.flush_all()
            self.env.invalidate_all()

    # -- opportunities (ORM) --------------------------------------------
    def opportunities(self):
        started = time.perf_counter()
        self.section(3)
        rnd = self.rnd
        count = self.volumes["opportunities"]
        stage_choices = list(zip(self.stages.ids, STAGE_SHARES, strict=True))
        values_list = []
        origins = list(self.converted_leads)
        random.Random(self.seed).shuffle(origins)
        for index in range(count):
            if rnd.random() < 0.6:
                company = rnd.choice(self.companies)
                partner_id = (self.contacts_of.get(company.id) or [company.id])[0]
            else:
                partner_id = rnd.choice(self.individuals).id
            user = rnd.choice(self.users)
            stage = weighted(rnd, stage_choices)
            revenue = rnd.randint(1, 200) * 500
            lost = rnd.random() < 0.1 and stage != self.stages[-1].id
            values = {
                "name": f"{rnd.choice(SUBJECTS)} #{index + 1}",
                "type": "opportunity",
                "partner_id": partner_id,
                "user_id": user.id,
                "team_id": self.team_of[user.id],
                "stage_id": stage,
                "expected_revenue": revenue,
                "priority": weighted(rnd, [("0", 0.5), ("1", 0.3), ("2", 0.2)]),
                "date_deadline": (
                    self.now + timedelta(days=rnd.randint(-200, 200))
                ).date(),
                "tag_ids": [(6, 0, rnd.sample(self.tags.ids, rnd.randint(0, 2)))],
            }
            if lost:
                values.update(
                    active=False, probability=0, lost_reason_id=self.lost_reasons[0].id
                )
            from_lead = rnd.random() < 0.8
            if self.addon and index < len(origins) and from_lead:
                values["origin_lead_id"] = origins[index]
            values_list.append(values)
        opportunities = self._create_batches(
            self.env["crm.lead"].with_context(default_type="opportunity"), values_list
        )
        self.opportunity_ids = opportunities.ids
        self.opportunity_user = {
            opportunity.id: values["user_id"]
            for opportunity, values in zip(opportunities, values_list, strict=True)
        }
        self.opportunity_partner = {
            opportunity.id: values["partner_id"]
            for opportunity, values in zip(opportunities, values_list, strict=True)
        }
        # Creation dates spread like the leads'.
        self.cr.execute(
            "UPDATE crm_lead SET create_date = now() at time zone 'UTC'"
            " - (id %% 700) * interval '1 day' WHERE id = ANY(%s)",
            [opportunities.ids],
        )
        if self.addon:
            self.cr.execute(
                "UPDATE crm_lead lead SET converted_opportunity_id = opp.id"
                "  FROM crm_lead opp"
                " WHERE opp.origin_lead_id = lead.id AND opp.id = ANY(%s)",
                [opportunities.ids],
            )
        self.env.invalidate_all()
        log(f"{len(opportunities)} opportunities", started)

    # -- events (COPY) --------------------------------------------------
    def events(self):
        started = time.perf_counter()
        self.section(4)
        env, cr, rnd = self.env, self.cr, self.rnd
        Event = env["calendar.event"].with_context(
            crm_prospection_event=True, no_mail_to_attendees=True, dont_notify=True
        )
        lead_model = env["ir.model"]._get_id("crm.lead")
        partner_model = env["ir.model"]._get_id("res.partner")
        anchor = self.now.replace(hour=9, minute=0)
        monday = anchor - timedelta(days=anchor.weekday())
        base = {
            "name": "Prototype",
            "start": anchor,
            "stop": anchor + timedelta(hours=1),
            "user_id": self.users[0].id,
            "partner_ids": [(6, 0, [self.users[0].partner_id.id])],
        }
        single = Event.create(dict(base))
        weekdays = ["mon", "tue", "wed", "thu", "fri"]
        recurring = Event.browse()
        for day, weekday in enumerate(weekdays):
            start = monday + timedelta(days=day)
            recurring |= Event.create(
                dict(
                    base,
                    start=start,
                    stop=start + timedelta(hours=1),
                    recurrency=True,
                    rrule_type="weekly",
                    interval=1,
                    end_type="count",
                    count=OCCURRENCES,
                    **{weekday: True},
                )
            )
        env.flush_all()
        prototypes = {"event": prototype_row(cr, "calendar_event", single.id)}
        prototypes["occurrence"] = prototype_row(cr, "calendar_event", recurring[0].id)
        attendee = single.attendee_ids[:1]
        attendee_proto = {
            "attendee": prototype_row(cr, "calendar_attendee", attendee.id)
        }
        recurrence_protos = {
            weekday: prototype_row(cr, "calendar_recurrence", event.recurrence_id.id)
            for weekday, event in zip(weekdays, recurring, strict=True)
        }
        total = self.volumes["events"]
        n_series = int(total * RECURRING_SHARE) // OCCURRENCES
        n_single = total - n_series * OCCURRENCES
        event_ids = reserve_ids(cr, "calendar_event", total)
        series_ids = reserve_ids(cr, "calendar_recurrence", n_series)
        user_partner = {user.id: user.partner_id.id for user in self.users}
        partners = self.companies | self.individuals
        partner_ids = partners.ids
        n_leads = len(self.lead_ids)

        def target():
            """What the event is about: (model id, record id, lead id, partner id)."""
            roll = rnd.random()
            if roll < 0.6:
                # A few leads get many events, most get few: a skewed pick.
                lead_id = self.lead_ids[int(n_leads * rnd.random() ** 1.6)]
                return lead_model, lead_id, lead_id, None, self.lead_user[lead_id]
            if roll < 0.85:
                opportunity_id = rnd.choice(self.opportunity_ids)
                return (
                    lead_model,
                    opportunity_id,
                    opportunity_id,
                    self.opportunity_partner[opportunity_id],
                    self.opportunity_user[opportunity_id],
                )
            partner_id = rnd.choice(partner_ids)
            return (
                partner_model,
                partner_id,
                None,
                partner_id,
                rnd.choice(self.users).id,
            )

        events, attendees, guests, recurrences = [], [], [], []

        def add_event(event_id, proto, start, about, minutes, extra):
            model_id, res_id, lead_id, partner_id, user_id = about
            event_type = weighted(rnd, EVENT_TYPES)
            if start < self.now:
                state = weighted(
                    rnd, [("done", 0.8), ("cancelled", 0.1), ("planned", 0.1)]
                )
            else:
                state = weighted(rnd, [("planned", 0.95), ("cancelled", 0.05)])
            direction = rnd.choice(["outbound", "outbound", "inbound"])
            priority = weighted(
                rnd, [("normal", 0.7), ("low", 0.1), ("high", 0.15), ("urgent", 0.05)]
            )
            row = {
                "_proto": proto,
                "id": event_id,
                "name": f"{event_type.capitalize()}: {rnd.choice(SUBJECTS)}",
                "start": start,
                "stop": start + timedelta(minutes=minutes),
                "duration": minutes / 60,
                "user_id": user_id,
                "res_model_id": model_id,
                "res_model": "crm.lead" if model_id == lead_model else "res.partner",
                "res_id": res_id,
                "opportunity_id": lead_id,
                "access_token": None,
                "create_date": min(start, self.now)
                - timedelta(days=rnd.randint(0, 20)),
                "write_date": min(start, self.now),
                **extra,
            }
            if self.addon:
                row.update(
                    crm_event_type=event_type,
                    crm_state=state,
                    call_direction=direction,
                    crm_priority=priority,
                )
            events.append(row)
            people = [user_partner.get(user_id, self.users[0].partner_id.id)]
            if partner_id and partner_id not in people:
                people.append(partner_id)
            for person in people:
                guests.append((event_id, person))
                attendees.append(
                    {
                        "_proto": "attendee",
                        "event_id": event_id,
                        "partner_id": person,
                        "common_name": None,
                        "access_token": uuid.UUID(int=rnd.getrandbits(128)).hex,
                        "state": "accepted" if person == people[0] else "needsAction",
                        "create_date": row["create_date"],
                        "write_date": row["create_date"],
                    }
                )

        position = 0
        for _index in range(n_single):
            start = self.now + timedelta(
                days=rnd.randint(-700, 150), hours=rnd.randint(-3, 8)
            )
            start = start.replace(minute=rnd.choice((0, 15, 30, 45)))
            add_event(
                event_ids[position],
                "event",
                start,
                target(),
                rnd.choice((15, 30, 60, 90)),
                {},
            )
            position += 1
        for series_id in series_ids:
            day = rnd.randrange(5)
            first = monday + timedelta(weeks=rnd.randint(-100, 10), days=day)
            about = target()
            first_id = event_ids[position]
            for occurrence in range(OCCURRENCES):
                add_event(
                    event_ids[position],
                    "occurrence",
                    first + timedelta(weeks=occurrence),
                    about,
                    60,
                    {
                        "recurrence_id": series_id,
                        "recurrency": True,
                        "follow_recurrence": True,
                    },
                )
                position += 1
            recurrences.append(
                {
                    "_proto": weekdays[day],
                    "id": series_id,
                    "base_event_id": first_id,
                    "trigger_id": None,
                    "create_date": first,
                    "write_date": first,
                }
            )
        series = recurring.recurrence_id
        (series.calendar_event_ids | single).unlink()
        series.exists().unlink()
        env.flush_all()
        # Recurrences first (events point to them), then base events point back.
        recurrence_rows = [dict(row, base_event_id=None) for row in recurrences]
        clone_rows(cr, "calendar_recurrence", recurrence_protos, recurrence_rows)
        clone_rows(cr, "calendar_event", prototypes, events)
        cr.execute(
            "UPDATE calendar_recurrence r SET base_event_id = v.event_id"
            "  FROM unnest(%s::int[], %s::int[]) AS v(id, event_id) WHERE r.id = v.id",
            [
                [row["id"] for row in recurrences],
                [row["base_event_id"] for row in recurrences],
            ],
        )
        copy_rows(
            cr,
            "calendar_event_res_partner_rel",
            ["calendar_event_id", "res_partner_id"],
            guests,
        )
        attendee_ids = reserve_ids(cr, "calendar_attendee", len(attendees))
        for attendee_id, row in zip(attendee_ids, attendees, strict=True):
            row["id"] = attendee_id
        clone_rows(cr, "calendar_attendee", attendee_proto, attendees)
        cr.execute(
            "UPDATE calendar_attendee a SET common_name = p.name"
            "  FROM res_partner p WHERE p.id = a.partner_id AND a.id = ANY(%s)",
            [attendee_ids],
        )
        env.invalidate_all()
        log(
            f"{len(events)} events ({n_series} recurrences of {OCCURRENCES}), "
            f"{len(attendees)} attendees copied",
            started,
        )
        if self.addon:
            cr.execute(
                "SELECT DISTINCT opportunity_id FROM calendar_event"
                " WHERE opportunity_id IS NOT NULL"
            )
            leads = sorted(row[0] for row in cr.fetchall())
            self.recompute("crm.lead", leads, ["date_last_event", "date_next_event"])
            log(
                f"last and next events of {len(leads)} leads and opportunities", started
            )
            cr.execute("SELECT id FROM res_partner ORDER BY id")
            all_partners = [row[0] for row in cr.fetchall()]
            self.recompute(
                "res.partner",
                all_partners,
                ["date_last_event", "date_next_event"],
                5000,
            )
            log(f"last and next events of {len(all_partners)} partners", started)

    # -- check ------------------------------------------------------------
    def check(self, sample=200):
        """Recompute the stored computed fields of a sample through the ORM and
        count the differences with what is stored (by field)."""
        started = time.perf_counter()
        env, cr = self.env, self.cr
        rnd = random.Random(self.seed + 1)
        # Fields whose compute reads the clock or keeps what is set by hand.
        clock = {"date_open", "date_last_stage_update", "date_closed", "day_open",
                 "day_close", "date_automation_last", "write_date"}  # fmt: skip
        # Odoo sets a lost lead's automated probability to 0 and leaves it there.
        only = {"crm.lead.automated_probability": "won_status = 'pending'"}
        report = {}
        targets = {
            "crm.lead": ("crm_lead", "type = 'lead'"),
            "res.partner": ("res_partner", "id > 0"),
            "calendar.event": ("calendar_event", "id > 0"),
        }
        for model_name, (table, where) in targets.items():
            model = env[model_name].with_context(active_test=False)
            cr.execute(f"SELECT id FROM {table} WHERE {where}")  # noqa: S608
            all_ids = [row[0] for row in cr.fetchall()]
            ids = sorted(rnd.sample(all_ids, min(sample, len(all_ids))))
            records = model.browse(ids)
            # Stored, computed and read-only: derived values only (an editable
            # computed field may hold what a user typed).
            fields_ = [
                field
                for field in model._fields.values()
                if field.store
                and field.compute
                and field.readonly
                and field.column_type
                and field.name not in clock
                and not field.inherited
            ]
            for field in fields_:
                condition = only.get(f"{model_name}.{field.name}", "true")
                cr.execute(
                    f"SELECT id, {field.name} FROM {table}"  # noqa: S608
                    f" WHERE id = ANY(%s) AND {condition}",
                    [ids],
                )
                before = dict(cr.fetchall())
                with cr.savepoint(flush=False) as savepoint:
                    env.invalidate_all()
                    records.fetch(list(model._fields))
                    env.add_to_compute(field, records)
                    env.flush_all()
                    cr.execute(
                        f"SELECT id, {field.name} FROM {table} WHERE id = ANY(%s)",  # noqa: S608
                        [ids],
                    )
                    after = dict(cr.fetchall())
                    savepoint.rollback()
                env.invalidate_all()
                differences = sum(1 for key in before if before[key] != after.get(key))
                if differences:
                    report[f"{model_name}.{field.name}"] = differences
        log(
            f"check of {sample} records per model: "
            + (json.dumps(report) if report else "every stored computed field agrees"),
            started,
        )
        return report

    # -- all ---------------------------------------------------------------
    def run(self):
        started = time.perf_counter()
        log(
            f"seed {self.seed}, "
            f"{'crm_prospection' if self.addon else 'Odoo crm alone'}, "
            + ", ".join(f"{value} {key}" for key, value in self.volumes.items())
        )
        self.referentials()
        self.partners()
        self.leads()
        self.opportunities()
        self.events()
        log("done", started)


def counts(cr):
    result = {}
    for label, query in (
        ("leads", "SELECT count(*) FROM crm_lead WHERE type = 'lead'"),
        ("opportunities", "SELECT count(*) FROM crm_lead WHERE type = 'opportunity'"),
        ("partners", "SELECT count(*) FROM res_partner"),
        ("events", "SELECT count(*) FROM calendar_event"),
        (
            "recurring events",
            "SELECT count(*) FROM calendar_event WHERE recurrence_id IS NOT NULL",
        ),
        ("attendees", "SELECT count(*) FROM calendar_attendee"),
    ):
        cr.execute(query)
        result[label] = cr.fetchone()[0]
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--scale",
        type=float,
        default=1.0,
        help="multiply every volume (0.01: a quick try)",
    )
    parser.add_argument(
        "--check", type=int, default=0, metavar="N",
        help="then recompute the stored fields of N records per model and compare",
    )  # fmt: skip
    args = parser.parse_args()

    import odoo  # noqa: PLC0415
    from odoo.modules.registry import Registry  # noqa: PLC0415

    odoo.tools.config.parse_config(["-c", args.config, "-d", args.database])
    registry = Registry(args.database)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, CONTEXT)
        Param = env["ir.config_parameter"]
        done = Param.get_param(MARKER)
        generator = Generator(env, args.seed, args.scale)
        if done:
            log(f"{args.database} already holds benchmark data ({done}): nothing to do")
        else:
            generator.run()
            Param.set_param(
                MARKER, json.dumps({"seed": args.seed, "scale": args.scale})
            )
            cr.commit()
            # What Odoo's daily cron does: predictive lead scoring frequencies, and
            # the automated probabilities of open leads and opportunities.
            # The history starts two years ago (Settings › CRM › Predictive Lead
            # Scoring).
            started = time.perf_counter()
            start = (generator.now - timedelta(days=800)).date()
            Param.set_param("crm.pls_start_date", str(start))
            env["crm.lead"]._cron_update_automated_probabilities()
            cr.commit()
            log("predictive lead scoring (Odoo's cron)", started)
            cr.execute("ANALYZE")
            cr.commit()
        log(json.dumps(counts(cr)))
        if args.check:
            generator.check(args.check)
            cr.rollback()


if __name__ == "__main__":
    main()
