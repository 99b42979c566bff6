#!/usr/bin/env python3
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""City import benchmark (GEO-2): crm_prospection's wizard against the OCA's.

Imports a whole GeoNames country file (default: Spain, ``ES.txt`` from the
project's shared data) with ``crm.city.import`` and with the OCA's
``city.zip.geonames.import`` (``base_location_geonames_import``), both in their
"download" mode, from an archive served on the loopback interface. Each importer
runs twice (first import, then the same file again) in its own transaction,
rolled back afterwards, so both start from the same database.

Run it with the Python that runs Odoo, on a database where both add-ons are
installed (without demo data)::

    odoo -c var/odoo.conf -d geo_bench --stop-after-init \\
        -i crm_prospection,base_location_geonames_import
    python benchmarks/bench_city_import.py -c var/odoo.conf -d geo_bench
"""

import argparse
import functools
import http.server
import json
import os
import platform
import resource
import tempfile
import threading
import time
import zipfile
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "geonames"


def serve(folder):
    """An HTTP server of ``folder`` on the loopback interface, in a thread."""
    handler = functools.partial(
        http.server.SimpleHTTPRequestHandler, directory=str(folder)
    )
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def big_file(source, target, lines):
    """A GeoNames file of ``lines`` lines: the real rows of ``source`` repeated,
    each round under new postal codes (the round number before the real code),
    so that every line is a new zip of an existing city."""
    rows = source.read_bytes().splitlines()
    written = 0
    with target.open("wb") as output:
        for round_ in range(1, lines // len(rows) + 2):
            for row in rows:
                if written == lines:
                    return written
                columns = row.split(b"\t")
                columns[1] = b"%d-%s" % (round_, columns[1])
                output.write(b"\t".join(columns) + b"\n")
                written += 1
    return written


def peak_rss_mb():
    """The highest resident memory of this process so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(registry, label, importer, country, attempts=2, cap=None):
    """Time ``importer(env)`` ``attempts`` times in one transaction, then roll it
    back. With ``cap`` (seconds), a run still going then is stopped: its time is
    a lower bound."""
    import odoo  # noqa: PLC0415

    timings = []
    stopped = False
    rss_before = peak_rss_mb()
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"lang": "en_US"})
        for _attempt in range(attempts):
            started = time.perf_counter()
            if cap:
                stopped = _run_capped(cr, lambda: (importer(env), env.flush_all()), cap)
            else:
                importer(env)
                env.flush_all()
            timings.append(time.perf_counter() - started)
            if stopped:
                break
        cities = zips = None
        if not stopped:
            cities = env["res.city"].search_count([("country_id", "=", country)])
            zips = env["res.city.zip"].search_count(
                [("city_id.country_id", "=", country)]
            )
        cr.rollback()
    result = {
        "label": label,
        "seconds": timings,
        "stopped": stopped,
        "cities": cities,
        "zips": zips,
        "peak_rss_growth_mb": peak_rss_mb() - rss_before,
    }
    state = "stopped at" if stopped else "first import"
    again = f", again {timings[1]:.1f} s" if len(timings) > 1 else ""
    print(
        f"{label}: {state} {timings[0]:.1f} s{again} ({cities} cities, {zips} zips, "
        f"peak memory +{result['peak_rss_growth_mb']:.0f} MB)",
        flush=True,
    )
    return result


def _run_capped(cr, function, cap):
    """Run ``function`` in a thread; past ``cap`` seconds, cancel the queries of
    ``cr`` until it gives up. True when it was stopped. An importer busy in
    Python (the OCA's, on a big file, compares every zip with all the others)
    may not run a query for hours: it is then left behind, in a daemon thread
    that dies with the script."""
    errors = []

    def target():
        try:
            function()
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(cap)
    stopped = thread.is_alive()
    give_up = time.monotonic() + 10
    while thread.is_alive() and time.monotonic() < give_up:
        cr._cnx.cancel()
        thread.join(0.2)
    if errors and not stopped:
        raise errors[0]
    return stopped


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--country", default="ES")
    parser.add_argument("--data", default=str(DATA))
    parser.add_argument(
        "--big", type=int, default=1_000_000, help="lines of the big file (0: none)"
    )
    parser.add_argument(
        "--oca-cap",
        type=int,
        default=600,
        help="seconds after which the OCA importer is stopped on the big file",
    )
    parser.add_argument("--json", help="write the results to this file")
    args = parser.parse_args()

    import odoo  # noqa: PLC0415
    from odoo.modules.registry import Registry  # noqa: PLC0415

    odoo.tools.config.parse_config(["-c", args.config, "-d", args.database])
    source = Path(args.data) / f"{args.country}.txt"
    if not source.exists():
        raise SystemExit(f"{source} is missing: the GeoNames files come from ../shared")
    lines = sum(1 for _line in source.open("rb"))
    results = {
        "date": datetime.now().isoformat(timespec="minutes"),
        "machine": {
            "node": platform.node(),
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "load_average_before": os.getloadavg(),
        },
        "country": args.country,
        "lines": lines,
        "runs": [],
    }
    with tempfile.TemporaryDirectory() as folder:
        files = {args.country: source}
        if args.big:
            big = Path(folder, "big", f"{args.country}.txt")
            big.parent.mkdir()
            results["big_lines"] = big_file(source, big, args.big)
            files["big"] = big
        for name, path in files.items():
            Path(folder, name).mkdir(exist_ok=True)
            with zipfile.ZipFile(
                Path(folder, name, f"{args.country}.zip"), "w", zipfile.ZIP_DEFLATED
            ) as archive:
                archive.write(path, path.name)
        server = serve(folder)
        base = f"http://127.0.0.1:{server.server_port}"
        registry = Registry(args.database)

        def use(name):
            with registry.cursor() as cr:
                env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
                url = f"{base}/{name}/%s.zip"
                env["ir.config_parameter"].set_param(
                    "crm_prospection.geonames_url", url
                )
                env["ir.config_parameter"].set_param("geonames.url", url)
                return env["res.country"].search([("code", "=", args.country)]).ids

        def ours(env):
            env["crm.city.import"].create(
                {"mode": "download", "country_ids": [(6, 0, country_ids)]}
            ).action_import()

        def oca(env):
            env["city.zip.geonames.import"].create(
                {"country_ids": [(6, 0, country_ids)]}
            ).run_import()

        print(
            f"{source.name}: {lines} lines; {platform.node()}, {os.cpu_count()} CPUs, "
            f"{platform.platform()}",
            flush=True,
        )
        country_ids = use(args.country)
        country = country_ids[0]
        runs = results["runs"]
        runs.append(
            dict(run(registry, "crm_prospection", ours, country), file=args.country)
        )
        if args.big:
            country_ids = use("big")
            runs.append(
                dict(run(registry, "crm_prospection", ours, country, 1), file="big")
            )
            country_ids = use(args.country)
        runs.append(dict(run(registry, "OCA", oca, country), file=args.country))
        if args.big and args.oca_cap:
            country_ids = use("big")
            runs.append(
                dict(
                    run(registry, "OCA", oca, country, 1, cap=args.oca_cap), file="big"
                )
            )
        server.shutdown()
    mine, theirs = (
        runs[0]["seconds"],
        next(r["seconds"] for r in runs if r["label"] == "OCA"),
    )
    print(
        f"ratio OCA / crm_prospection: first import {theirs[0] / mine[0]:.0f}x, "
        f"again {theirs[1] / mine[1]:.0f}x",
        flush=True,
    )
    results["machine"]["load_average_after"] = os.getloadavg()
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
