"""Odoo 19.0 for the dev scripts: the one of this machine, else one installed in var/.

``ODOO_BIN`` names the odoo command to use; else ``odoo`` on PATH, when it is 19.0;
else Odoo 19.0 Community installed here, never into the repository:

- its source in var/odoo/src, from Odoo's official repository at the commit pinned in
  tools/deps/odoo-source.txt (a shallow fetch of that one commit), or from
  ``ODOO_SOURCE``: a folder (copied; fetched when it is a git repository) or a git URL,
  at its HEAD or at the commit ``ODOO_COMMIT`` names;
- a virtualenv in var/odoo/venv with Odoo's Python dependencies installed from wheels
  (versions in tools/deps/constraints.txt), Odoo itself (editable) and
  requirements.txt.

Each step leaves a ``.done`` stamp when it finishes: an interrupted one is redone from
scratch by the next run, a finished one is reused.
"""

import hashlib
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import _env

PIN = _env.ROOT / "tools" / "deps" / "odoo-source.txt"
CONSTRAINTS = _env.ROOT / "tools" / "deps" / "constraints.txt"
HOME = _env.VAR / "odoo"
SRC = HOME / "src"
VENV = HOME / "venv"
PYTHONS = ((3, 10), (3, 11), (3, 12))
# Odoo's requirements.txt, adapted to wheels: psycopg2 has none (its binary build
# has), python-ldap (LDAP login only) compiles against libldap, and lxml >= 5.2 of
# the constraints moved its HTML cleaner to lxml-html-clean.
RENAMED = {"psycopg2": "psycopg2-binary"}
LEFT_OUT = {"python-ldap"}
ADDED = ["lxml-html-clean"]
# Pure Python, published as source archives only.
SOURCE_ONLY = "ofxparse,docopt"
GIT_NETWORK_ERRORS = (
    "Could not resolve host",
    "unable to access",
    "Failed to connect",
    "Connection timed out",
    "Could not read from remote",
    "Network is unreachable",
)


def find_or_install():
    explicit = os.environ.get("ODOO_BIN")
    if explicit:
        path = shutil.which(explicit) or explicit
        if not Path(path).is_file():
            _env.fail(f"ODOO_BIN is '{explicit}': no such command")
        version = _version(path)
        if not _is_19(version):
            _env.fail(f"ODOO_BIN runs '{version}', Odoo {_env.ODOO_SERIES} is needed")
        return path
    on_path = shutil.which("odoo")
    if on_path:
        version = _version(on_path)
        if _is_19(version):
            return on_path
        _env.say(f"'odoo' on PATH is '{version}': using Odoo 19.0 in var/odoo instead")
    return _installed()


