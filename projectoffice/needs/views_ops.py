"""Pages of the needs service's operations: needs by age with one-click reminders (staff), the satisfaction survey
(the enterprise, by a signed link), «Создать пилотный проект» (staff), the landscape of demand (public and
anonymised; staff with drill-down; CSV and JSON) and the statistics with the monthly XLSX (staff and grantor)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from projectoffice.accounts.http import acting_user, error_text, paginate, query_without_page, require
from projectoffice.accounts.rules import can_oversee, is_staff
from projectoffice.lib import formats, spreadsheets
from projectoffice.needs import landscape, outcomes, reminders, stats
from projectoffice.needs.models import Need, NeedStatus, SurveyOutcome
from projectoffice.organisations.models import Organisation, OrganisationKind

# --- needs by age ---------------------------------------------------------------------------------------------


@require(is_staff)
def ages(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    rows = reminders.needs_by_age(status=status)
    bands = {label: 0 for _start, label in reminders.AGE_BANDS}
    for row in rows:
        bands[row.band] += 1
    return render(
        request,
        "needs/ops/ages.html",
        {
            "rows": rows,
            "bands": bands,
            "status": status,
            "statuses": [(s.value, s.label) for s in (NeedStatus.NEW, NeedStatus.SENT, NeedStatus.TAKEN)],
            "days": reminders.settings.NEEDS_REMINDER_DAYS,
            "last_call": reminders.settings.NEEDS_LAST_CALL_DAYS,
            "abandon": reminders.settings.NEEDS_ABANDON_DAYS,
        },
    )


@require_POST
@require(is_staff)
def remind(request: HttpRequest, pk: int) -> HttpResponse:
    need = get_object_or_404(Need, pk=pk)
    try:
        sent = reminders.remind_now(actor=acting_user(request), need=need)
    except reminders.ReminderError as exc:
        messages.error(request, f"№{need.pk}: {exc}")
    else:
        messages.success(
            request, f"№{need.pk}: напоминание отправлено ({formats.plural(sent, 'адрес', 'адреса', 'адресов')})."
        )
    status = request.POST.get("status", "")
    return redirect(reverse("needs:ops-ages") + (f"?status={status}" if status in NeedStatus.values else ""))


# --- the survey -------------------------------------------------------------------------------------------------

YES_NO = [("yes", "Да"), ("no", "Нет")]


class SurveyForm(forms.Form):
    contacted = forms.ChoiceField(label="С вами связались?", choices=YES_NO, widget=forms.RadioSelect)
    useful = forms.ChoiceField(label="Это было полезно?", choices=YES_NO, widget=forms.RadioSelect)
    outcome = forms.ChoiceField(label="К чему это привело?", choices=SurveyOutcome.choices, widget=forms.RadioSelect)
    rating = forms.TypedChoiceField(
        label="Оценка работы, от 1 до 5", choices=[("", "—")] + [(str(n), str(n)) for n in range(1, 6)],
        coerce=int, empty_value=None, required=False,
    )  # fmt: skip
    comment = forms.CharField(
        label="Комментарий", required=False, max_length=3000, widget=forms.Textarea(attrs={"rows": 4})
    )


def survey(request: HttpRequest, token: str) -> HttpResponse:
    try:
        record = outcomes.survey_by_token(token)
    except outcomes.OutcomeError as exc:
        return render(request, "needs/ops/message.html", {"title": "Ссылка не сработала", "text": str(exc)}, status=400)
    if record.answered_at:
        text = "Вы уже ответили на этот опрос. Ответ можно дать один раз."
        return render(request, "needs/ops/message.html", {"title": "Спасибо!", "text": text})
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            outcomes.survey_answer(signed=token, contacted=data["contacted"] == "yes", useful=data["useful"] == "yes",
                                   outcome=data["outcome"], rating=data["rating"], comment=data["comment"])  # fmt: skip
        except (outcomes.OutcomeError, ValidationError) as exc:
            return render(request, "needs/ops/message.html", {"title": "Опрос", "text": error_text(exc)}, status=400)
        text = "Ваш ответ получен и передан экспертам, которые с вами работали."
        return render(request, "needs/ops/message.html", {"title": "Спасибо!", "text": text})
    return render(
        request, "needs/ops/survey.html", {"form": form, "survey": record}, status=400 if form.errors else 200
    )


# --- the pilot project ------------------------------------------------------------------------------------------


class PilotForm(forms.Form):
    title = forms.CharField(label="Название пилотного проекта", max_length=250)
    summary = forms.CharField(
        label="Кратко: что внедряется и зачем", max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    it_company = forms.ModelChoiceField(label="ИТ-компания — партнёр", queryset=Organisation.objects.none())
    investment = forms.DecimalField(label="Инвестиции в пилот, руб.", required=False, min_value=Decimal(0),
                                    max_digits=16, decimal_places=2)  # fmt: skip
    received_on = forms.DateField(label="Дата инвестиции", required=False, help_text="Не позже сегодняшнего дня")

    def __init__(self, *args: object, need: Need, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        vendors = outcomes.pilot_vendors(need)
        companies = self.fields["it_company"]
        assert isinstance(companies, forms.ModelChoiceField)
        companies.queryset = Organisation.objects.filter(kind=OrganisationKind.IT_COMPANY).order_by(
            "short_name", "name"
        )
        if vendors:
            self.fields["it_company"].initial = vendors[0].pk
            self.fields["it_company"].help_text = "Предложены по решениям: " + ", ".join(str(v) for v in vendors)
        self.fields["title"].initial = f"Пилот: {need.subject.name} — {need.organisation}"


@require(is_staff)
def pilot(request: HttpRequest, pk: int) -> HttpResponse:
    need = get_object_or_404(Need.objects.select_related("organisation", "subject", "pilot_project"), pk=pk)
    if need.pilot_project_id:
        messages.info(request, "Пилотный проект по этой потребности уже создан.")
        return redirect("projects:detail", pk=need.pilot_project_id)
    form = PilotForm(request.POST or None, need=need)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            project = outcomes.pilot_create(actor=acting_user(request), need=need, title=data["title"],
                                            summary=data["summary"], it_company=data["it_company"],
                                            investment=data["investment"], received_on=data["received_on"])  # fmt: skip
        except ValidationError as exc:
            for key, errors in exc.message_dict.items():
                form.add_error(key if key in form.fields else None, errors)
        except (outcomes.OutcomeError, PermissionDenied, InvalidOperation) as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, f"Создан пилотный проект «{project.title}».")
            return redirect("projects:detail", pk=project.pk)
    survey = getattr(need, "survey", None)
    return render(request, "needs/ops/pilot.html", {"need": need, "form": form, "survey": survey},
                  status=400 if form.errors else 200)  # fmt: skip


# --- the landscape of demand -------------------------------------------------------------------------------------


def _landscape_context(request: HttpRequest, *, public: bool) -> dict[str, object]:
    filters = landscape.Filters.from_query(request.GET)
    data = landscape.public(filters) if public else landscape.build(filters, public=False)
    return {
        "data": data,
        "filters": filters,
        "month_bars": landscape.month_bars(data.months),
        "month_height": landscape.MONTH_HEIGHT,
        "query": "&".join(f"{k}={v}" for k, v in filters.as_query().items()),
        "query_values": filters.as_query(),
        "min_group": landscape.MIN_GROUP,
        **landscape.filter_choices(),
    }


def _export(request: HttpRequest, data: landscape.Landscape, fmt: str, name: str) -> HttpResponse:
    response: HttpResponse
    if fmt == "json":
        response = JsonResponse(landscape.as_json(data), json_dumps_params={"ensure_ascii": False})
    else:
        response = HttpResponse(spreadsheets.csv_bytes(landscape.EXPORT_COLUMNS, landscape.export_rows(data)),
                                content_type="text/csv; charset=utf-8")  # fmt: skip
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


def landscape_public(request: HttpRequest) -> HttpResponse:
    """Public and anonymised: counts only, small groups folded."""
    fmt = request.GET.get("format", "")
    if fmt in ("csv", "json"):
        data = landscape.public(landscape.Filters.from_query(request.GET))
        return _export(request, data, fmt, "landscape-of-demand")
    return render(request, "needs/ops/landscape.html", {**_landscape_context(request, public=True), "public": True})


@require(can_oversee)
def landscape_staff(request: HttpRequest) -> HttpResponse:
    fmt = request.GET.get("format", "")
    if fmt in ("csv", "json"):
        data = landscape.build(landscape.Filters.from_query(request.GET), public=False)
        return _export(request, data, fmt, "landscape-of-demand-staff")
    return render(request, "needs/ops/landscape.html", {**_landscape_context(request, public=False), "public": False})


@require(can_oversee)
def landscape_needs(request: HttpRequest) -> HttpResponse:
    """The drill-down: the needs behind a group of the staff landscape."""
    filters = landscape.Filters.from_query(request.GET)
    needs = (
        landscape.needs_in(filters)
        .select_related("organisation", "subject__theme", "municipality")
        .order_by("-created_at", "-pk")
    )
    page = paginate(request, needs, 50)
    return render(request, "needs/ops/landscape_needs.html",
                  {"page": page, "filters": filters, "query": query_without_page(request)})  # fmt: skip


# --- statistics ---------------------------------------------------------------------------------------------------


@require(can_oversee)
def statistics(request: HttpRequest) -> HttpResponse:
    start, end = stats.month_bounds(request.GET.get("month"))
    data = stats.compute(start, end)
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(
            stats.monthly_xlsx(data), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f'attachment; filename="needs-{start:%Y-%m}.xlsx"'
        return response
    today = timezone.localdate()
    months = []
    cursor = today.replace(day=1)
    for _ in range(12):
        months.append((cursor.strftime("%Y-%m"), formats.month_year(cursor)))
        cursor = (cursor - dt.timedelta(days=1)).replace(day=1)
    return render(
        request,
        "needs/ops/stats.html",
        {"data": data, "month": f"{start:%Y-%m}", "months": months, "month_label": formats.month_year(start)},
    )
