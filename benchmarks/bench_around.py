#!/usr/bin/env python3
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The search around a place at scale (issue 27): a 20 km search among 100,000
partners and 100,000 leads, on the server, within 100 ms, in constant queries.

On any database where the add-on is installed, in one transaction rolled back
at the end (the database is left as it was):

- copies an existing partner and an existing lead ``--count`` times each, by
  SQL, placed over mainland France: half scattered, half around 20 big towns
  (where salespeople search), a third of the leads assigned to the measured
  salesman; then ``ANALYZE``;
- searches 20 km around ``--searches`` random towns of that set, as a sales
  manager (every record) and as a salesman (own documents: record rules in
  the query), partners then leads, after a warm-up; reports the median, 95th
  percentile and worst time, the records found, and the queries per search.

Not run by CI::

    python benchmarks/bench_around.py -c var/odoo.conf -d crm_prospection_demo \\
        --json var/bench/around.json
"""

import argparse
import json
import os
import platform
import random
import statistics
import time
from datetime import datetime

TOWNS = [  # (latitude, longitude) of 20 French towns
    (48.8566, 2.3522),
    (45.7640, 4.8357),
    (43.2965, 5.3698),
    (43.6047, 1.4442),
    (43.7102, 7.2620),
    (47.2184, -1.5536),
    (48.5734, 7.7521),
    (43.6108, 3.8767),
    (44.8378, -0.5792),
    (50.6292, 3.0573),
    (48.1173, -1.6778),
    (49.2583, 4.0317),
    (45.4397, 4.3872),
    (43.1242, 5.9280),
    (45.1885, 5.7245),
    (47.3220, 5.0415),
    (47.4784, -0.5632),
    (45.8336, 1.2611),
    (47.9030, 1.9093),
    (49.4431, 1.0993),
]


def log(message):
    print(f"[around] {message}", flush=True)


def copy_rows(cr, table, template_id, count, latitude, longitude, overrides):
    """Copy row ``template_id`` of ``table`` ``count`` times with new
    coordinates (SQL arrays indexed by the series) and ``overrides``."""
    cr.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_name = %s AND column_name <> 'id' "
        "AND is_generated = 'NEVER'",
        [table],
    )
    columns = [row[0] for row in cr.fetchall()]
    values = {
        latitude: "coords.lat",
        longitude: "coords.lng",
        **overrides,
    }
    select = ", ".join(values.get(column, f't."{column}"') for column in columns)
    cr.execute(
        f"""INSERT INTO "{table}" ({", ".join(f'"{c}"' for c in columns)})
            SELECT {select}
              FROM "{table}" t, bench_coords coords
             WHERE t.id = %s""",  # noqa: S608 (column names of the catalog)
        [template_id],
    )
    log(f"{table}: {cr.rowcount} rows copied")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--radius", type=float, default=20)
    parser.add_argument("--searches", type=int, default=50)
    parser.add_argument("--json")
    args = parser.parse_args()

    import odoo  # noqa: PLC0415
    from odoo.modules.registry import Registry  # noqa: PLC0415
    from odoo.tools import SQL, config  # noqa: PLC0415

    config.parse_config(["-c", args.config])
    registry = Registry(args.database)
    generator = random.Random(27)
    results = {
        "date": datetime.now().isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "load": os.getloadavg()[0],
        "count": args.count,
        "radius_km": args.radius,
        "searches": {},
    }
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"lang": "en_US"})
        cr.execute("SELECT version()")
        results["postgresql"] = cr.fetchone()[0].split(" on ")[0]
        salesman = env["res.users"].create(
            {
                "name": "Bench around salesman",
                "login": "bench_around_salesman",
                "group_ids": [
                    odoo.Command.link(env.ref("sales_team.group_sale_salesman").id)
                ],
            }
        )
        manager = env["res.users"].create(
            {
                "name": "Bench around manager",
                "login": "bench_around_manager",
                "group_ids": [
                    odoo.Command.link(env.ref("sales_team.group_sale_manager").id)
                ],
            }
        )
        partner = env["res.partner"].create(
            {"name": "Bench prospect", "is_prospect": True, "company_id": False}
        )
        lead = env["crm.lead"].create({"name": "Bench lead", "type": "lead"})
        env.flush_all()
        places = []
        for index in range(args.count):
            if index % 2:
                town = TOWNS[index % len(TOWNS)]
                places.append(
                    (
                        town[0] + generator.gauss(0, 0.25),
                        town[1] + generator.gauss(0, 0.35),
                    )
                )
            else:
                places.append(
                    (generator.uniform(43.0, 50.5), generator.uniform(-1.5, 7.5))
                )
        cr.execute(
            "CREATE TEMP TABLE bench_coords AS SELECT * FROM "
            "unnest(%s::float8[], %s::float8[]) WITH ORDINALITY AS c (lat, lng, n)",
            [[p[0] for p in places], [p[1] for p in places]],
        )
        started = time.perf_counter()
        copy_rows(
            cr,
            "res_partner",
            partner.id,
            args.count,
            "partner_latitude",
            "partner_longitude",
            {"name": "'Bench prospect ' || coords.n"},
        )
        copy_rows(
            cr,
            "crm_lead",
            lead.id,
            args.count,
            "crm_latitude",
            "crm_longitude",
            {
                "name": "'Bench lead ' || coords.n",
                "user_id": f"CASE WHEN coords.n %% 3 = 0 THEN {salesman.id} "
                f"ELSE {manager.id} END",
            },
        )
        cr.execute("ANALYZE res_partner")
        cr.execute("ANALYZE crm_lead")
        results["fill_seconds"] = round(time.perf_counter() - started, 1)
        log(f"filled in {results['fill_seconds']} s")
        centres = [
            (
                town[0] + generator.uniform(-0.1, 0.1),
                town[1] + generator.uniform(-0.1, 0.1),
            )
            for town in (generator.choice(TOWNS) for _search in range(args.searches))
        ]
        for user in (manager, salesman):
            for model in ("res.partner", "crm.lead"):
                Model = env[model].with_user(user)
                Model._crm_search_around(*centres[0], args.radius)  # warm-up
                times, found, queries = [], [], set()
                for centre in centres:
                    before = cr.sql_log_count
                    started = time.perf_counter()
                    rows = Model._crm_search_around(*centre, args.radius)
                    times.append((time.perf_counter() - started) * 1000)
                    queries.add(cr.sql_log_count - before)
                    found.append(len(rows))
                times.sort()
                key = f"{model} as {'manager' if user == manager else 'salesman'}"
                results["searches"][key] = {
                    "median_ms": round(statistics.median(times), 1),
                    "p95_ms": round(times[int(len(times) * 0.95) - 1], 1),
                    "max_ms": round(times[-1], 1),
                    "found_median": statistics.median(found),
                    "found_max": max(found),
                    "queries_per_search": sorted(queries),
                }
                log(f"{key}: {results['searches'][key]}")
                # How PostgreSQL answers one of them: the index, or not.
                query = Model._crm_around_sql(*centres[0], args.radius)
                cr.execute(SQL("EXPLAIN (ANALYZE, COSTS OFF) %s", query))
                results["searches"][key]["plan"] = [row[0] for row in cr.fetchall()]
        cr.rollback()
    if args.json:
        os.makedirs(os.path.dirname(args.json) or ".", exist_ok=True)
        with open(args.json, "w") as file:
            json.dump(results, file, indent=2)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
