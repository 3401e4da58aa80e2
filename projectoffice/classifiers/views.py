"""Code pickers: suggestions by code or by words, and a browsable classifier page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from projectoffice.accounts.http import paginate, query_without_page
from projectoffice.classifiers.selectors import SCHEMES, code_suggestions


@login_required
def suggest(request: HttpRequest, scheme: str) -> HttpResponse:
    if scheme not in SCHEMES:
        raise Http404
    query = request.GET.get("q", "")[:100]
    codes = code_suggestions(scheme=scheme, query=query)
    return render(request, "classifiers/_suggestions.html", {"codes": codes, "query": query})


@login_required
def browse(request: HttpRequest, scheme: str) -> HttpResponse:
    if scheme not in SCHEMES:
        raise Http404
    model = SCHEMES[scheme]
    query = request.GET.get("q", "")[:100]
    codes = model.objects.search(query) if query else model.objects.filter(level__lte=1)
    context = {
        "page": paginate(request, codes.order_by("code"), 50),
        "query": query_without_page(request),
        "q": query,
        "scheme": scheme,
        "title": model._meta.verbose_name_plural,
    }
    return render(request, "classifiers/browse.html", context)
