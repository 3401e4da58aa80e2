"""Staff pages of the open data: the discovery feed and its decisions, XLSX export, imports; the sign-up link."""

from __future__ import annotations

import uuid
from pathlib import Path

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import get_valid_filename
from django.views.decorators.http import require_POST

from projectoffice.accounts.http import acting_user, form_errors_text, paginate, query_without_page, require
from projectoffice.lib import formats
from projectoffice.lib.spreadsheets import Column, workbook, write_table, xlsx_bytes
from projectoffice.lib.upload_limits import upload_refusal
from projectoffice.opendata import rules, selectors, services
from projectoffice.opendata.forms import ConfirmForm, FeedFilterForm, ImportStartForm, MergeForm, SignUpForm
from projectoffice.opendata.models import Company, ImportRun
from projectoffice.opendata.tasks import import_file_task
from projectoffice.organisations.models import Organisation


def _filters(request: HttpRequest) -> tuple[FeedFilterForm, dict]:
    form = FeedFilterForm(request.GET or None)
    return form, (form.cleaned_data if form.is_valid() else {})


@require(rules.can_use_feed)
def feed(request: HttpRequest) -> HttpResponse:
    form, filters = _filters(request)
    context = {
        "filter_form": form,
        "page": paginate(request, selectors.discovered(filters=filters)),
        "query": query_without_page(request),
        "confirm_form": ConfirmForm(),
        "runs": selectors.latest_runs(5),
        "municipalities": selectors.municipalities(),
        "demo_fns": selectors.demo_rewritten(),
    }
    return render(request, "opendata/feed.html", context)


EXPORT_COLUMNS = [
    Column("ИНН", 14), Column("ОГРН", 16), Column("Наименование", 50), Column("Тип", 22),
    Column("Основной ОКВЭД2", 12), Column("Категория", 20), Column("Численность", 12, formats.XLSX_INTEGER),
    Column("Муниципалитет", 20), Column("В реестре МСП на", 14, formats.XLSX_DATE), Column("Что изменилось", 28),
    Column("Решение офиса", 18),
]  # fmt: skip


@require(rules.can_use_feed)
def feed_export(request: HttpRequest) -> HttpResponse:
    _form, filters = _filters(request)
    book, sheet = workbook("Компании региона")
    rows = (
        [c.inn, c.ogrn, c.name, c.get_kind_display(), c.main_okved, c.get_category_display(), c.headcount,
         c.municipality, c.sme_as_of, " ".join(p for p in (c.get_change_display(), c.change_note) if p),
         c.get_status_display()]
        for c in selectors.discovered(filters=filters)
    )  # fmt: skip
    write_table(sheet, EXPORT_COLUMNS, rows)
    response = HttpResponse(
        xlsx_bytes(book), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="companies.xlsx"'
    return response


def _back(request: HttpRequest) -> HttpResponse:
    return redirect(reverse("opendata:feed") + ("?" + request.POST["back"] if request.POST.get("back") else ""))


@require_POST
@require(rules.can_use_feed)
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    company = get_object_or_404(Company, pk=pk)
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
        return _back(request)
    try:
        card = services.company_confirm(actor=acting_user(request), company=company, kind=form.cleaned_data["kind"])
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
        return _back(request)
    company.refresh_from_db()
    if form.cleaned_data["email"]:
        link = request.build_absolute_uri(
            reverse("opendata:join", args=[services.invitation_token(company, form.cleaned_data["email"])])
        )
        services.company_invite(actor=acting_user(request), company=company, email=form.cleaned_data["email"],
                                link=link)  # fmt: skip
        messages.success(request, f"Приглашение отправлено на {form.cleaned_data['email']}.")
    messages.success(request, f"Компания «{card}» внесена в реестр.")
    return redirect("organisations:detail", card.pk)


@require_POST
@require(rules.can_use_feed)
def merge(request: HttpRequest, pk: int) -> HttpResponse:
    company = get_object_or_404(Company, pk=pk)
    form = MergeForm(request.POST)
    card = Organisation.objects.filter(inn=form.data.get("inn", "").strip()).first() if form.is_valid() else None
    if card is None:
        messages.error(request, "В реестре нет организации с таким ИНН.")
        return _back(request)
    try:
        services.company_merge(actor=acting_user(request), company=company, organisation=card)
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
        return _back(request)
    messages.success(request, f"Компания связана с карточкой «{card}».")
    return _back(request)


@require_POST
@require(rules.can_use_feed)
def ignore(request: HttpRequest, pk: int) -> HttpResponse:
    services.company_ignore(actor=acting_user(request), company=get_object_or_404(Company, pk=pk))
    messages.success(request, "Компания скрыта из ленты.")
    return _back(request)


@require(rules.can_use_feed)
def imports(request: HttpRequest) -> HttpResponse:
    refusal = upload_refusal(request) if request.method == "POST" else None
    form = ImportStartForm(request.POST or None, request.FILES or None)
    if refusal:
        messages.error(request, refusal)
    elif request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        # Through the storage API (S3 with several servers), so the worker that runs the import can read it; the
        # task deletes it when done.
        name = f"fns-uploads/{uuid.uuid4().hex}/{get_valid_filename(Path(upload.name).name)[-100:]}"
        name = default_storage.save(name, upload)
        run = services.run_start(actor=acting_user(request), dataset=form.cleaned_data["dataset"],
                                 full_dump=form.cleaned_data["full_dump"])  # fmt: skip
        import_file_task.delay(run.pk, name)
        return redirect("opendata:run", run.pk)
    return render(request, "opendata/imports.html", {"form": form, "runs": selectors.latest_runs(20)})


@require(rules.can_use_feed)
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(ImportRun, pk=pk)
    template = "opendata/_run.html" if request.htmx else "opendata/run.html"  # type: ignore[attr-defined]
    return render(request, template, {"run": run})


def join(request: HttpRequest, token: str) -> HttpResponse:
    """The invited person's sign-up: an account and membership of the organisation."""
    try:
        company, email = services.invitation_read(token)
    except ValidationError as exc:
        return render(request, "opendata/join.html", {"error": "; ".join(exc.messages)}, status=400)
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.member_sign_up(company=company, email=email, data=form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, "; ".join(exc.messages))
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            assert company.organisation is not None
            return redirect("organisations:detail", company.organisation.pk)
    return render(request, "opendata/join.html", {"form": form, "company": company, "email": email})
