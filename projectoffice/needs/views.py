"""Pages of the needs part. Public: the intake form (also embeddable), the confirmation link, the private status
page and the solutions catalogue. Office: the inbox, qualification, routing and sending. Experts and IT companies:
their matches, and the IT companies' own solutions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_POST

from projectoffice.accounts.models import User
from projectoffice.lib.clients import client_address
from projectoffice.needs import lifecycle, routing, rules, services
from projectoffice.needs.forms import CaseForm, DiagnosisForm, IntakeForm, MoveForm, NeedForm, QualifyForm, SolutionForm
from projectoffice.needs.models import (
    IntakeRequest,
    IntakeStatus,
    Match,
    MatchStatus,
    Need,
    NeedStatus,
    SatisfactionSurvey,
    Solution,
    Subject,
)
from projectoffice.organisations.models import Organisation, OrganisationKind

PAGE = 50


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


# --- public --------------------------------------------------------------------------------------------------


def _intake(request: HttpRequest, template: str) -> HttpResponse:
    form = IntakeForm(request.POST or None)
    error = ""
    status = 200
    if request.method == "POST":
        if rules.INTAKE_LIMIT.refused(request):
            error, status = rules.INTAKE_LIMIT.refusal, 429
        elif form.is_valid():
            data = form.cleaned_data
            try:
                services.intake_submit(
                    services.IntakeData(
                        inn=data["inn"],
                        organisation_name=data["organisation_name"],
                        contact_name=data["contact_name"],
                        contact_email=data["contact_email"],
                        contact_phone=data["contact_phone"],
                        contact_position=data["contact_position"],
                        subject=data["subject"],
                        description=data["description"],
                        budget_band=data["budget_band"],
                        horizon=data["horizon"],
                        municipality=data["municipality"],
                        consent=data["consent"],
                        source=request.headers.get("Referer", "")[:200] if "embed" in template else "",
                    ),
                    address=client_address(request),
                )
            except ValidationError as exc:
                for key, errors in exc.message_dict.items():
                    form.add_error(key if key in form.fields else None, errors)
                status = 400
            else:
                rules.INTAKE_LIMIT.hit(request)
                return render(request, "needs/intake_sent.html", {"embed": "embed" in template})
        else:
            status = 400
    return render(request, template, {"form": form, "error": error}, status=status)


def intake(request: HttpRequest) -> HttpResponse:
    return _intake(request, "needs/intake.html")


@xframe_options_exempt
def intake_embed(request: HttpRequest) -> HttpResponse:
    """The same form in a bare page that partners put in an iframe on their sites."""
    return _intake(request, "needs/intake_embed.html")


def confirm(request: HttpRequest, token: str) -> HttpResponse:
    try:
        intake_request = services.intake_confirm(token)
    except services.NeedsError as exc:
        return render(request, "needs/message.html", {"title": "Ссылка не сработала", "text": str(exc)}, status=400)
    return render(
        request,
        "needs/message.html",
        {
            "title": "Обращение подтверждено",
            "text": f"Спасибо! Обращение №{intake_request.pk} принято. Ссылку на страницу, где видно, как идёт работа, "
            "мы отправили вам письмом.",
            "link": reverse("needs:status", args=[services.status_token(intake_request)]),
        },
    )


def status(request: HttpRequest, token: str) -> HttpResponse:
    """The enterprise's private page: its request, each need's status and who works on it (no staff notes)."""
    try:
        intake_request = services.request_by_status_token(token)
    except services.NeedsError:
        return render(
            request, "needs/message.html", {"title": "Ссылка не сработала", "text": "Ссылка неверна."}, status=404
        )
    needs = (
        intake_request.needs.filter(merged_into__isnull=True)
        .select_related("subject")
        .prefetch_related(
            Prefetch(
                "matches",
                queryset=Match.objects.select_related(
                    "expert__user", "expert__institution", "solution__vendor", "institution"
                ),
            )
        )
    )
    needs_list = list(needs)
    # the subjects as the office requalified them, not as first typed into the form
    subjects = list(dict.fromkeys(need.subject.name for need in needs_list))
    return render(request, "needs/status.html", {"req": intake_request, "needs": needs_list, "subjects": subjects})


def solution_catalogue(request: HttpRequest) -> HttpResponse:
    subject = request.GET.get("subject", "")
    solutions = Solution.objects.filter(published=True).select_related("vendor").prefetch_related("subjects")
    if subject.isdigit():
        solutions = solutions.filter(subjects=int(subject))
    query = request.GET.get("q", "").strip()[:100]
    if query:
        solutions = solutions.filter(Q(name__icontains=query) | Q(description__icontains=query))
    ordered = solutions.annotate(case_count=Count("cases")).order_by("name", "pk")
    page = Paginator(ordered, PAGE).get_page(request.GET.get("page"))
    return render(request, "needs/catalogue.html", {
        "page": page, "subjects": Subject.objects.filter(active=True).select_related("theme"),
        "subject": subject, "q": query,
        "mine": rules.has_work(request.user) and bool(getattr(request.user, "organisation_ids", None)),
    })  # fmt: skip


def solution_detail(request: HttpRequest, pk: int) -> HttpResponse:
    solution = get_object_or_404(Solution.objects.select_related("vendor").prefetch_related("subjects", "cases"), pk=pk)
    can_edit = rules.can_edit_solutions_of(request.user, solution.vendor_id)
    if not solution.published and not can_edit:
        raise PermissionDenied
    return render(request, "needs/solution.html", {
        "solution": solution, "can_edit": can_edit, "can_verify": rules.can_verify(request.user),
    })  # fmt: skip


# --- the office ----------------------------------------------------------------------------------------------


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The office's inbox; experts and IT companies go to their matches."""
    if not rules.can_list_needs(request.user):
        if rules.has_work(request.user):
            return redirect("needs:work")
        raise PermissionDenied
    requests = IntakeRequest.objects.filter(status=IntakeStatus.CONFIRMED).select_related("subject", "organisation")
    status_filter = request.GET.get("status", "")
    needs = Need.objects.filter(merged_into__isnull=True).select_related("organisation", "subject", "municipality")
    if status_filter in NeedStatus.values:
        needs = needs.filter(status=status_filter)
    counts = dict(Need.objects.filter(merged_into__isnull=True).values_list("status").annotate(n=Count("pk")))
    return render(request, "needs/inbox.html", {
        "requests": requests[:PAGE], "drafts": IntakeRequest.objects.filter(status=IntakeStatus.DRAFT).count(),
        "page": Paginator(needs, PAGE).get_page(request.GET.get("page")),
        "statuses": [(s, label, counts.get(s, 0)) for s, label in NeedStatus.choices], "status": status_filter,
        "can_qualify": rules.can_qualify(request.user),
    })  # fmt: skip


