"""Helpers of the dev scripts: prerequisites, PostgreSQL, the Python of ``odoo``.

Every check ends in one clear line naming what is missing, never a traceback.
"""

import getpass
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ADDON = "crm_prospection"
ODOO_SERIES = "19.0"
ODOO_INSTALL_DOC = (
    "https://www.odoo.com/documentation/19.0/administration/on_premise/source.html"
)


def fail(message):
    """Print one line naming the missing prerequisite and stop."""
    print(f"error: {message}", file=sys.stderr, flush=True)
    sys.exit(2)


def say(message):
    print(f"==> {message}", flush=True)


def odoo_bin():
    """The ``odoo`` command on PATH, checked to be Odoo 19.0."""
    path = shutil.which("odoo")
    if not path:
        fail(f"'odoo' is not on PATH: install Odoo {ODOO_SERIES} ({ODOO_INSTALL_DOC})")
    try:
        version = subprocess.run(
            [path, "--version"], capture_output=True, text=True, timeout=120
        ).stdout.strip()
    except (OSError, subprocess.TimeoutExpired) as exc:
        fail(f"'odoo --version' did not run ({exc})")
    if not re.search(rf"\b{re.escape(ODOO_SERIES)}\b", version):
        fail(
            f"'odoo' on PATH is '{version or 'unknown'}', Odoo {ODOO_SERIES} is needed"
        )
    return path


def odoo_python(odoo_path):
    """The interpreter that runs ``odoo``: read from the script's shebang."""
    real = Path(odoo_path).resolve()
    with open(real, "rb") as script:
        first = script.readline().decode(errors="replace").strip()
    if first.startswith("#!"):
        interpreter = first[2:].strip().split()
        if interpreter and Path(interpreter[0]).name == "env" and len(interpreter) > 1:
            found = shutil.which(interpreter[1])
            if found:
                return found
        elif interpreter and Path(interpreter[0]).exists():
            return interpreter[0]
    return sys.executable


def _requirement_names(path):
    names = []
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if not line or line.startswith("-"):
            continue
        names.append(re.split(r"[<>=!~\[; ]", line, maxsplit=1)[0])
    return names


def ensure_requirements(python):
    """Install requirements.txt into the Python of ``odoo`` when one is missing."""
    requirements = ROOT / "requirements.txt"
    names = _requirement_names(requirements)
    probe = (
        "import importlib.metadata as m, sys\n"
        "missing = []\n"
        "for name in sys.argv[1:]:\n"
        "    try:\n"
        "        m.version(name)\n"
        "    except m.PackageNotFoundError:\n"
        "        missing.append(name)\n"
        "print(' '.join(missing))\n"
    )
    missing = subprocess.run(
        [python, "-c", probe, *names], capture_output=True, text=True
    ).stdout.split()
    if not missing:
        return
    say(f"installing missing requirements into {python}: {', '.join(missing)}")
    result = subprocess.run(
        [python, "-m", "pip", "install", "-q", "-r", str(requirements)]
    )
    if result.returncode:
        fail("'pip install -r requirements.txt' failed in the Python that runs odoo")


def _psql(*args, **kwargs):
    return subprocess.run(
        ["psql", "-X", "-q", "-d", "postgres", *args],
        capture_output=True,
        text=True,
        **kwargs,
    )


def ensure_postgresql():
    """Start PostgreSQL when down; give this OS user a superuser role if missing."""
    if not shutil.which("psql"):
        fail("PostgreSQL client 'psql' is not on PATH: install PostgreSQL >= 13")
    probe = _psql("-tAc", "select 1")
    if probe.returncode and "role" not in probe.stderr:
        started = False
        if shutil.which("pg_lsclusters") and shutil.which("pg_ctlcluster"):
            clusters = subprocess.run(
                ["pg_lsclusters", "-h"], capture_output=True, text=True
            ).stdout.split("\n")
            for line in filter(None, clusters):
                version, name = line.split()[:2]
                say(f"starting PostgreSQL cluster {version}/{name}")
                started |= (
                    subprocess.run(["pg_ctlcluster", version, name, "start"]).returncode
                    == 0
                )
        probe = _psql("-tAc", "select 1")
        if probe.returncode and "role" not in probe.stderr:
            hint = "" if started else " (no cluster could be started)"
            fail(f"PostgreSQL is not reachable{hint}: {probe.stderr.strip()}")
    if probe.returncode and "role" in probe.stderr:
        user = getpass.getuser()
        say(f"creating PostgreSQL superuser role '{user}'")
        create = ["createuser", "-s", user]
        if os.geteuid() == 0:
            create = ["su", "postgres", "-c", f"createuser -s {user}"]
        elif shutil.which("sudo"):
            create = ["sudo", "-u", "postgres", "createuser", "-s", user]
        if subprocess.run(create).returncode:
            fail(
                f"could not create the PostgreSQL role '{user}': create it as superuser"
            )


def chromium():
    """The browser Odoo drives for tours (Odoo looks for the same names)."""
    for name in (
        "google-chrome",
        "chromium",
        "chromium-browser",
        "google-chrome-stable",
    ):
        path = shutil.which(name)
        if path:
            return path
    fail(
        "Chromium is not installed: browser tours need it "
        "(e.g. 'apt-get install chromium')"
    )
    return None


def database_exists(name):
    result = _psql("-tAc", f"select 1 from pg_database where datname = '{name}'")
    return result.stdout.strip() == "1"


def drop_database(name):
    subprocess.run(["dropdb", "--if-exists", "--force", name], capture_output=True)
    # Odoo keeps each database's files (attachments) in its filestore.
    from_home = Path.home() / ".local/share/Odoo/filestore" / name
    shutil.rmtree(from_home, ignore_errors=True)


def config_file():
    """An Odoo configuration with this repository as addons path (in var/)."""
    var = ROOT / "var"
    var.mkdir(exist_ok=True)
    path = var / "odoo.conf"
    path.write_text(f"[options]\naddons_path = {ROOT}\n")
    return path
