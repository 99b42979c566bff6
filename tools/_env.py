"""Where the dev scripts find Odoo 19, PostgreSQL and Chromium, or bring them into var/.

In this order: Odoo is ``ODOO_BIN``, else ``odoo`` 19.0 on PATH, else Odoo 19.0
installed under var/odoo (see _odoo.py); PostgreSQL is the one reachable (PG*
variables, the local socket, 127.0.0.1:5432), started when installed and down, else an
embedded one under var/postgresql (see _postgres.py; ``CRM_PROSPECTION_PG=embedded``
forces it); Chromium is found on PATH, else obtained under var/chromium (see
_chromium.py).

``runtime()`` gives all of it to any script (tools/odoo_suites too): the odoo command,
its Python, the database connection arguments and the environment to run odoo in.
Every problem ends in one clear line naming what is missing, never a traceback.
"""

import functools
import getpass
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"
ADDON = "crm_prospection"
ODOO_SERIES = "19.0"
STARTED = time.monotonic()


def fail(message):
    """Print one line naming what is wrong and stop."""
    print(f"error: {message}", file=sys.stderr, flush=True)
    sys.exit(2)


def say(message):
    print(f"==> {message}", flush=True)


def interrupted():
    """Ctrl-C: one line, no traceback; an unfinished step is redone next time."""
    print(
        "\ninterrupted: the next run starts again any step left unfinished",
        file=sys.stderr,
        flush=True,
    )
    sys.exit(130)


def elapsed():
    """Seconds since the script started, for the closing line."""
    return time.monotonic() - STARTED


# Steps that bring things into var/ ----------------------------------------------


def done(path, key):
    """Whether the step that made ``path`` finished with ``key`` (its stamp file)."""
    stamp = path.with_name(path.name + ".done")
    return path.exists() and stamp.exists() and stamp.read_text() == key


def mark_done(path, key):
    path.with_name(path.name + ".done").write_text(key)


def forget(path):
    """Remove what an interrupted or outdated step left, and its stamp."""
    path.with_name(path.name + ".done").unlink(missing_ok=True)
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    elif path.exists() or path.is_symlink():
        path.unlink()


NO_SPACE = "No space left on device"


def no_space(what):
    fail(f"no space left on the disk of {VAR} while {what}: free some, then run again")


NETWORK_ERRORS = (
    "NewConnectionError",
    "Failed to establish a new connection",
    "Temporary failure in name resolution",
    "Network is unreachable",
    "ConnectTimeoutError",
    "ReadTimeoutError",
)


def pip_install(python, args, what, log_name):
    """``pip install`` with one progress line every few packages; full log in var/."""
    log_path = VAR / log_name
    command = [python, "-m", "pip", "install", "--progress-bar=off", *args]
    collected = 0
    lines = []
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        for line in process.stdout:
            log.write(line)
            lines.append(line.rstrip())
            if line.startswith("Collecting "):
                collected += 1
                if collected % 10 == 0:
                    print(f"    {what}: {collected} packages collected", flush=True)
            elif line.startswith("Installing collected packages:"):
                count = len(line.split(":", 1)[1].split(","))
                print(f"    {what}: installing {count} packages", flush=True)
        rc = process.wait()
    if rc == 0:
        return
    text = "\n".join(lines)
    if NO_SPACE in text:
        no_space(what)
    if any(error in text for error in NETWORK_ERRORS):
        fail(
            f"{what}: the package index could not be reached (no network?);"
            f" see var/{log_name}"
        )
    errors = [line for line in lines if line.startswith("ERROR:")]
    reason = errors[-1][len("ERROR: ") :] if errors else f"pip exited with {rc}"
    fail(f"{what} failed: {reason} (see var/{log_name})")


def venv(path, python, packages, what, pip_args=()):
    """A virtualenv at ``path`` holding ``packages``, made once and reused."""
    key = " ".join([python_version(python), *packages, *pip_args])
    bin_python = path / "bin" / "python"
    if done(path, key):
        return str(bin_python)
    forget(path)
    VAR.mkdir(exist_ok=True)
    say(f"{what}: creating a virtualenv in {path.relative_to(ROOT)}")
    made = subprocess.run(
        [python, "-m", "venv", str(path)], capture_output=True, text=True
    )
    if made.returncode:
        if NO_SPACE in made.stderr + made.stdout:
            no_space(what)
        fail(
            f"'{python} -m venv' failed: install Python's venv module"
            " (Debian/Ubuntu: apt-get install python3-venv)"
        )
    pip_install(
        str(bin_python), [*pip_args, *packages], what, f"{path.parent.name}-pip.log"
    )
    mark_done(path, key)
    return str(bin_python)