@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if not rules.can_list_needs(request.user):
        raise PermissionDenied
    intake_request = get_object_or_404(
        IntakeRequest.objects.select_related("subject", "organisation", "municipality"), pk=pk
    )
    form = QualifyForm(
        request.POST or None,
        initial={"subject": intake_request.subject_id, "description": intake_request.description,
                 "municipality": intake_request.municipality_id},
    )  # fmt: skip
    if request.method == "POST":
        rules.require(rules.can_qualify(request.user))
        if form.is_valid():
            data = form.cleaned_data
            parts = [services.NeedData(subject=data["subject"], description=data["description"], title=data["title"],
                                       priority=data["priority"], municipality=data["municipality"])]  # fmt: skip
            if data["second_description"]:
                second = services.NeedData(
                    subject=data["subject"], description=data["second_description"], priority=data["priority"],
                    municipality=data["municipality"],
                )  # fmt: skip
                parts.append(second)
            try:
                needs = services.qualify(
                    intake_request, actor=_user(request), needs=parts,
                    diagnosis_kind=data["diagnosis_kind"], diagnosis_notes=data["diagnosis_notes"],
                )  # fmt: skip
            except services.NeedsError as exc:
                form.add_error(None, str(exc))
            else:
                return redirect("needs:need", needs[0].pk)
    return render(request, "needs/request.html", {
        "req": intake_request, "form": form, "needs": intake_request.needs.select_related("subject"),
        "can_qualify": rules.can_qualify(request.user),
    })  # fmt: skip


@login_required
@require_POST
def request_spam(request: HttpRequest, pk: int) -> HttpResponse:
    intake_request = get_object_or_404(IntakeRequest, pk=pk)
    try:
        services.mark_spam(intake_request, actor=_user(request))
    except services.NeedsError as exc:
        return render(request, "needs/message.html", {"title": "Не получилось", "text": str(exc)}, status=400)
    return redirect("needs:home")


def _need(request: HttpRequest, pk: int) -> Need:
    if not rules.can_list_needs(request.user):
        raise PermissionDenied
    return get_object_or_404(
        Need.objects.select_related(
            "organisation", "subject__theme", "municipality", "request", "merged_into", "survey", "pilot_project"
        ),
        pk=pk,
    )


