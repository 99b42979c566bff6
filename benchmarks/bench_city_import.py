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
import io
import os
import platform
import tempfile
import threading
import time
import zipfile
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


def run(registry, label, importer):
    """Time ``importer(env)`` twice in one transaction, then roll it back."""
    import odoo  # noqa: PLC0415

    timings = []
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"lang": "en_US"})
        for _attempt in range(2):
            started = time.perf_counter()
            importer(env)
            env.flush_all()
            timings.append(time.perf_counter() - started)
        country = env.ref("base.es")
        cities = env["res.city"].search_count([("country_id", "=", country.id)])
        zips = env["res.city.zip"].search_count(
            [("city_id.country_id", "=", country.id)]
        )
        cr.rollback()
    print(
        f"{label}: first import {timings[0]:.1f} s, again {timings[1]:.1f} s "
        f"({cities} cities, {zips} zips)",
        flush=True,
    )
    return timings


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--country", default="ES")
    parser.add_argument("--data", default=str(DATA))
    args = parser.parse_args()

    import odoo  # noqa: PLC0415
    from odoo.modules.registry import Registry  # noqa: PLC0415

    odoo.tools.config.parse_config(["-c", args.config, "-d", args.database])
    source = Path(args.data) / f"{args.country}.txt"
    lines = sum(1 for _line in source.open("rb"))
    with tempfile.TemporaryDirectory() as folder:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.write(source, source.name)
        Path(folder, f"{args.country}.zip").write_bytes(buffer.getvalue())
        server = serve(folder)
        url = f"http://127.0.0.1:{server.server_port}/%s.zip"
        registry = Registry(args.database)
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            env["ir.config_parameter"].set_param("crm_prospection.geonames_url", url)
            env["ir.config_parameter"].set_param("geonames.url", url)
            country_ids = env["res.country"].search([("code", "=", args.country)]).ids

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
        mine = run(registry, "crm_prospection (crm.city.import)", ours)
        theirs = run(registry, "OCA base_location_geonames_import", oca)
        server.shutdown()
    print(
        f"ratio OCA / crm_prospection: first import {theirs[0] / mine[0]:.0f}x, "
        f"again {theirs[1] / mine[1]:.0f}x",
        flush=True,
    )


if __name__ == "__main__":
    main()
