"""Every API error as JSON of one stable shape: {"error": {"code", "message", "fields"}}."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views import defaults
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from projectoffice.accounts.views import csrf_failure as csrf_failure_page

MESSAGES = {
    "not_authenticated": "Требуется аутентификация: передайте заголовок Authorization: Bearer <токен>.",
    "authentication_failed": "Неверный или отозванный токен.",
    "permission_denied": "Недостаточно прав для этого действия.",
    "not_found": "Объект не найден.",
    "method_not_allowed": "Метод не поддерживается.",
    "invalid": "Данные не прошли проверку.",
    "parse_error": "Тело запроса не является корректным JSON.",
    "unsupported_media_type": "Неподдерживаемый тип содержимого.",
    "throttled": "Слишком много запросов.",
    "conflict": "Конфликт с текущим состоянием объекта.",
    "too_large": "Тело запроса слишком большое.",
    "csrf_failed": "Запрос с cookie сессии без CSRF-токена отклонён: передайте заголовок X-CSRFToken или токен API.",
    "bad_request": "Некорректный запрос.",
    "server_error": "Внутренняя ошибка сервера. Мы уже знаем о ней; попробуйте позже.",
}

API_PREFIX = "/api/"


def is_api_request(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


class PayloadTooLarge(exceptions.APIException):
    """413: an upload refused for its size while it was read."""

    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"
    default_detail = MESSAGES["too_large"]


def error_body(code: str, message: str, fields: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(detail=exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(detail=str(exc) or None)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail
        fields = detail if isinstance(detail, dict) else {"non_field_errors": detail}
        response.data = error_body("invalid", MESSAGES["invalid"], fields)
    else:
        code = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
        code = code if isinstance(code, str) else "error"
        text = str(exc.detail) if isinstance(exc, exceptions.APIException) else ""
        default = str(exc.default_detail) if isinstance(exc, exceptions.APIException) else ""
        message = MESSAGES.get(code, text) if text == default else text
        response.data = error_body(code, message)
    return response


def _json(code: str, http_status: int) -> JsonResponse:
    # Russian messages as they are, the same bytes DRF sends for its own errors (UNICODE_JSON).
    return JsonResponse(error_body(code, MESSAGES[code]), status=http_status, json_dumps_params={"ensure_ascii": False})


@csrf_exempt  # an unknown path answers 404 whatever the method, before any CSRF check
def not_found_json(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    """404 for unknown /api/ paths, in the same shape as every other API error."""
    return _json("not_found", status.HTTP_404_NOT_FOUND)


# Django's own error pages (raised outside DRF's views: CSRF middleware, a bad Host, a crash) are HTML;
# under /api/ they answer in the API's error shape instead.


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    if is_api_request(request):
        return _json("csrf_failed", status.HTTP_403_FORBIDDEN)
    return csrf_failure_page(request, reason)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api_request(request):
        return _json("bad_request", status.HTTP_400_BAD_REQUEST)
    return defaults.bad_request(request, exception)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api_request(request):
        return _json("permission_denied", status.HTTP_403_FORBIDDEN)
    return defaults.permission_denied(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if is_api_request(request):
        return _json("server_error", status.HTTP_500_INTERNAL_SERVER_ERROR)
    return defaults.server_error(request)
