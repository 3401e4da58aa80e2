"""What a locked-out login attempt gets (django-axes calls this): a clear Russian answer, logged."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from projectoffice.lib.clients import client_address

logger = logging.getLogger("projectoffice.security")


def lockout_message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return (
        f"Слишком много неудачных попыток входа. Вход для этой учётной записи или адреса временно закрыт "
        f"на {minutes} мин. Если вы забыли пароль, восстановите его по ссылке на странице входа."
    )


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict[str, Any] | None = None
) -> HttpResponse:
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    logger.warning("login locked out: user=%r address=%s path=%s", username, client_address(request), request.path)
    retry = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    if request.path.startswith("/api/"):
        body = {"error": {"code": "throttled", "message": lockout_message(), "fields": {}}}
        response: HttpResponse = JsonResponse(body, status=429)
    else:
        response = render(request, "registration/locked_out.html", {"message": lockout_message()}, status=429)
    response["Retry-After"] = retry
    return response
