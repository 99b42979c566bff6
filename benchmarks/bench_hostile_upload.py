#!/usr/bin/env python3
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Hostile uploads to the city import, over HTTP: request time, server memory.

Starts an Odoo server (threaded, one process: its memory is the server's) on a
database where crm_prospection is installed, and sends each hostile file to
*Import Cities* as the administrator through the JSON-2 API, as the web client
would (the wizard created with the file, then its Import button):

- a 1 GB expanding zip: 1 GiB of zeros in a zip of about 1 MB (its header
  says so), and the same whose header is forged to announce 100 MB (read as
  it streams);
- 400 MB of zeros, under the announced-size limit (read as it streams);
- 20 MB of newlines in a zip of about 20 kB;
- a valid GeoNames line repeated beyond any GeoNames file: 10 million lines
  (about 750 MB once unzipped, its header says so), and 4 million lines (about
  320 MB, under the size limit: read as it streams up to the line limit);
- a forged zip header announcing 4 GB;
- for comparison, a valid file of 1,000 lines.

For each: the answer (refused, with its message, or imported), the time of the
two requests, the server's resident memory before and after and its peak
(VmHWM) growth over the server's baseline, and the jobs and stored parts it left.

    python benchmarks/bench_hostile_upload.py -d DB [-c var/odoo.conf]
        [--json var/bench/hostile_upload.json]

with the Python that runs Odoo (psutil, requests). Not run by CI.
"""

import argparse
import base64
import io
import json
import os
import platform
import struct
import sys
import time
import zipfile
from datetime import datetime
from pathlib import Path

import psutil
import requests

sys.path.insert(0, os.path.dirname(__file__))
from load_external_api import (  # noqa: E402
    free_port,
    odoo_command,
    say,
    shell,
    start_server,
    stop_server,
)

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "crm_prospection" / "tests" / "data" / "geonames" / "BE.zip"
MB = 1024 * 1024
ADMIN_KEY = """
import json
from datetime import datetime, timedelta
key = env["res.users.apikeys"].with_user(env.ref("base.user_admin")).sudo()._generate(
    None, "hostile uploads", datetime.now() + timedelta(days=1)
)
env.cr.commit()
print("LOAD-KEY " + json.dumps({"key": key}))
"""


def zipped(name, chunks):
    """A zip of one member written chunk by chunk (never the whole in memory)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open(name, "w") as member:
            for chunk in chunks:
                member.write(chunk)
    return buffer.getvalue()


def announcing(archive, size):
    """``archive`` whose central directory announces ``size`` bytes unzipped
    for its member."""
    data = bytearray(archive)
    header = data.index(b"PK\x01\x02")
    data[header + 24 : header + 28] = struct.pack("<I", size)
    return bytes(data)


def forged_header():
    """A zip of one line whose central directory announces 4 GB."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("FR.txt", "FR\t75001\tParis\n")
    data = bytearray(buffer.getvalue())
    header = data.index(b"PK\x01\x02")
    data[header + 24 : header + 28] = struct.pack("<I", 0xFFFFFFF0)
    return bytes(data)


def uploads():
    """(label, file name, content) of each upload, built as needed."""
    with zipfile.ZipFile(SAMPLE) as archive:
        sample = archive.read("BE.txt")
    line = sample.splitlines(keepends=True)[0]
    yield "valid file, 1,000 lines", "BE.zip", SAMPLE.read_bytes()
    zeros = zipped("FR.txt", (b"0" * MB for _chunk in range(1024)))
    yield "1 GB of zeros", "FR.zip", zeros
    yield "1 GB of zeros, announcing 100 MB", "FR.zip", announcing(zeros, 100 * MB)
    del zeros
    yield (
        "400 MB of zeros",
        "FR.zip",
        zipped("FR.txt", (b"0" * MB for _chunk in range(400))),
    )
    yield (
        "20 MB of newlines",
        "FR.zip",
        zipped("FR.txt", (b"\n" * MB for _chunk in range(20))),
    )
    repeat = 100_000
    yield (
        "a valid line 10 million times",
        "BE.zip",
        zipped("BE.txt", (line * repeat for _chunk in range(10_000_000 // repeat))),
    )
    yield (
        "a valid line 4 million times",
        "BE.zip",
        zipped("BE.txt", (line * repeat for _chunk in range(4_000_000 // repeat))),
    )
    yield "forged header announcing 4 GB", "FR.zip", forged_header()


class Api:
    def __init__(self, url, key):
        self.url = url
        self.http = requests.Session()
        self.http.headers["Authorization"] = f"bearer {key}"

    def __call__(self, model, method, **params):
        response = self.http.post(
            f"{self.url}/json/2/{model}/{method}", json=params, timeout=900
        )
        body = response.json() if response.content else None
        if response.status_code != 200:
            message = (body or {}).get("message") or response.text[:300]
            raise RuntimeError(message)
        return body


def memory(process):
    """(resident MB, peak resident MB) of the server process."""
    status = Path(f"/proc/{process.pid}/status").read_text()
    values = dict(line.split(":", 1) for line in status.splitlines())
    return (
        psutil.Process(process.pid).memory_info().rss / MB,
        int(values["VmHWM"].split()[0]) / 1024,
    )


def left_behind(api):
    return (
        api("crm.batch.job", "search_count", domain=[]),
        api(
            "ir.attachment",
            "search_count",
            domain=[["res_model", "in", ["crm.batch.job", "crm.city.import"]]],
        ),
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("-c", "--config", default=str(ROOT / "var" / "odoo.conf"))
    parser.add_argument("--json", help="write the results there")
    args = parser.parse_args()
    odoo = odoo_command()
    key = shell(odoo, args.config, args.database, ADMIN_KEY)["key"]
    process, url = start_server(
        odoo,
        args.config,
        args.database,
        free_port(),
        0,
        log_path=ROOT / "var" / "hostile-upload-server.log",
    )
    api = Api(url, key)
    results = {
        "date": datetime.now().isoformat(timespec="minutes"),
        "machine": {
            "node": platform.node(),
            "cpus": os.cpu_count(),
            "load_average": os.getloadavg(),
        },
        "uploads": [],
    }
    try:
        # The registry loaded, the wizard's code warm: the baseline.
        api("crm.city.import", "fields_get", attributes=["type"])
        rss_start, _peak = memory(process)
        results["server_rss_baseline_mb"] = rss_start
        say(f"server at {url}, {rss_start:.0f} MB resident")
        for label, filename, content in uploads():
            jobs_before = left_behind(api)
            rss_before, peak_before = memory(process)
            started = time.perf_counter()
            outcome = "imported"
            try:
                [wizard] = api(
                    "crm.city.import",
                    "create",
                    vals_list=[
                        {
                            "mode": "file",
                            "file": base64.b64encode(content).decode(),
                            "filename": filename,
                        }
                    ],
                )
                answer = api("crm.city.import", "action_import", ids=[wizard])
                message = (answer or {}).get("params", {}).get("message", "")
            except RuntimeError as error:
                outcome, message = "refused", str(error)
            seconds = time.perf_counter() - started
            rss_after, peak_after = memory(process)
            jobs_after = left_behind(api)
            result = {
                "upload": label,
                "zip_kb": len(content) / 1024,
                "outcome": outcome,
                "message": message,
                "seconds": seconds,
                "rss_before_mb": rss_before,
                "rss_after_mb": rss_after,
                "peak_growth_over_baseline_mb": max(0.0, peak_after - rss_start),
                "peak_grew_mb": peak_after - peak_before,
                "jobs_created": jobs_after[0] - jobs_before[0],
                "parts_stored": jobs_after[1] - jobs_before[1],
            }
            results["uploads"].append(result)
            say(
                f"{label} ({result['zip_kb']:.0f} kB): {outcome} in {seconds:.2f} s,"
                f" RSS {rss_before:.0f} → {rss_after:.0f} MB, peak +"
                f"{result['peak_growth_over_baseline_mb']:.0f} MB over the baseline;"
                f" {result['jobs_created']} job(s), {result['parts_stored']} part(s)"
                f" — {message[:160]}"
            )
            del content
    finally:
        stop_server(process)
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(results, indent=1) + "\n")


if __name__ == "__main__":
    main()
