"""Chromium for the browser tours: found on this machine, else obtained under var/.

Odoo looks for the browser on PATH by these names. Without one, the scripts fetch
Playwright's build of Chromium into var/chromium; when that cannot be done either, they
stop with one line saying what to install. A test run never goes on without a browser:
Odoo would skip the tours and report success.
"""

import os
import shutil
import subprocess
import sys

import _env

NAMES = ("google-chrome", "chromium", "chromium-browser", "google-chrome-stable")
HOME = _env.VAR / "chromium"
BROWSERS = HOME / "browsers"
BIN = HOME / "bin"  # holds a 'chromium' link to the obtained browser, put on PATH
PLAYWRIGHT = "playwright==1.65.2"
INSTALL_HINT = (
    "install Chromium or Google Chrome so that one of "
    f"{', '.join(NAMES)} is on PATH (Debian/Ubuntu: apt-get install chromium)"
)


def find_or_obtain():
    for name in NAMES:
        path = shutil.which(name)
        if path:
            return path
    link = BIN / "chromium"
    if _env.done(BROWSERS, PLAYWRIGHT) and _runs(link):
        return str(link)
    return _obtain(link)


def _runs(path):
    if not path.exists():
        return False
    try:
        result = subprocess.run(
            [str(path), "--headless", "--no-sandbox", "--version"],
            capture_output=True,
            text=True,
            timeout=60,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return result.returncode == 0


def _obtain(link):
    _env.say("no Chromium on PATH: fetching Playwright's Chromium into var/chromium")
    python = _env.venv(HOME / "venv", sys.executable, [PLAYWRIGHT], "Chromium")
    _env.forget(BROWSERS)
    env = dict(os.environ, PLAYWRIGHT_BROWSERS_PATH=str(BROWSERS))
    log_path = _env.VAR / "chromium-install.log"
    with open(log_path, "w") as log:
        result = subprocess.run(
            [python, "-m", "playwright", "install", "--no-shell", "chromium"],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
        )
    text = log_path.read_text()
    if result.returncode:
        if _env.NO_SPACE in text:
            _env.no_space("fetching Chromium")
        _env.fail(
            "no Chromium for the browser tours, and Playwright's could not be fetched"
            f" (see var/{log_path.name}): {INSTALL_HINT}"
        )
    found = sorted(BROWSERS.glob("chromium-*/chrome-linux*/chrome"))
    if not found:
        _env.fail(f"Playwright installed no Chromium in {BROWSERS}: {INSTALL_HINT}")
    BIN.mkdir(parents=True, exist_ok=True)
    link.unlink(missing_ok=True)
    link.symlink_to(found[-1])
    if not _runs(link):
        _env.fail(
            "Playwright's Chromium does not start here (missing system libraries:"
            f" '{python} -m playwright install-deps chromium' as root): {INSTALL_HINT}"
        )
    _env.mark_done(BROWSERS, PLAYWRIGHT)
    return str(link)