@login_required
def need_detail(request: HttpRequest, pk: int) -> HttpResponse:
    need = _need(request, pk)
    staff = rules.can_route(request.user)
    proposals = routing.proposals_for(need) if staff and not need.merged_into_id else None
    form = NeedForm(initial={"title": need.title, "subject": need.subject_id, "priority": need.priority,
                             "municipality": need.municipality_id, "description": need.description})  # fmt: skip
    others = Need.objects.filter(organisation=need.organisation, merged_into__isnull=True).exclude(pk=need.pk)
    matches = list(need.matches.select_related("expert__user", "solution__vendor", "institution"))
    helped = any(m.status == MatchStatus.HELPED for m in matches)
    return render(request, "needs/need.html", {
        "need": need, "proposals": proposals, "form": form, "diagnosis_form": DiagnosisForm(), "matches": matches,
        "diagnoses": need.diagnoses.select_related("author"), "others": others, "can_route": staff,
        "survey": _answered_survey(need), "can_pilot": staff and helped and not need.pilot_project_id,
    })  # fmt: skip


def _answered_survey(need: Need) -> SatisfactionSurvey | None:
    """The enterprise's answer to the satisfaction survey, when it gave one."""
    survey: SatisfactionSurvey | None = getattr(need, "survey", None)
    return survey if survey is not None and survey.answered_at is not None else None


def _ids(request: HttpRequest, name: str) -> list[int]:
    return [int(v) for v in request.POST.getlist(name) if v.isdigit()]


@login_required
@require_POST
def need_send(request: HttpRequest, pk: int) -> HttpResponse:
    need = _need(request, pk)
    try:
        services.send(
            need, actor=_user(request), experts=_ids(request, "expert"), solutions=_ids(request, "solution"),
            institutions=_ids(request, "institution"),
        )  # fmt: skip
    except services.NeedsError as exc:
        messages.error(request, str(exc))
    return redirect("needs:need", need.pk)


def _form_errors(form: Form) -> str:
    """The form's errors as one line for a message: «Дата: Дата не может быть позже сегодняшней (06.12.2026).»"""
    parts = []
    for name, errors in form.errors.items():
        text = " ".join(str(error) for error in errors)
        parts.append(f"{form.fields[name].label}: {text}" if name in form.fields else text)
    return " ".join(parts)


@login_required
@require_POST
def need_edit(request: HttpRequest, pk: int) -> HttpResponse:
    need = _need(request, pk)
    form = NeedForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"Потребность не изменена. {_form_errors(form)}")
        return redirect("needs:need", need.pk)
    services.need_update(need, actor=_user(request), **form.cleaned_data)
    return redirect("needs:need", need.pk)


@login_required
@require_POST
def need_diagnosis(request: HttpRequest, pk: int) -> HttpResponse:
    need = _need(request, pk)
    form = DiagnosisForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"Диагностика не записана. {_form_errors(form)}")
        return redirect("needs:need", need.pk)
    try:
        services.add_diagnosis(need, actor=_user(request), **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, f"Диагностика не записана. {' '.join(exc.messages)}")
    return redirect("needs:need", need.pk)


@login_required
@require_POST
def need_merge(request: HttpRequest, pk: int) -> HttpResponse:
    need = _need(request, pk)
    target = get_object_or_404(Need, pk=int(request.POST.get("target", "0") or 0))
    try:
        services.merge_needs(need, target, actor=_user(request))
    except services.NeedsError as exc:
        messages.error(request, str(exc))
        return redirect("needs:need", need.pk)
    return redirect("needs:need", target.pk)


# --- experts and IT companies --------------------------------------------------------------------------------


@login_required
def work(request: HttpRequest) -> HttpResponse:
    matches = (
        rules.matches_for(request.user)
        .select_related("need__subject", "need__municipality", "need__organisation", "solution", "institution")
        .order_by("status", "-sent_at")
    )
    if not rules.has_work(request.user) and not rules.can_list_needs(request.user):
        raise PermissionDenied
    solutions = Solution.objects.filter(vendor_id__in=getattr(request.user, "organisation_ids", ())).order_by("name")
    return render(request, "needs/work.html", {
        "open": [m for m in matches if m.status in (MatchStatus.NEW, MatchStatus.TAKEN)],
        "closed": [m for m in matches if m.status not in (MatchStatus.NEW, MatchStatus.TAKEN)][:PAGE],
        "solutions": solutions, "expert": rules.expert_of(request.user),
    })  # fmt: skip


def _next(match: Match) -> list[tuple[str, str]]:
    return [
        (s, "открыть заново" if s == lifecycle.REOPEN else MatchStatus(s).label) for s in lifecycle.next_statuses(match)
    ]


