#!/usr/bin/env python3
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""City import benchmark (GEO-2): the set-based import against the OCA's own.

Imports a whole GeoNames country file (default: Spain, ``ES.txt`` from the
project's shared data) three ways:

- ``set-based``: the add-on's wizard ``crm.city.import`` as users run it (its
  Import button, ``action_import``), the file uploaded (a download runs in the
  background);
- ``crm.city.import``: the same import again, measured a second time;
- ``OCA row by row``: the OCA's own import path (``get_and_parse_csv`` then
  ``_process_csv``), which its own Import from Geonames button runs, from an
  archive served on the loopback interface.

Each runs twice (first import, then the same file again) in its own transaction,
rolled back afterwards, so all start from the same database. A large generated
file (``--big`` lines, as many as GeoNames' file of all countries) is imported
in the background as users upload it: the wizard's answer, then each batch of the
job (one part of the file), and the peak memory of it all.

Run it with the Python that runs Odoo, on a database where crm_prospection is
installed (without demo data)::

    odoo -c var/odoo.conf -d geo_bench --stop-after-init -i crm_prospection
    python benchmarks/bench_city_import.py -c var/odoo.conf -d geo_bench
"""

import argparse
import base64
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
SET_BASED = "set-based"
ROW_BY_ROW = "OCA row by row"


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
        cities = zips = floor = None
        if not stopped:
            # Fresh statistics for the counts (the tables may have been empty
            # when last analyzed: the join would then run for minutes).
            cr.execute("ANALYZE res_city, res_city_zip")
            cities = env["res.city"].search_count([("country_id", "=", country)])
            zips = env["res.city.zip"].search_count(
                [("city_id.country_id", "=", country)]
            )
            floor = insert_floor(cr, country) if label == SET_BASED else None
        cr.rollback()
    result = {
        "label": label,
        "seconds": timings,
        "stopped": stopped,
        "cities": cities,
        "zips": zips,
        "peak_rss_growth_mb": peak_rss_mb() - rss_before,
    }
    if floor is not None:
        result["insert_floor_s"] = floor
    state = "stopped at" if stopped else "first import"
    again = f", again {timings[1]:.1f} s" if len(timings) > 1 else ""
    if floor is not None:
        again += f", its rows inserted by two bare INSERTs {floor:.1f} s"
    print(
        f"{label}: {state} {timings[0]:.1f} s{again} ({cities} cities, {zips} zips, "
        f"peak memory +{result['peak_rss_growth_mb']:.0f} MB)",
        flush=True,
    )
    return result


def insert_floor(cr, country):
    """The floor of any import of the country: its cities and zips, as the
    import left them, deleted then inserted again by two plain ``INSERT``
    statements into Odoo's tables (their indexes, unique constraints and
    foreign keys, checked row by row by PostgreSQL); seconds."""
    cr.execute(
        "CREATE TEMPORARY TABLE floor_city AS "
        "SELECT * FROM res_city WHERE country_id = %s",
        [country],
    )
    cr.execute(
        "CREATE TEMPORARY TABLE floor_zip AS SELECT z.* FROM res_city_zip z "
        "JOIN floor_city c ON c.id = z.city_id"
    )
    cr.execute("DELETE FROM res_city WHERE id IN (SELECT id FROM floor_city)")
    started = time.perf_counter()
    cr.execute("INSERT INTO res_city SELECT * FROM floor_city")
    cr.execute("INSERT INTO res_city_zip SELECT * FROM floor_zip")
    return time.perf_counter() - started


def background(registry, upload, content, filename):
    """The big file uploaded as ``filename``: the wizard's answer (it queues a
    job), then each batch of the job, in one transaction rolled back
    afterwards."""
    import odoo  # noqa: PLC0415

    rss_before = peak_rss_mb()
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"lang": "en_US"})
        wizard = upload(env, "crm.city.import", content, filename)
        started = time.perf_counter()
        action = wizard.action_import()
        env.flush_all()
        answered = time.perf_counter() - started
        job = env["crm.batch.job"].search([], order="id desc", limit=1)
        assert action["params"]["title"] == job.name, action
        batches = []
        while job.state in ("queued", "running"):
            started = time.perf_counter()
            job._run_batch()
            env.flush_all()
            batches.append(time.perf_counter() - started)
        result = {
            "file": filename,
            "upload_mb": len(content) / 1024 / 1024,
            "parts": job.total_count,
            "state": job.state,
            "wizard_answer_s": answered,
            "batches_s": batches,
            "total_s": answered + sum(batches),
            "peak_rss_growth_mb": peak_rss_mb() - rss_before,
        }
        cr.rollback()
    print(
        f"background import of the big file as {filename}: "
        f"answered in {answered:.1f} s, "
        f"{len(batches)} batches in {sum(batches):.1f} s (longest "
        f"{max(batches):.1f} s), peak memory +{result['peak_rss_growth_mb']:.0f} MB",
        flush=True,
    )
    return result


def _run_capped(cr, function, cap):
    """Run ``function`` in a thread; past ``cap`` seconds, cancel the queries of
    ``cr`` until it gives up. True when it was stopped. An importer busy in
    Python (the OCA's own path, on a big file, compares every zip with all the
    others)
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
        "--big", type=int, default=1_500_000, help="lines of the big file (0: none)"
    )
    parser.add_argument(
        "--oca-cap",
        type=int,
        default=600,
        help="seconds after which the OCA's own path is stopped on the big file "
        "(0: not run on it)",
    )
    parser.add_argument(
        "--oca-attempts",
        type=int,
        default=2,
        help="runs of the OCA's own path on the country file (0: none)",
    )
    parser.add_argument("--json", help="write the results to this file")
    args = parser.parse_args()

    import odoo  # noqa: PLC0415
    from odoo.modules.registry import Registry  # noqa: PLC0415

    odoo.tools.config.parse_config(["-c", args.config, "-d", args.database])
    source = Path(args.data) / f"{args.country}.txt"
    if not source.exists():
        raise SystemExit(
            f"{source} is missing: give the folder of GeoNames' files with --data"
        )
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
                env["ir.config_parameter"].set_param(
                    "geonames.url", f"{base}/{name}/%s.zip"
                )
                return env["res.country"].search([("code", "=", args.country)])

        def wizard(env, model):
            return env[model].create(
                {"mode": "download", "country_ids": [(6, 0, country.ids)]}
            )

        uploaded = base64.b64encode(source.read_bytes())

        def upload(env, model, content=uploaded, filename=source.name):
            return env[model].create(
                {"mode": "file", "file": content, "filename": filename}
            )

        def set_based(env):
            upload(env, "crm.city.import").action_import()

        def technical_name(env):
            upload(env, "crm.city.import").action_import()

        def row_by_row(env):
            oca = wizard(env, "city.zip.geonames.import")
            target = country.with_env(env)
            oca._process_csv(oca.get_and_parse_csv(target), target)

        print(
            f"{source.name}: {lines} lines; {platform.node()}, {os.cpu_count()} CPUs, "
            f"{platform.platform()}",
            flush=True,
        )
        country = use(args.country)
        runs = results["runs"]

        def measure(label, importer, file, attempts=2, cap=None):
            result = run(registry, label, importer, country.id, attempts, cap)
            runs.append(dict(result, file=file))

        measure(SET_BASED, set_based, args.country)
        measure("crm.city.import", technical_name, args.country)
        if args.big:
            # As GeoNames publishes it (allCountries.zip), then unzipped.
            archive = Path(folder, "big", f"{args.country}.zip")
            results["background"] = background(
                registry, upload, base64.b64encode(archive.read_bytes()), archive.name
            )
            results["background_unzipped"] = background(
                registry,
                upload,
                base64.b64encode(files["big"].read_bytes()),
                files["big"].name,
            )
        if args.oca_attempts:
            measure(ROW_BY_ROW, row_by_row, args.country, args.oca_attempts)
        if args.big and args.oca_cap:
            country = use("big")
            measure(ROW_BY_ROW, row_by_row, "big", 1, cap=args.oca_cap)
        server.shutdown()
    fast = next(r["seconds"] for r in runs if r["label"] == SET_BASED)
    slow = next((r["seconds"] for r in runs if r["label"] == ROW_BY_ROW), None)
    if slow:
        again = f", again {slow[1] / fast[1]:.0f}x" if len(slow) > 1 else ""
        print(
            f"ratio row by row / set-based: first import {slow[0] / fast[0]:.0f}x"
            f"{again}",
            flush=True,
        )
    results["machine"]["load_average_after"] = os.getloadavg()
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(results, indent=1) + "\n")


if __name__ == "__main__":
    main()
