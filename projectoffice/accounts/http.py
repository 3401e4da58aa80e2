"""View decorators and helpers that turn authorisation rules into 403/404 answers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from projectoffice.accounts.models import User

ViewFunc = TypeVar("ViewFunc", bound=Callable[..., HttpResponseBase])


def require(rule: Callable[[Any], bool]) -> Callable[[ViewFunc], ViewFunc]:
    """Log-in required, then the role rule must hold, else 403."""

    def decorator(view: ViewFunc) -> ViewFunc:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not rule(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


def acting_user(request: Any) -> User:
    """The logged-in user of a request that the view's rules have already admitted."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


def form_errors_text(form: Any) -> str:
    """All of a form's errors in one line, each prefixed with its field's label."""
    parts = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        parts.append((f"{label}: " if label else "") + " ".join(str(e) for e in errors))
    return "; ".join(parts)


def error_text(exc: Exception, fallback: str | None = None) -> str:
    """A refused action's reasons in one line: a ValidationError's messages, else the fallback or the exception."""
    return " ".join(getattr(exc, "messages", [str(exc) if fallback is None else fallback]))


def paginate(request: HttpRequest, queryset: Any, per_page: int = 25) -> Page:
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def query_without_page(request: HttpRequest) -> str:
    """The current filters as a query string, for pagination links."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@dataclass(frozen=True)
class SortLink:
    """A sortable column's header: the link that sorts by it (or reverses it) with the filters kept."""

    label: str
    href: str
    aria_sort: str  # "ascending", "descending" or "none"

    @property
    def arrow(self) -> str:
        return {"ascending": "↑", "descending": "↓"}.get(self.aria_sort, "")


def sort_links(request: HttpRequest, columns: dict[str, str], current: str) -> dict[str, SortLink]:
    """Header links for the sortable columns {key: label}; the first page of the current filters, sorted anew."""
    params = request.GET.copy()
    params.pop("page", None)
    links = {}
    for key, label in columns.items():
        if current == key:
            state, target = "ascending", f"-{key}"
        elif current == f"-{key}":
            state, target = "descending", key
        else:
            state, target = "none", key
        params["sort"] = target
        links[key] = SortLink(label, f"{request.path}?{params.urlencode()}", state)
    return links