@login_required
def match_detail(request: HttpRequest, pk: int) -> HttpResponse:
    match = get_object_or_404(
        Match.objects.select_related("need__subject", "need__municipality", "need__organisation", "need__request",
                                     "need__survey", "expert__user", "solution__vendor", "institution", "sent_by"),
        pk=pk,
    )  # fmt: skip
    if not rules.can_view_match(request.user, match):
        raise PermissionDenied
    form = MoveForm(request.POST or None)
    error = ""
    if request.method == "POST":
        if not rules.can_work_on(request.user, match):
            raise PermissionDenied
        if form.is_valid():
            try:
                lifecycle.move(match, form.cleaned_data["to"], actor=_user(request), reason=form.cleaned_data["reason"])
            except lifecycle.TransitionError as exc:
                error = str(exc)
            else:
                return redirect("needs:match", match.pk)
        else:
            error = "Неизвестный статус."
    return render(request, "needs/match.html", {
        "match": match, "need": match.need, "error": error, "next": _next(match),
        "contacts": rules.can_see_contacts(request.user, match),
        "can_work": rules.can_work_on(request.user, match), "events": match.events.select_related("actor"),
        "diagnoses": match.need.diagnoses.all() if rules.can_see_contacts(request.user, match) else [],
        "survey": _answered_survey(match.need) if rules.can_see_contacts(request.user, match) else None,
    }, status=400 if error else 200)  # fmt: skip


# --- the IT companies' solutions -----------------------------------------------------------------------------


def _vendor_for(request: HttpRequest) -> Organisation:
    """The IT company the user edits for: ?vendor=<id> among theirs (staff: any IT company)."""
    vendor_id = request.GET.get("vendor") or request.POST.get("vendor") or ""
    user = request.user
    candidates = Organisation.objects.filter(kind=OrganisationKind.IT_COMPANY)
    if not rules.is_staff(user):
        candidates = candidates.filter(pk__in=getattr(user, "organisation_ids", ()))
    vendor = candidates.filter(pk=int(vendor_id)).first() if vendor_id.isdigit() else candidates.first()
    if vendor is None:
        raise PermissionDenied
    return vendor


def _solution_data(form: SolutionForm) -> dict[str, Any]:
    return {k: v for k, v in form.cleaned_data.items() if k != "subjects"}


@login_required
def solution_new(request: HttpRequest) -> HttpResponse:
    vendor = _vendor_for(request)
    form = SolutionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            solution = services.solution_save(
                actor=_user(request),
                vendor=vendor,
                data=_solution_data(form),
                subjects=list(form.cleaned_data["subjects"]),
            )
        except (services.NeedsError, ValidationError) as exc:
            form.add_error(None, exc.messages if isinstance(exc, ValidationError) else str(exc))
        else:
            return redirect("needs:solution", solution.pk)
    return render(request, "needs/solution_form.html", {"form": form, "vendor": vendor, "title": "Новое решение"})


@login_required
def solution_edit(request: HttpRequest, pk: int) -> HttpResponse:
    solution = get_object_or_404(Solution.objects.select_related("vendor"), pk=pk)
    if not rules.can_edit_solutions_of(request.user, solution.vendor_id):
        raise PermissionDenied
    initial = {name: getattr(solution, name) for name in services.SOLUTION_FIELDS}
    initial["okved_codes"] = ", ".join(solution.okved_codes or [])
    initial["subjects"] = list(solution.subjects.all())
    form = SolutionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.solution_save(
                actor=_user(request), vendor=solution.vendor, data=_solution_data(form),
                subjects=list(form.cleaned_data["subjects"]), solution=solution,
            )  # fmt: skip
        except (services.NeedsError, ValidationError) as exc:
            form.add_error(None, exc.messages if isinstance(exc, ValidationError) else str(exc))
        else:
            return redirect("needs:solution", solution.pk)
    return render(
        request, "needs/solution_form.html", {"form": form, "vendor": solution.vendor, "title": f"Правка: {solution}"}
    )


@login_required
def case_new(request: HttpRequest, pk: int) -> HttpResponse:
    solution = get_object_or_404(Solution.objects.select_related("vendor"), pk=pk)
    if not rules.can_edit_solutions_of(request.user, solution.vendor_id):
        raise PermissionDenied
    form = CaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_add(actor=_user(request), solution=solution, data=form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            return redirect("needs:solution", solution.pk)
    return render(
        request, "needs/solution_form.html", {"form": form, "vendor": solution.vendor, "title": f"Кейс: {solution}"}
    )


@login_required
@require_POST
def solution_verify(request: HttpRequest, pk: int) -> HttpResponse:
    solution = get_object_or_404(Solution, pk=pk)
    services.solution_verify(solution, actor=_user(request))
    return redirect("needs:solution", solution.pk)
