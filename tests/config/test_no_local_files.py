"""With several servers, a file written to one server's disk is missing on the others: the platform writes
uploaded files only through Django's storage API (the S3 bucket when S3_BUCKET is set). This scan fails on
code that writes a file itself; the only exception is the embedded search index, which is one machine's by
design (SEARCH_ENGINE=tantivy) and is not used with SEARCH_ENGINE=postgres."""

from __future__ import annotations

import ast
from pathlib import Path

from django.core.files.storage import storages

ROOT = Path(__file__).resolve().parents[2]
ALLOWED = {
    "projectoffice/matching/engine.py",  # the embedded tantivy index: one machine's by design
    "projectoffice/lib/scratch.py",  # a job's private working copies, removed when the job ends
}
WRITING_METHODS = {"write_text", "write_bytes", "mkdir", "touch", "unlink", "rmtree"}  # of a path
WRITING_OS = {"replace", "rename", "remove", "makedirs", "mkdir", "open"}  # os.…
WRITING_MODULES = {"shutil", "tempfile"}


def _is_os_call(func: ast.expr) -> bool:
    return isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "os"


def _writes(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id == "open":
                modes = [a.value for a in node.args[1:2] if isinstance(a, ast.Constant)]
                modes += [k.value.value for k in node.keywords if k.arg == "mode" and isinstance(k.value, ast.Constant)]
                if any(isinstance(m, str) and set(m) & set("wax+") for m in modes):
                    found.append((node.lineno, "open(…, write)"))
            elif isinstance(func, ast.Attribute) and func.attr in WRITING_METHODS:
                found.append((node.lineno, f".{func.attr}()"))
            elif _is_os_call(func) and func.attr in WRITING_OS:  # type: ignore[attr-defined]
                found.append((node.lineno, f"os.{func.attr}()"))  # type: ignore[attr-defined]
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            found += [(node.lineno, f"import {n}") for n in names if n.split(".")[0] in WRITING_MODULES]
    return found


def test_no_code_of_the_platform_writes_files_on_the_servers_disk_itself() -> None:
    offenders = []
    for path in sorted((ROOT / "projectoffice").rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if relative in ALLOWED or "/migrations/" in relative:
            continue
        offenders += [f"{relative}:{line} {what}" for line, what in _writes(ast.parse(path.read_text("utf-8")))]
    assert offenders == []


def test_the_scan_catches_each_way_of_writing_a_file() -> None:
    source = (
        "import shutil\nopen('a', 'w')\nopen('b', mode='ab')\nPath('c').write_bytes(b'')\nos.replace('d', 'e')\n"
        "open('f')\nopen('g', 'rb')\n"
    )
    assert [line for line, _ in _writes(ast.parse(source))] == [1, 2, 3, 4, 5]


def test_with_a_bucket_set_uploads_go_to_s3_through_the_storage_api(settings) -> None:  # type: ignore[no-untyped-def]
    import boto3
    from django.core.files.base import ContentFile
    from moto import mock_aws

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {"bucket_name": "projectoffice-test", "region_name": "us-east-1", "default_acl": "private"},
        },
    }
    with mock_aws():
        boto3.client("s3", region_name="us-east-1").create_bucket(Bucket="projectoffice-test")
        storage = storages.create_storage(settings.STORAGES["default"])
        name = storage.save("attachments/смета.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
        body = boto3.client("s3", region_name="us-east-1").get_object(Bucket="projectoffice-test", Key=name)["Body"]
        assert body.read() == b"%PDF-1.4\n%%EOF\n"
        assert storage.open(name).read() == b"%PDF-1.4\n%%EOF\n"
        assert "X-Amz-Signature" in storage.url(name) or "Signature" in storage.url(name)
