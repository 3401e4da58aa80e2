"""Every write of the needs part (the match lifecycle is in lifecycle.py): each checks its rule, runs in one
transaction and is audited."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from projectoffice.accounts.models import User
from projectoffice.audit.services import audit_record
from projectoffice.classifiers.models import Region
from projectoffice.lib.cleaning import strip_invisible
from projectoffice.needs import notifications, routing, rules
from projectoffice.needs.lifecycle import refresh_need
from projectoffice.needs.models import (
    Diagnosis,
    Expert,
    IntakeRequest,
    IntakeStatus,
    Match,
    MatchKind,
    Municipality,
    Need,
    PartnerInstitution,
    Priority,
    Solution,
    SolutionCase,
    Subject,
)
from projectoffice.organisations.identifiers import validate_inn
from projectoffice.organisations.models import Organisation, OrganisationKind

CONFIRM_SALT = "needs.confirm"
STATUS_SALT = "needs.status"
CONFIRM_MAX_AGE = 7 * 24 * 3600


class NeedsError(Exception):
    """A refused action; the message says why, in Russian."""


# --- intake --------------------------------------------------------------------------------------------------


@dataclass
class IntakeData:
    inn: str
    organisation_name: str
    contact_name: str
    contact_email: str
    subject: Subject
    description: str
    consent: bool
    contact_phone: str = ""
    contact_position: str = ""
    budget_band: str = "unknown"
    horizon: str = "half_year"
    municipality: Municipality | None = None
    source: str = ""


def _clean(text: str) -> str:
    return strip_invisible(text or "").strip()


def ip_hash(address: str) -> str:
    return hashlib.sha256(f"{settings.SECRET_KEY}:{address}".encode()).hexdigest()[:32]


def confirmation_token(request: IntakeRequest) -> str:
    return signing.TimestampSigner(salt=CONFIRM_SALT).sign(str(request.pk))


def status_token(request: IntakeRequest) -> str:
    """The private status link: signed with the request's own salt, so it is never guessed from another's."""
    return signing.Signer(salt=f"{STATUS_SALT}:{request.status_salt}").sign(str(request.pk))


def request_by_status_token(token: str) -> IntakeRequest:
    pk = token.split(":", 1)[0]
    request = IntakeRequest.objects.filter(pk=int(pk) if pk.isdigit() else 0).first()
    if request is None or request.status == IntakeStatus.SPAM:
        raise NeedsError("Ссылка неверна.")
    try:
        signing.Signer(salt=f"{STATUS_SALT}:{request.status_salt}").unsign(token)
    except signing.BadSignature:
        raise NeedsError("Ссылка неверна.") from None
    return request


def intake_submit(data: IntakeData, *, address: str = "", started_at: dt.datetime | None = None) -> IntakeRequest:
    """Store what the enterprise typed and send the confirmation e-mail. Invalid INN, missing consent or a subject
    that is not offered are refused with nothing stored."""
    inn = _clean(data.inn).replace(" ", "")
    errors: dict[str, list[str]] = {}
    try:
        validate_inn(inn)
    except ValidationError as exc:
        errors["inn"] = exc.messages
    if not data.consent:
        errors["consent"] = ["Без согласия на обработку персональных данных мы не можем принять обращение."]
    if not data.subject.active:
        errors["subject"] = ["Этот предмет больше не принимается: выберите другой."]
    if not _clean(data.description):
        errors["description"] = ["Опишите задачу."]
    if not _clean(data.contact_name):
        errors["contact_name"] = ["Укажите контактное лицо."]
    organisation = Organisation.objects.filter(inn=inn).first() if "inn" not in errors else None
    if organisation is None and not _clean(data.organisation_name) and "inn" not in errors:
        errors["organisation_name"] = ["Организации с таким ИНН нет в реестре: укажите её наименование."]
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    with transaction.atomic():
        request = IntakeRequest(
            inn=inn,
            organisation=organisation,
            organisation_name=_clean(data.organisation_name) or (str(organisation) if organisation else ""),
            contact_name=_clean(data.contact_name),
            contact_email=_clean(data.contact_email).lower(),
            contact_phone=_clean(data.contact_phone),
            contact_position=_clean(data.contact_position),
            subject=data.subject,
            description=_clean(data.description),
            budget_band=data.budget_band,
            horizon=data.horizon,
            municipality=data.municipality,
            consent_at=now,
            consent_version=settings.NEEDS_CONSENT_VERSION,
            source=_clean(data.source)[:200],
            ip_hash=ip_hash(address) if address else "",
            started_at=started_at,
            submitted_at=now,
            confirmation_sent_at=now,
            status_salt=secrets.token_hex(8),
        )
        request.full_clean()
        request.save()
        audit_record(actor=None, action="needs.request_submitted", instance=request)
    transaction.on_commit(lambda: notifications.confirmation(request, confirmation_token(request)))
    return request


def intake_confirm(token: str) -> IntakeRequest:
    """The e-mail link: confirms the request once; a replayed, forged or expired link changes nothing."""
    try:
        pk = signing.TimestampSigner(salt=CONFIRM_SALT).unsign(token, max_age=CONFIRM_MAX_AGE)
    except signing.SignatureExpired:
        raise NeedsError("Ссылка устарела: заполните форму ещё раз.") from None
    except signing.BadSignature:
        raise NeedsError("Ссылка неверна.") from None
    with transaction.atomic():
        request = IntakeRequest.objects.select_for_update().filter(pk=int(pk)).first()
        if request is None or request.status == IntakeStatus.SPAM:
            raise NeedsError("Ссылка неверна.")
        if request.confirmation_used_at is not None:
            raise NeedsError("Обращение уже подтверждено по этой ссылке: следите за ним по ссылке из второго письма.")
        request.confirmation_used_at = request.confirmed_at = timezone.now()
        request.status = IntakeStatus.CONFIRMED
        if request.organisation is None:
            request.organisation = Organisation.objects.filter(inn=request.inn).first() or _unconfirmed_organisation(
                request
            )
            request.organisation_unconfirmed = not request.organisation.is_demo and not _has_members(
                request.organisation
            )
        request.save()
        audit_record(actor=None, action="needs.request_confirmed", instance=request)
    transaction.on_commit(lambda: notifications.status_link(request, status_token(request)))
    return request


def _has_members(organisation: Organisation) -> bool:
    return organisation.memberships.exists()


def _unconfirmed_organisation(request: IntakeRequest) -> Organisation:
    """An organisation from what was typed, for the office to check (its tax office code gives the region)."""
    region = (
        Region.objects.filter(tax_code=request.inn[:2]).first()
        or Region.objects.filter(iso_code=settings.HOME_REGION_ISO).first()
    )
    organisation = Organisation(
        kind=OrganisationKind.INDUSTRIAL,
        name=request.organisation_name[:300],
        inn=request.inn,
        region=region,
        email=request.contact_email,
        phone=request.contact_phone,
        description="Создана по обращению через форму потребностей; данные не проверены.",
    )
    organisation.search_text = organisation.build_search_text()
    organisation.save()
    audit_record(actor=None, action="organisations.created", instance=organisation, message="Из формы потребностей")
    return organisation


# --- qualification -------------------------------------------------------------------------------------------


@dataclass
class NeedData:
    subject: Subject
    description: str
    title: str = ""
    priority: str = Priority.NORMAL
    municipality: Municipality | None = None


def qualify(
    request: IntakeRequest,
    *,
    actor: User,
    needs: list[NeedData],
    diagnosis_kind: str = "",
    diagnosis_notes: str = "",
    held_on: dt.date | None = None,
) -> list[Need]:
    """Turn a confirmed request into one or more needs (a split is several), with the diagnosis that led to them."""
    rules.require(rules.can_qualify(actor))
    if not needs:
        raise NeedsError("Опишите хотя бы одну потребность.")
    with transaction.atomic():
        request = IntakeRequest.objects.select_for_update().get(pk=request.pk)
        if request.status == IntakeStatus.SPAM:
            raise NeedsError("Обращение отмечено как спам.")
        if request.organisation is None:
            raise NeedsError("Обращение ещё не подтверждено по почте: организация не определена.")
        now = timezone.now()
        created = []
        for item in needs:
            if not _clean(item.description):
                raise NeedsError("У каждой потребности должно быть описание.")
            need = Need(
                request=request,
                organisation=request.organisation,
                subject=item.subject,
                municipality=item.municipality or request.municipality,
                title=_clean(item.title)[:250],
                description=_clean(item.description),
                priority=item.priority,
                qualified_at=now,
            )
            need.full_clean()
            need.save()
            created.append(need)
            if diagnosis_kind and _clean(diagnosis_notes):
                Diagnosis.objects.create(
                    need=need,
                    kind=diagnosis_kind,
                    notes=_clean(diagnosis_notes),
                    author=actor,
                    held_on=held_on or timezone.localdate(),
                )
            audit_record(actor=actor, action="needs.need_qualified", instance=need)
        request.status = IntakeStatus.QUALIFIED
        request.qualified_at = now
        request.qualified_by = actor
        request.save(update_fields=["status", "qualified_at", "qualified_by"])
    return created


def mark_spam(request: IntakeRequest, *, actor: User) -> IntakeRequest:
    rules.require(rules.can_qualify(actor))
    with transaction.atomic():
        request = IntakeRequest.objects.select_for_update().get(pk=request.pk)
        if request.needs.exists():
            raise NeedsError("По обращению уже есть потребности — спамом его не отметить.")
        before = request.status
        request.status = IntakeStatus.SPAM
        request.save(update_fields=["status"])
        audit_record(
            actor=actor, action="needs.request_spam", instance=request,
            changes={"status": {"before": before, "after": request.status}},
        )  # fmt: skip
    return request


def add_diagnosis(need: Need, *, actor: User, kind: str, notes: str, held_on: dt.date) -> Diagnosis:
    rules.require(rules.can_qualify(actor))
    diagnosis = Diagnosis(need=need, kind=kind, notes=_clean(notes), author=actor, held_on=held_on)
    diagnosis.full_clean()
    with transaction.atomic():
        diagnosis.save()
        audit_record(actor=actor, action="needs.diagnosis_added", instance=need, message=diagnosis.get_kind_display())
    return diagnosis


def need_update(need: Need, *, actor: User, **fields: Any) -> Need:
    """Subject, priority, municipality, title, description."""
    rules.require(rules.can_qualify(actor))
    allowed = {"subject", "priority", "municipality", "title", "description"}
    with transaction.atomic():
        need = Need.objects.select_for_update().get(pk=need.pk)
        changes = {}
        for name, value in fields.items():
            if name not in allowed:
                raise NeedsError(f"Поле {name} не меняется здесь.")
            before = getattr(need, name)
            if before != value:
                changes[name] = {"before": str(before or ""), "after": str(value or "")}
                setattr(need, name, value)
        need.full_clean()
        need.save()
        if changes:
            audit_record(actor=actor, action="needs.need_updated", instance=need, changes=changes)
    return need


def split_need(need: Need, *, actor: User, part: NeedData) -> Need:
    """A second need of the same request and enterprise, described apart."""
    rules.require(rules.can_qualify(actor))
    with transaction.atomic():
        new = Need(
            request=need.request,
            organisation=need.organisation,
            subject=part.subject,
            municipality=part.municipality or need.municipality,
            title=_clean(part.title)[:250],
            description=_clean(part.description),
            priority=part.priority,
            qualified_at=timezone.now(),
        )
        new.full_clean()
        new.save()
        audit_record(actor=actor, action="needs.need_split", instance=new, message=f"Из потребности №{need.pk}")
    return new


def merge_needs(source: Need, target: Need, *, actor: User) -> Need:
    """The source (not sent anywhere yet) joins the target of the same enterprise; its text is kept there."""
    rules.require(rules.can_qualify(actor))
    if source.pk == target.pk:
        raise NeedsError("Потребность нельзя объединить с ней самой.")
    if source.organisation_id != target.organisation_id:
        raise NeedsError("Объединяются только потребности одного предприятия.")
    with transaction.atomic():
        source = Need.objects.select_for_update().get(pk=source.pk)
        if source.matches.exists():
            raise NeedsError("Потребность уже отправлена — её нельзя объединить.")
        if source.merged_into_id:
            raise NeedsError("Потребность уже объединена.")
        target = Need.objects.select_for_update().get(pk=target.pk)
        target.description = f"{target.description}\n\n{source.description}"
        target.save(update_fields=["description"])
        source.merged_into = target
        source.save(update_fields=["merged_into"])
        audit_record(actor=actor, action="needs.need_merged", instance=source, message=f"В потребность №{target.pk}")
    return target


# --- sending -------------------------------------------------------------------------------------------------


def send(
    need: Need,
    *,
    actor: User,
    experts: list[int] = (),  # type: ignore[assignment]
    solutions: list[int] = (),  # type: ignore[assignment]
    institutions: list[int] = (),  # type: ignore[assignment]
) -> list[Match]:
    """Send the need to the chosen targets with the reasons the routing proposed them for; a target the routing
    did not propose, one without capacity, or one already sent to is refused (nothing is sent)."""
    rules.require(rules.can_route(actor))
    if need.merged_into_id:
        raise NeedsError("Потребность объединена с другой.")
    if not (experts or solutions or institutions):
        raise NeedsError("Выберите, кому отправить потребность.")
    proposals = routing.proposals_for(need, with_financing=False)
    offered = {
        (p.kind, p.pk): p for group in (proposals.solutions, proposals.experts, proposals.institutions) for p in group
    }
    chosen = (
        [(MatchKind.EXPERT, pk) for pk in experts]
        + [(MatchKind.SOLUTION, pk) for pk in solutions]
        + [(MatchKind.INSTITUTION, pk) for pk in institutions]
    )
    created = []
    with transaction.atomic():
        Need.objects.select_for_update().get(pk=need.pk)
        for kind, pk in chosen:
            proposal = offered.get((kind, pk))
            if proposal is None:
                raise NeedsError("Этого адресата нет среди предложенных для потребности.")
            if not proposal.available:
                raise NeedsError(f"«{proposal.name}» сейчас не может взять потребность: {proposal.reasons[-1]}.")
            target = {"expert_id": pk} if kind == MatchKind.EXPERT else {}
            target |= {"solution_id": pk} if kind == MatchKind.SOLUTION else {}
            target |= {"institution_id": pk} if kind == MatchKind.INSTITUTION else {}
            try:
                with transaction.atomic():
                    match = Match.objects.create(
                        need=need, kind=kind, reasons=proposal.reasons, score=proposal.score, sent_by=actor, **target
                    )
            except IntegrityError:
                raise NeedsError(f"Потребность уже отправлена: «{proposal.name}».") from None
            audit_record(actor=actor, action="needs.match_sent", instance=match, message="; ".join(proposal.reasons))
            created.append(match)
        refresh_need(need)
    for match in created:
        transaction.on_commit(lambda m=match: notifications.sent(m))  # type: ignore[misc]
    return created


# --- solutions -----------------------------------------------------------------------------------------------

SOLUTION_FIELDS = (
    "name", "description", "registry_number", "registry_class", "okved_codes", "deployment", "price_band",
    "certifications", "max_open_needs", "published",
)  # fmt: skip


def solution_save(
    *,
    actor: User,
    vendor: Organisation,
    data: dict[str, Any],
    subjects: list[Subject],
    solution: Solution | None = None,
) -> Solution:
    """Create or edit a solution: members of the vendor (an IT company) and the office only. An edit by the vendor
    takes the office's verification off."""
    if solution is not None:
        vendor = solution.vendor
    rules.require(rules.can_edit_solutions_of(actor, vendor.pk))
    if vendor.kind != OrganisationKind.IT_COMPANY:
        raise NeedsError("Решения публикуют ИТ-компании реестра.")
    with transaction.atomic():
        creating = solution is None
        solution = solution or Solution(vendor=vendor)
        before = {name: getattr(solution, name) for name in SOLUTION_FIELDS} if not creating else {}
        for name in SOLUTION_FIELDS:
            if name in data:
                setattr(solution, name, _clean(data[name]) if isinstance(data[name], str) else data[name])
        solution.okved_codes = [c.strip() for c in solution.okved_codes or [] if str(c).strip()]
        changed = {
            k: {"before": str(v), "after": str(getattr(solution, k))}
            for k, v in before.items()
            if v != getattr(solution, k)
        }
        if changed and not rules.can_verify(actor):
            solution.verified_at = None
            solution.verified_by = None
        solution.full_clean()
        solution.save()
        solution.subjects.set(subjects)
        audit_record(
            actor=actor, action="needs.solution_created" if creating else "needs.solution_updated", instance=solution,
            changes=changed,
        )  # fmt: skip
    routing.invalidate()
    return solution


