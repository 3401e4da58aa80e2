"""The language of a page: Russian everywhere, English only on the public pages under /en/ (the showcase for foreign
partners). Django's LocaleMiddleware would follow a browser's Accept-Language or a cookie on every page once English
is among LANGUAGES; the office's working pages must stay Russian whatever the browser asks, so the language comes
from the address alone."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

ENGLISH_PREFIX = "/en/"


def language_of(path: str) -> str:
    return "en" if path.startswith(ENGLISH_PREFIX) else settings.LANGUAGE_CODE


class OfficeLocaleMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = language_of(request.path_info)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