def python_version(python):
    return subprocess.run(
        [python, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
        capture_output=True,
        text=True,
    ).stdout.strip()


# Odoo ---------------------------------------------------------------------------


@functools.cache
def odoo_bin():
    """The ``odoo`` command: ODOO_BIN, else odoo 19.0 on PATH, else the one of var/."""
    import _odoo  # noqa: PLC0415 (tools/ is on sys.path of every script)

    return _odoo.find_or_install()


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


def missing_packages(python, names):
    """The distributions among ``names`` not installed in ``python``."""
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
    return subprocess.run(
        [python, "-c", probe, *names], capture_output=True, text=True
    ).stdout.split()


def ensure_requirements(python):
    """Install requirements.txt into the Python of ``odoo`` when one is missing."""
    requirements = ROOT / "requirements.txt"
    missing = missing_packages(python, _requirement_names(requirements))
    if not missing:
        return
    say(f"installing missing requirements into {python}: {', '.join(missing)}")
    constraints = []
    if Path(python).is_relative_to(VAR):
        # Odoo installed by the tools: keep the versions of its dependencies.
        constraints = ["-c", str(ROOT / "tools" / "deps" / "constraints.txt")]
    result = subprocess.run(
        [python, "-m", "pip", "install", "-q", *constraints, "-r", str(requirements)]
    )
    if result.returncode:
        fail("'pip install -r requirements.txt' failed in the Python that runs odoo")


# PostgreSQL ---------------------------------------------------------------------


@functools.cache
def database():
    """The PostgreSQL server the scripts use (see _postgres.py), started if needed."""
    import _postgres  # noqa: PLC0415

    return _postgres.find_or_start()


def ensure_postgresql():
    """Kept for the scripts that only need a server: find or start it."""
    return database()


def _psql(*args, dbname="postgres"):
    db = database()
    return subprocess.run(
        [db.client("psql"), "-X", "-q", "-d", dbname, *db.client_args(), *args],
        capture_output=True,
        text=True,
        env=db.client_env(),
    )


def query(dbname, sql):
    """One value read with psql ('' when the query fails)."""
    return _psql("-tAc", sql, dbname=dbname).stdout.strip()


def database_exists(name):
    result = _psql("-tAc", f"select 1 from pg_database where datname = '{name}'")
    return result.stdout.strip() == "1"


def drop_database(name):
    db = database()
    subprocess.run(
        [db.client("dropdb"), *db.client_args(), "--if-exists", "--force", name],
        capture_output=True,
        env=db.client_env(),
    )
    # Odoo keeps each database's files (attachments) in its filestore.
    shutil.rmtree(data_dir() / "filestore" / name, ignore_errors=True)


def data_dir():
    """Odoo's data folder: beside the embedded server's data, else Odoo's default."""
    if database().embedded:
        return VAR / "odoo-data"
    return Path.home() / ".local/share/Odoo"


# Chromium -----------------------------------------------------------------------


@functools.cache
def chromium():
    """The browser of the tours, found or obtained; fails in one line without one."""
    import _chromium  # noqa: PLC0415

    return _chromium.find_or_obtain()


# Together -----------------------------------------------------------------------


def config_file():
    """Odoo's configuration in var/: this repository's add-on, the database used."""
    VAR.mkdir(exist_ok=True)
    path = VAR / "odoo.conf"
    lines = ["[options]", f"addons_path = {ROOT}"]
    db = database()
    for key, value in db.options().items():
        lines.append(f"{key} = {value}")
    if db.embedded:
        lines.append(f"data_dir = {data_dir()}")
    text = "\n".join(lines) + "\n"
    if not path.exists() or path.read_text() != text:
        path.write_text(text)
    return path


def odoo_env(browser=False):
    """The environment to run odoo in: the database's client, the browser on PATH."""
    env = dict(database().client_env())
    if browser:
        folder = str(Path(chromium()).parent)
        if folder not in env["PATH"].split(os.pathsep):
            env["PATH"] = folder + os.pathsep + env["PATH"]
    return env


class Runtime(NamedTuple):
    """What a script needs to run Odoo like make test does."""

    odoo: str  # the odoo command
    python: str  # the Python that runs it (pytest-odoo runs there too)
    config: Path  # var/odoo.conf: addons path, database host and user
    db_args: list  # the same connection as command-line options
    env: dict  # the environment to run odoo (or pytest) in


def runtime(browser=True):
    """Odoo, its Python and the database, found or brought; the browser too."""
    odoo = odoo_bin()
    python = odoo_python(odoo)
    ensure_requirements(python)
    db = database()
    return Runtime(
        odoo=odoo,
        python=python,
        config=config_file(),
        db_args=[f"--{key}={value}" for key, value in db.options().items()],
        env=odoo_env(browser=browser),
    )


def wkhtmltopdf_notice():
    """One line when PDF reports cannot be printed; the caller carries on."""
    if not shutil.which("wkhtmltopdf"):
        print(
            "note: wkhtmltopdf is not installed, so PDF reports (the envelope) print"
            " as HTML only; install it from https://wkhtmltopdf.org/downloads.html"
            " (Debian/Ubuntu: apt-get install wkhtmltopdf)",
            flush=True,
        )


def current_user():
    return getpass.getuser()
