#!/usr/bin/env python3
"""What a newcomer does, checked: a fresh clone of this commit, `make demo` on another port (base requirements only,
its own .venv), a dozen pages as anonymous and as `staff`; then the README's production install in a clean venv
(`check --deploy` with production-like variables, `migrate` on this machine's PostgreSQL).

Run from the repository: `python3 .ci/smoke.py [--port 8765] [--skip-production]`. Standard library only.
Exits non-zero on the first page that answers anything but its expected status, naming it.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEMO_PASSWORD = "demo-password"  # printed by `make demo`; the demo region only
ANONYMOUS = [
    ("/healthz", 200),
    ("/", 200),
    ("/accounts/login/", 200),
    ("/opportunities/", 200),
    ("/opportunities/closing-soon/", 200),
    ("/events/", 200),
    ("/kpis/public/", 200),
    ("/api/v1/opportunities", 200),
    ("/api/v1/openapi.json", 200),
    ("/static/css/app.css", 200),
    ("/projects/", 302),  # to the login page
    ("/api/v1/projects", 401),
]
STAFF = [
    ("/", 200),
    ("/organisations/", 200),
    ("/projects/", 200),
    ("/projects/board/", 200),
    ("/opportunities/", 200),
    ("/applications/", 200),
    ("/events/", 200),
    ("/kpis/", 200),
    ("/kpis/reports/", 200),
    ("/matching/subscriptions/", 200),
    ("/accounts/profile/", 200),
    ("/admin/", 200),
]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def opener() -> urllib.request.OpenerDirector:
    jar = http.cookiejar.CookieJar()
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect())


def status_of(browser: urllib.request.OpenerDirector, url: str, data: bytes | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url, data=data, headers={"Referer": url})
    try:
        with browser.open(request, timeout=60) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def wait_for(url: str, server: subprocess.Popen[bytes], log: Path, seconds: int) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"`make demo` stopped with code {server.returncode}; its log:\n{log.read_text()[-4000:]}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(3)
    sys.exit(f"{url} did not answer within {seconds} s; the log:\n{log.read_text()[-4000:]}")


def check_pages(base: str) -> int:
    failures = 0
    anonymous = opener()
    for path, expected in ANONYMOUS:
        code, _ = status_of(anonymous, base + path)
        failures += code != expected
        print(f"  anonymous {path}: {code}{'' if code == expected else f' (expected {expected})'}")
    staff = opener()
    _, page = status_of(staff, base + "/accounts/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if token is None:
        print("  the login page has no CSRF token")
        return failures + 1
    form = urllib.parse.urlencode(
        {"username": "staff", "password": DEMO_PASSWORD, "csrfmiddlewaretoken": token.group(1)}
    ).encode()
    code, _ = status_of(staff, base + "/accounts/login/", form)
    print(f"  staff logs in with the demo password: {code}{'' if code == 302 else ' (expected 302)'}")
    failures += code != 302
    for path, expected in STAFF:
        code, _ = status_of(staff, base + path)
        failures += code != expected
        print(f"  staff {path}: {code}{'' if code == expected else f' (expected {expected})'}")
    return failures


def demo_from_a_fresh_clone(work: Path, port: int) -> int:
    clone = work / "clone"
    commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    subprocess.run(["git", "clone", "--quiet", "--no-hardlinks", str(ROOT), str(clone)], check=True)
    subprocess.run(["git", "checkout", "--quiet", commit.strip()], cwd=clone, check=True)
    print(f"fresh clone of {commit.strip()[:12]} in {clone}")
    log = work / "make-demo.log"
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "VIRTUAL_ENV", "CELERY_BROKER_URL"}}
    started = time.monotonic()
    with log.open("wb") as out:
        server = subprocess.Popen(
            ["make", "demo", f"PORT={port}"], cwd=clone, stdout=out, stderr=subprocess.STDOUT, env=env,
            start_new_session=True,
        )  # fmt: skip
    try:
        wait_for(f"http://127.0.0.1:{port}/healthz", server, log, seconds=900)
        print(f"make demo served /healthz after {time.monotonic() - started:.0f} s")
        text = log.read_text()
        for login in ("staff", "grantor", "expert", "member", "community"):
            if login not in text:
                print(f"  make demo did not print the demo login {login!r}")
                return 1
        return check_pages(f"http://127.0.0.1:{port}")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def production_install(work: Path) -> int:
    """The README's production lines, in a clean venv, run from outside the source tree."""
    venv = work / "prod-venv"
    python = venv / "bin" / "python"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    with (work / "pip.log").open("w") as log:  # pip's notes about this machine's extra indexes are noise here
        subprocess.run([*pip, "-r", str(ROOT / "requirements" / "base.txt")], check=True, stderr=log)
        subprocess.run([*pip, "--no-deps", str(work / "clone")], check=True, stderr=log)
    database = f"smoke_{secrets.token_hex(4)}"
    psql = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-q", "-c"]
    subprocess.run([*psql, f"CREATE DATABASE {database}"], check=True)
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "VIRTUAL_ENV"}} | {
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{database}",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "office.example.ru",
        "BEHIND_HTTPS_PROXY": "1",
        "VAR_DIR": str(work / "prod-var"),
    }
    command = str(venv / "bin" / "projectoffice")
    failures = 0
    try:
        for args in (["check", "--deploy", "--fail-level", "WARNING"], ["migrate", "--noinput", "-v", "0"],
                     ["collectstatic", "--noinput", "-v", "0"], ["load_classifiers"]):  # fmt: skip
            result = subprocess.run([command, *args], cwd=work, env=env, capture_output=True, text=True)
            print(f"  production: projectoffice {' '.join(args)}: exit {result.returncode}")
            if result.returncode:
                print(result.stdout[-3000:], result.stderr[-3000:])
                failures += 1
    finally:
        subprocess.run([*psql, f"DROP DATABASE IF EXISTS {database}"], check=False)
    return failures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--skip-production", action="store_true")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="po-smoke-"))
    started = time.monotonic()
    try:
        failures = demo_from_a_fresh_clone(work, args.port)
        if not args.skip_production:
            failures += production_install(work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"smoke: {failures} failure(s) in {time.monotonic() - started:.0f} s")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
