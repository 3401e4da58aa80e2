"""Views, API endpoints and management commands write nothing themselves: every write goes through a service
(services.py or an app's named service module), which checks, audits and runs in one transaction."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "projectoffice"
ALWAYS_WRITES = {"create", "get_or_create", "update_or_create", "bulk_create", "bulk_update"}
# A few writes belong where they are; each says why.
ALLOWED = {
    ("api/authentication.py", "auth_token.delete()"): "a token refused at sign-in (password changed since) is "
    "dropped by the authentication class itself, as knox drops expired ones",
}


def _entry_points() -> list[Path]:
    """Modules a request or an operator reaches first: views, the API, management commands."""
    found = [*ROOT.glob("*/views.py"), *ROOT.glob("api/*.py"), *ROOT.glob("*/management/commands/*.py")]
    return sorted(found)


def _is_write(call: ast.Call) -> bool:
    if not isinstance(call.func, ast.Attribute):
        return False
    name, receiver = call.func.attr, ast.unparse(call.func.value)
    if name in ALWAYS_WRITES:
        return True
    if name in {"save", "delete"}:
        return not call.args  # model.save(update_fields=…), queryset.delete(); not workbook.save(buffer)
    if name == "update":
        return "objects" in receiver or receiver.endswith(")")  # Model.objects.filter(…).update(…)
    return False


def _writes(path: Path) -> list[tuple[str, str]]:
    relative = path.relative_to(ROOT).as_posix()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [(relative, ast.unparse(node)) for node in ast.walk(tree) if isinstance(node, ast.Call) and _is_write(node)]


def test_no_view_api_endpoint_or_command_writes_to_the_database_itself() -> None:
    found = [write for path in _entry_points() for write in _writes(path)]
    assert [w for w in found if w not in ALLOWED] == []


def test_the_check_finds_a_write_where_it_should_not_be(tmp_path: Path) -> None:
    module = tmp_path / "views.py"
    module.write_text(
        "def view(request, subscription):\n"
        "    subscription.is_active = False\n"
        "    subscription.save(update_fields=['is_active'])\n"
        "    Subscription.objects.filter(pk=1).update(is_active=False)\n"
        "    Score.objects.update_or_create(assignment=a, defaults={})\n"
        "    context.update(form=form)\n"
        "    workbook.save(buffer)\n"
    )
    tree = ast.parse(module.read_text())
    writes = [ast.unparse(n) for n in ast.walk(tree) if isinstance(n, ast.Call) and _is_write(n)]
    assert len(writes) == 3 and not any("context" in w or "workbook" in w for w in writes)


def test_every_allowed_write_is_still_there() -> None:
    found = {write for path in _entry_points() for write in _writes(path)}
    assert set(ALLOWED) <= found
