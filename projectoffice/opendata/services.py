"""The office's decisions on the discovery feed (confirm, merge, ignore), invitations, sign-up of a member."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from projectoffice.accounts.models import Role, User
from projectoffice.accounts.services import membership_add
from projectoffice.audit.services import audit_record
from projectoffice.classifiers.models import OkvedCode, Region
from projectoffice.opendata.imports import source_label
from projectoffice.opendata.models import Company, CompanyStatus, Dataset, FieldSource, ImportRun
from projectoffice.organisations import services as organisation_services
from projectoffice.organisations.models import Organisation, OrganisationKind

INVITATION_SALT = "opendata.invitation"
INVITATION_MAX_AGE = 30 * 24 * 3600


def _region(company: Company) -> Region:
    region = Region.objects.filter(tax_code=company.region_code).first()
    return region or Region.objects.get(iso_code=settings.HOME_REGION_ISO)


@transaction.atomic
def company_confirm(*, actor: User, company: Company, kind: str = "") -> Organisation:
    """Make the registry card of a discovered company, every value with its source; individuals never."""
    company = Company.objects.select_for_update().get(pk=company.pk)
    if company.individual:
        raise ValidationError("Индивидуальные предприниматели не вносятся в публичный реестр.")
    if company.organisation_id:
        raise ValidationError("У компании уже есть карточка в реестре.")
    kind = kind or company.kind
    if kind not in OrganisationKind.values:
        raise ValidationError("Выберите тип организации: по ОКВЭД2 он не определяется.")
    okveds = {c.code: c for c in OkvedCode.objects.filter(code__in=[company.main_okved, *company.extra_okveds])}
    card = organisation_services.organisation_create(
        actor=actor,
        data={
            "kind": kind,
            "name": company.name[:300],
            "short_name": company.short_name[:150],
            "inn": company.inn,
            "ogrn": company.ogrn,
            "region": _region(company),
            "main_okved": okveds.get(company.main_okved),
            "extra_okveds": [okveds[c] for c in company.extra_okveds if c in okveds],
        },
    )
    _sources_for_new_card(card, company)
    company.organisation, company.status = card, CompanyStatus.CONFIRMED
    company.save(update_fields=["organisation", "status"])
    return card


def _sources_for_new_card(card: Organisation, company: Company) -> None:
    if company.sme_as_of is None:
        return
    source = source_label(Dataset.SME, company.sme_as_of)
    values = {
        "name": card.name,
        "short_name": card.short_name,
        "ogrn": card.ogrn,
        "main_okved": card.main_okved.code if card.main_okved else "",
        "extra_okveds": ",".join(sorted(c.code for c in card.extra_okveds.all())),
    }
    FieldSource.objects.bulk_create(
        FieldSource(organisation=card, field=name, source=source, as_of=company.sme_as_of, value=value)
        for name, value in values.items()
        if value
    )


@transaction.atomic
def company_merge(*, actor: User, company: Company, organisation: Organisation) -> None:
    """Attach a discovered company to an existing card (same INN, or the office's card of the same company)."""
    company = Company.objects.select_for_update().get(pk=company.pk)
    if Company.objects.filter(organisation=organisation).exclude(pk=company.pk).exists():
        raise ValidationError("Эта карточка уже связана с другой компанией из открытых данных.")
    company.organisation, company.status = organisation, CompanyStatus.MERGED
    company.save(update_fields=["organisation", "status"])
    audit_record(actor=actor, action="opendata.merged", instance=organisation,
                 changes={"open_data": {"before": None, "after": f"ИНН {company.inn}"}})  # fmt: skip


@transaction.atomic
def company_ignore(*, actor: User, company: Company) -> None:
    Company.objects.filter(pk=company.pk).update(status=CompanyStatus.IGNORED)


def invitation_token(company: Company, email: str) -> str:
    return signing.dumps({"company": company.pk, "email": email}, salt=INVITATION_SALT)


def invitation_read(token: str) -> tuple[Company, str]:
    """The company and address of a sign-up link; a forged or expired one is refused."""
    try:
        data = signing.loads(token, salt=INVITATION_SALT, max_age=INVITATION_MAX_AGE)
    except signing.SignatureExpired:
        raise ValidationError("Срок действия приглашения истёк — попросите проектный офис прислать новое.") from None
    except signing.BadSignature:
        raise ValidationError("Ссылка приглашения повреждена.") from None
    company = Company.objects.select_related("organisation").filter(pk=data["company"]).first()
    if company is None or company.organisation is None:
        raise ValidationError("Приглашение больше не действует.")
    return company, data["email"]


@transaction.atomic
def company_invite(*, actor: User, company: Company, email: str, link: str) -> None:
    """E-mail the company a sign-up link to keep its profile as the organisation's member."""
    if company.organisation is None:
        raise ValidationError("Сначала подтвердите компанию: приглашение ведёт в её карточку.")
    send_mail(
        "Приглашение вести профиль организации в реестре проектного офиса",
        f"Здравствуйте!\n\nКомпания «{company.organisation}» внесена в реестр ИТ-компаний региона по открытым данным "
        f"ФНС. Чтобы вести её профиль (продукты, компетенции, проекты), зарегистрируйтесь по ссылке:\n{link}\n\n"
        "Ссылка действует 30 дней.\nПроектный офис цифрового развития",
        None,
        [email],
    )
    company.invited_at = timezone.now()
    company.save(update_fields=["invited_at"])
    audit_record(actor=actor, action="opendata.invited", instance=company.organisation,
                 changes={"invitation": {"before": None, "after": email}})  # fmt: skip


@transaction.atomic
def member_sign_up(*, company: Company, email: str, data: dict[str, Any]) -> User:
    """Create the invited person's account and make them a member of the organisation."""
    if User.objects.filter(username=data["username"]).exists():
        raise ValidationError("Такое имя пользователя уже занято.")
    user = User(username=data["username"], email=email, first_name=data["first_name"], last_name=data["last_name"],
                role=Role.MEMBER)  # fmt: skip
    user.set_password(data["password"])
    user.full_clean()
    user.save()
    assert company.organisation is not None
    membership_add(actor=user, user=user, organisation=company.organisation)
    return user


def run_start(*, actor: User, dataset: str, full_dump: bool) -> ImportRun:
    """A new import run, shown as running until the importer finishes it."""
    return ImportRun.objects.create(dataset=dataset, started_by=actor, full_dump=full_dump)
