"""The example production files under deploy/ are valid: gunicorn loads its configuration, systemd accepts the
units (`systemd-analyze verify` where it is installed, else a parse), nginx accepts the site (`nginx -t` where
nginx is installed; `.ci/multinode.sh` installs it)."""

from __future__ import annotations

import configparser
import os
import re
import runpy
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
UNITS = sorted((DEPLOY / "systemd").glob("*.service"))


def test_gunicorn_reads_the_shipped_configuration_and_sizes_a_server_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("GUNICORN_BIND", "0.0.0.0:8000")
    monkeypatch.setenv("GUNICORN_WORKERS", "5")
    conf = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    assert (conf["bind"], conf["workers"], conf["worker_class"]) == ("0.0.0.0:8000", 5, "gthread")
    checked = subprocess.run(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "--check-config",
            "-c",
            str(DEPLOY / "gunicorn.conf.py"),
            "config.wsgi:application",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "SECRET_KEY": "test-only-key-0123456789-abcdefghijklmnopqrstuvwxyz"},
    )
    assert checked.returncode == 0, checked.stderr


def _units_for_this_checkout(folder: Path) -> list[Path]:
    """The units with the release folder, user and settings file pointed at this checkout, so that verify can
    check every command it names."""
    copies = []
    for unit in UNITS:
        text = unit.read_text(encoding="utf-8").replace("/opt/projectoffice/current", str(ROOT))
        text = re.sub(r"(?m)^(User|Group)=.*$", r"\1=root", text)
        text = re.sub(r"(?m)^EnvironmentFile=.*$", f"EnvironmentFile={DEPLOY / 'systemd' / 'env.example'}", text)
        copy = folder / unit.name
        copy.write_text(text, encoding="utf-8")
        copies.append(copy)
    return copies


def test_the_systemd_units_name_a_web_server_workers_and_one_scheduler() -> None:
    commands = {}
    for unit in UNITS:
        parser = configparser.ConfigParser(strict=True, interpolation=None)
        parser.optionxform = str  # type: ignore[assignment,method-assign]
        parser.read(unit, encoding="utf-8")
        assert {"Unit", "Service", "Install"} <= set(parser.sections()), unit.name
        assert parser["Service"]["EnvironmentFile"] == "/etc/projectoffice/env"
        commands[unit.stem] = parser["Service"]["ExecStart"]
    assert "gunicorn -c deploy/gunicorn.conf.py config.wsgi:application" in commands["projectoffice-web"]
    assert "celery -A config worker" in commands["projectoffice-worker"]
    assert "celery -A config beat" in commands["projectoffice-beat"]


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze не установлен")
def test_systemd_analyze_verifies_the_units_without_a_warning(tmp_path: Path) -> None:
    verified = subprocess.run(
        ["systemd-analyze", "verify", *map(str, _units_for_this_checkout(tmp_path))],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert verified.returncode == 0 and verified.stderr.strip() == "", verified.stderr


def test_the_example_environment_sets_every_variable_settings_reads_for_several_nodes() -> None:
    names = {
        line.split("=", 1)[0]
        for line in (DEPLOY / "systemd" / "env.example").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    }
    assert {
        "DATABASE_URL",
        "SECRET_KEY",
        "SEARCH_ENGINE",
        "REDIS_CACHE_URL",
        "CELERY_BROKER_URL",
        "S3_BUCKET",
        "TRUSTED_PROXY_COUNT",
        "BEHIND_HTTPS_PROXY",
    } <= names
    settings_text = (ROOT / "config" / "settings.py").read_text(encoding="utf-8")
    unknown = {n for n in names if not n.startswith("GUNICORN_") and f'"{n}"' not in settings_text}
    assert unknown == set()


@pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx не установлен (.ci/multinode.sh ставит nginx-light)")
def test_nginx_accepts_the_site(tmp_path: Path) -> None:
    if shutil.which("openssl") is None:
        pytest.skip("нет openssl для временного сертификата")
    key, cert = tmp_path / "site.key", tmp_path / "site.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=office.example.ru",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    site = (DEPLOY / "nginx" / "projectoffice.conf").read_text(encoding="utf-8")
    site = site.replace("/etc/ssl/certs/ssl-cert-snakeoil.pem", str(cert))
    site = site.replace("/etc/ssl/private/ssl-cert-snakeoil.key", str(key))
    (tmp_path / "site.conf").write_text(site, encoding="utf-8")
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path / 'nginx.pid'};\nerror_log {tmp_path / 'error.log'};\nevents {{}}\n"
        f"http {{\n  access_log off;\n  include {tmp_path / 'site.conf'};\n}}\n",
        encoding="utf-8",
    )
    tested = subprocess.run(
        ["nginx", "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert tested.returncode == 0, tested.stderr
    assert "syntax is ok" in tested.stderr