def case_add(*, actor: User, solution: Solution, data: dict[str, Any]) -> SolutionCase:
    rules.require(rules.can_edit_solutions_of(actor, solution.vendor_id))
    case = SolutionCase(solution=solution, **{k: _clean(v) if isinstance(v, str) else v for k, v in data.items()})
    case.full_clean()
    with transaction.atomic():
        case.save()
        audit_record(actor=actor, action="needs.case_added", instance=solution, message=case.customer)
    routing.invalidate()
    return case


def solution_verify(solution: Solution, *, actor: User) -> Solution:
    rules.require(rules.can_verify(actor))
    with transaction.atomic():
        solution.verified_at = timezone.now()
        solution.verified_by = actor
        solution.save(update_fields=["verified_at", "verified_by"])
        audit_record(actor=actor, action="needs.solution_verified", instance=solution)
    routing.invalidate()
    return solution


# --- experts and institutions (the admin edits them; these keep the routing index fresh) -------------------


def expert_absence_add(expert: Expert, *, actor: User, starts_on: dt.date, ends_on: dt.date) -> None:
    if not (rules.is_staff(actor) or expert.user_id == actor.pk):
        raise PermissionDenied
    if ends_on < starts_on:
        raise NeedsError("Отсутствие заканчивается раньше, чем начинается.")
    with transaction.atomic():
        expert.absences.create(starts_on=starts_on, ends_on=ends_on)
        audit_record(actor=actor, action="needs.absence_added", instance=expert, message=f"{starts_on}–{ends_on}")
    routing.invalidate()


def institution_touched(_: PartnerInstitution) -> None:
    routing.invalidate()
