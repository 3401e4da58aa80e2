"""Log lines say which request or which job they belong to, in the format the settings configure."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import path

from projectoffice.lib import logcontext
from projectoffice.lib.jobs import JobRun
from tests.conftest import client_for
from tests.factories import UserFactory

logger = logging.getLogger("projectoffice.tests")
LOGGING: dict[str, Any] = settings.LOGGING


class _Lines(logging.Handler):
    """A handler built like the configured console one: its filters and its format."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []
        self.addFilter(logcontext.ContextFilter())
        self.setFormatter(logging.Formatter(LOGGING["formatters"]["context"]["format"]))

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture
def lines() -> Iterator[list[str]]:
    handler = _Lines()
    root = logging.getLogger()
    root.addHandler(handler)
    level = logger.level
    logger.setLevel(logging.INFO)
    yield handler.lines
    logger.setLevel(level)
    root.removeHandler(handler)


def _logging_view(request: HttpRequest) -> HttpResponse:
    request.user.is_authenticated  # noqa: B018 (the view looks the user up, as views do)
    logger.warning("something worth a look")
    return HttpResponse("ok")


urlpatterns = [path("logs", _logging_view)]


def test_the_console_handler_uses_the_context_filter_and_format() -> None:
    console = LOGGING["handlers"]["console"]
    assert console["filters"] == ["context"] and console["formatter"] == "context"
    assert "%(context)s" in LOGGING["formatters"]["context"]["format"]
    assert settings.MIDDLEWARE[0] == "projectoffice.lib.logcontext.LogContextMiddleware"


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_a_line_logged_while_answering_names_the_request_path_and_user(lines: list[str]) -> None:
    user = UserFactory(role="staff")
    response = client_for(user).get("/logs", HTTP_X_REQUEST_ID="lb-42")
    assert response["X-Request-ID"] == "lb-42"  # the proxy's id, so its log and ours can be joined
    [line] = [line for line in lines if "something worth a look" in line]
    assert f"[request=lb-42 method=GET path=/logs user={user.pk}]" in line
    assert " WARNING projectoffice.tests " in line


@pytest.mark.django_db
def test_django_s_line_for_an_error_answer_names_the_request(lines: list[str]) -> None:
    response = Client().get("/no-such-page/", HTTP_X_REQUEST_ID="lb-404")
    assert response.status_code == 404
    assert (
        [line for line in lines if "Not Found: /no-such-page/" in line]
        == [line for line in lines if "[request=lb-404 method=GET path=/no-such-page/ user=anonymous]" in line]
        != []
    )


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_a_request_without_a_sane_id_gets_one_of_its_own(lines: list[str]) -> None:
    response = Client().get("/logs", HTTP_X_REQUEST_ID="bad id\nwith a newline")
    given = response["X-Request-ID"]
    assert len(given) == 12 and given.isalnum()
    assert any(f"[request={given} method=GET path=/logs user=anonymous]" in line for line in lines)


def test_a_job_run_logs_each_failed_item_with_the_job_and_the_item(lines: list[str]) -> None:
    run = JobRun("nightly check", logger)
    with logcontext.job("send_things", run_id="r1"):
        for number in range(3):
            with run.item(f"thing={number}"):
                if number == 1:
                    raise OSError("mailbox full")
        run.finish("things: 2")
    [failure] = [line for line in lines if "failed for" in line]
    assert "[job=send_things run=r1 item=thing=1]" in failure and "nightly check: failed for thing=1" in failure
    assert "OSError: mailbox full" in failure  # the traceback follows the line
    assert [str(f) for f in run.failures] == ["thing=1: OSError: mailbox full"]
    assert any("[job=send_things run=r1] " in line and "failed: 1 (thing=1)" in line for line in lines)


def test_a_line_outside_any_request_or_job_says_so(lines: list[str]) -> None:
    logger.warning("on its own")
    assert any("[-] on its own" in line for line in lines)


def test_a_celery_task_logs_under_its_name_and_id(lines: list[str]) -> None:
    from config.celery import app

    @app.task(name="tests.logging_task")
    def logging_task() -> dict[str, str]:
        logger.warning("inside the task")
        return logcontext.current()

    result = logging_task.delay()
    context = result.get()
    assert context["job"] == "tests.logging_task" and context["run"] == result.id
    assert any(f"[job=tests.logging_task run={result.id}] inside the task" in line for line in lines)
    assert logcontext.current() == {}  # nothing is left behind once the task is done


def test_a_management_command_logs_under_its_name(monkeypatch: pytest.MonkeyPatch, lines: list[str]) -> None:
    import django.core.management

    import manage

    seen: list[dict[str, str]] = []
    monkeypatch.setattr(
        django.core.management, "execute_from_command_line", lambda argv: seen.append(logcontext.current())
    )
    monkeypatch.setattr("sys.argv", ["manage.py", "send_digests", "--verbosity", "2"])
    manage.main()
    assert seen[0]["job"] == "send_digests" and len(seen[0]["run"]) == 12
    assert logcontext.command_name(["manage.py", "--settings=x", "migrate"]) == "migrate"