def _version(path):
    try:
        result = subprocess.run(
            [path, "--version"], capture_output=True, text=True, timeout=120
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        _env.fail(f"'{path} --version' did not run ({exc})")
    return result.stdout.strip() or "unknown"


def _is_19(version):
    return bool(re.search(rf"\b{re.escape(_env.ODOO_SERIES)}\b", version))


def _installed():
    started = time.monotonic()
    origin, commit = _origin()
    fetched = _fetch(origin, commit)
    built = _build_venv(fetched)
    if fetched or built:
        _env.say(f"Odoo 19.0 ready in var/odoo ({time.monotonic() - started:.0f}s)")
    return str(VENV / "bin" / "odoo")


# The source ---------------------------------------------------------------------


def _pinned():
    values = {}
    for line in PIN.read_text().splitlines():
        key, sep, value = line.partition("=")
        if sep and not line.lstrip().startswith("#"):
            values[key.strip()] = value.strip()
    return values["url"], values["commit"]


def _origin():
    """(where from, which commit): the pinned one, or ODOO_SOURCE's."""
    source = os.environ.get("ODOO_SOURCE", "").strip()
    commit = os.environ.get("ODOO_COMMIT", "").strip() or None
    if not source:
        url, pinned = _pinned()
        return url, commit or pinned
    folder = Path(source).expanduser()
    if folder.is_dir():
        folder = folder.resolve()
        if not (folder / "odoo" / "release.py").exists():
            _env.fail(f"ODOO_SOURCE '{source}' holds no Odoo (no odoo/release.py)")
        if _is_git(folder):
            head = (
                commit
                or subprocess.run(
                    ["git", "-C", str(folder), "rev-parse", "HEAD"],
                    capture_output=True,
                    text=True,
                ).stdout.strip()
            )
            return f"file://{folder}", head or None
        return str(folder), None
    if "://" in source or source.startswith("git@") or source.endswith(".git"):
        return source, commit
    _env.fail(f"ODOO_SOURCE '{source}' is neither a folder nor a git URL")
    return None


def _is_git(folder):
    return bool(shutil.which("git")) and (
        subprocess.run(
            ["git", "-C", str(folder), "rev-parse", "--git-dir"], capture_output=True
        ).returncode
        == 0
    )


def _fetch(origin, commit):
    """Bring the source into var/odoo/src unless it is there already."""
    key = f"{origin} {commit or 'HEAD'}"
    if _env.done(SRC, key):
        return False
    _env.forget(SRC)
    HOME.mkdir(parents=True, exist_ok=True)
    if Path(origin).is_dir():
        _env.say(f"copying Odoo from {origin} into var/odoo/src")
        try:
            shutil.copytree(
                origin,
                SRC,
                symlinks=True,
                ignore=shutil.ignore_patterns("*.egg-info", "__pycache__", ".git"),
            )
        except OSError as exc:
            if exc.errno == 28:
                _env.no_space("copying Odoo")
            _env.fail(f"copying Odoo from {origin} failed: {exc}")
    else:
        _git_fetch(origin, commit)
    version = _source_version()
    if version != _env.ODOO_SERIES:
        _env.forget(SRC)
        _env.fail(f"{origin} holds Odoo {version}, not Odoo {_env.ODOO_SERIES}")
    _env.mark_done(SRC, key)
    return True


def _git_fetch(url, commit):
    if not shutil.which("git"):
        _env.fail(
            "git is not installed: install it, or set ODOO_SOURCE to a folder"
            " holding Odoo 19.0"
        )
    what = f"{url} at {commit[:12]}" if commit else url
    _env.say(f"fetching Odoo 19.0 from {what} (one commit, about 300 MB)")
    SRC.mkdir(parents=True)
    _git("init", "-q")
    output = _git_progress(
        "fetch", "--depth", "1", "--progress", url, commit or "HEAD", what=what
    )
    if output is not None:
        if _env.NO_SPACE in output:
            _env.no_space("fetching Odoo")
        last = [line for line in output.splitlines() if line.strip()][-1:]
        reason = last[0].strip() if last else "git failed"
        if any(error in output for error in GIT_NETWORK_ERRORS):
            _env.fail(
                f"could not fetch Odoo from {url} ({reason}): on a machine without"
                " access to it, set ODOO_SOURCE to a copy of Odoo 19.0 (folder or"
                " git URL)"
            )
        _env.fail(f"could not fetch Odoo from {what}: {reason}")
    _env.say("checking out Odoo's files")
    checkout = _git("-c", "advice.detachedHead=false", "checkout", "-q", "FETCH_HEAD")
    if checkout.returncode:
        if _env.NO_SPACE in checkout.stderr:
            _env.no_space("checking out Odoo")
        _env.fail(f"checking out Odoo failed: {checkout.stderr.strip()}")


def _git(*args):
    return subprocess.run(
        ["git", "-C", str(SRC), *args], capture_output=True, text=True
    )


def _git_progress(*args, what):
    """Run git, echoing its progress every few seconds; None when it succeeded."""
    process = subprocess.Popen(
        ["git", "-C", str(SRC), *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    output = []
    shown = 0.0
    buffer = b""
    while True:
        chunk = process.stderr.read(256)
        if not chunk:
            break
        buffer += chunk
        *parts, buffer = re.split(rb"[\r\n]", buffer)
        for part in parts:
            line = part.decode(errors="replace").strip()
            if not line:
                continue
            output.append(line)
            if time.monotonic() - shown > 5 and re.search(r"\d+%", line):
                shown = time.monotonic()
                print(f"    {line}", flush=True)
    output.append(buffer.decode(errors="replace"))
    if process.wait() == 0:
        return None
    return "\n".join(output)


def _source_version():
    text = (SRC / "odoo" / "release.py").read_text()
    found = re.search(r"version_info[^=]*=\s*\(\s*(\d+),\s*(\d+)", text)
    return f"{found.group(1)}.{found.group(2)}" if found else "unknown"


# The virtualenv -----------------------------------------------------------------


def _python():
    """A Python that Odoo 19 and the constraints support."""
    wanted = os.environ.get("CRM_PROSPECTION_PYTHON")
    candidates = (
        [wanted]
        if wanted
        else [sys.executable]
        + [f"python{major}.{minor}" for major, minor in reversed(PYTHONS)]
    )
    for candidate in candidates:
        path = shutil.which(candidate) or candidate
        version = _env.python_version(path)
        if version and tuple(map(int, version.split("."))) in PYTHONS:
            return path
    _env.fail(
        "installing Odoo 19 needs Python 3.10, 3.11 or 3.12 (this is"
        f" {sys.version.split()[0]}): install one, or name it in CRM_PROSPECTION_PYTHON"
    )
    return None


def _odoo_requirements():
    """Odoo's requirements.txt without versions (the constraints pin them)."""
    lines = []
    for line in (SRC / "requirements.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        requirement, _sep, marker = line.partition(";")
        name = re.split(r"[<>=!~ \[]", requirement.strip(), maxsplit=1)[0]
        if name.lower() in LEFT_OUT:
            continue
        name = RENAMED.get(name.lower(), name)
        if name.lower() in ADDED:
            marker = ""
        entry = f"{name} ; {marker.strip()}" if marker.strip() else name
        if entry not in lines:
            lines.append(entry)
    lines += [name for name in ADDED if name not in lines]
    path = HOME / "requirements-odoo.txt"
    path.write_text("\n".join(lines) + "\n")
    return path


def _binary_psycopg2_satisfies_odoo():
    """Odoo's metadata asks for psycopg2: say psycopg2-binary, which is installed.

    Else pip, resolving the OCA add-ons (which require ``odoo``), would build
    psycopg2 from source, which needs a C compiler and libpq's headers.
    """
    for metadata in VENV.glob("lib/python*/site-packages/odoo-*.dist-info/METADATA"):
        text = metadata.read_text()
        fixed = re.sub(
            r"^Requires-Dist: psycopg2\b(?!-)",
            "Requires-Dist: psycopg2-binary",
            text,
            flags=re.M,
        )
        if fixed != text:
            metadata.write_text(fixed)


def _build_venv(source_changed):
    python = _python()
    digest = hashlib.sha256(CONSTRAINTS.read_bytes()).hexdigest()[:16]
    source = SRC.with_name("src.done").read_text()
    key = f"{_env.python_version(python)} {digest} {source}"
    if not source_changed and _env.done(VENV, key):
        return False
    _env.forget(VENV)
    _env.say(f"creating Odoo's virtualenv in var/odoo/venv (Python {key.split()[0]})")
    made = subprocess.run(
        [python, "-m", "venv", str(VENV)], capture_output=True, text=True
    )
    if made.returncode:
        if _env.NO_SPACE in made.stdout + made.stderr:
            _env.no_space("creating Odoo's virtualenv")
        _env.fail(
            f"'{python} -m venv' failed: install Python's venv module"
            " (Debian/Ubuntu: apt-get install python3-venv)"
        )
    pip = str(VENV / "bin" / "python")
    constraints = ["-c", str(CONSTRAINTS)]
    # An older pip (Python 3.10's) installs Odoo editable the legacy way, with an
    # odoo script that checks setup.py's requirements (psycopg2) and fails.
    _env.pip_install(pip, ["--upgrade", "pip"], "pip", "odoo-pip-pip.log")
    _env.say("[1/3] Odoo's Python dependencies, from wheels")
    _env.pip_install(
        pip,
        ["--only-binary=:all:", f"--no-binary={SOURCE_ONLY}", *constraints]
        + ["-r", str(_odoo_requirements())],
        "Odoo's dependencies",
        "odoo-pip.log",
    )
    _env.say("[2/3] Odoo itself (editable, from var/odoo/src)")
    _env.pip_install(pip, ["--no-deps", "-e", str(SRC)], "Odoo", "odoo-pip-odoo.log")
    _binary_psycopg2_satisfies_odoo()
    _env.say("[3/3] requirements.txt (OCA add-ons, test and lint tools)")
    _env.pip_install(
        pip,
        [*constraints, "-r", str(_env.ROOT / "requirements.txt")],
        "requirements.txt",
        "odoo-pip-requirements.log",
    )
    _env.mark_done(VENV, key)
    return True
