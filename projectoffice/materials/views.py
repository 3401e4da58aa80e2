"""Pages of materials and data rooms."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def room(request: HttpRequest, room_id: int) -> HttpResponse:
    raise NotImplementedError
