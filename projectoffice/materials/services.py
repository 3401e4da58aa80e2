"""Every write of materials and data rooms: each checks its rule, runs in one transaction and is audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from projectoffice.accounts.rules import is_staff
from projectoffice.audit.services import audit_record
from projectoffice.lib import formats
from projectoffice.lib.cleaning import strip_invisible
from projectoffice.lib.links import absolute_url
from projectoffice.lib.uploads import validate_upload
from projectoffice.materials import rules
from projectoffice.materials.models import (
    SECTIONS,
    TEASER_MAX_CHARS,
    DataRoom,
    Document,
    Download,
    Invitation,
    Lang,
    Nda,
    NdaAcceptance,
    RoomDocument,
    Section,
    SectionKey,
)

SECTION_MAX_CHARS = 20_000
TITLE_MAX_CHARS = 250
INVITATION_MAX_DAYS = 180
ROOM_TYPES = ["pdf", "docx", "xlsx"]


def _need(condition: bool, message: str = "Недостаточно прав.") -> None:
    if not condition:
        raise PermissionDenied(message)


# --- materials -----------------------------------------------------------------------------------------------


def _check_place(document: str, key: str, lang: str) -> None:
    if document not in Document.values:
        raise ValidationError({"document": "Нет такого документа."})
    if lang not in Lang.values:
        raise ValidationError({"lang": "Язык — русский или английский."})
    if key not in SECTIONS[Document(document)]:
        raise ValidationError({"key": "В этом документе нет такого раздела."})


def _check_length(document: str, key: str, text: str) -> None:
    limit = (
        TITLE_MAX_CHARS
        if key == SectionKey.TITLE
        else (TEASER_MAX_CHARS if document == Document.TEASER else SECTION_MAX_CHARS)
    )
    if len(text) > limit:
        raise ValidationError({"text": f"Не длиннее {formats.plural(limit, 'знака', 'знаков', 'знаков')} "
                                       f"(сейчас {len(text)})."})  # fmt: skip


@transaction.atomic
def section_save(
    *, actor: Any, project: Any, document: str, key: str, lang: str, text: str, translates_version: int | None = None
) -> Section:
    """Save one section. A changed Russian text gets a new version, which leaves its English translation outdated.
    An English text records the Russian version it translates: `translates_version` (what the translator saw),
    or the current one."""
    _need(rules.can_edit_materials(actor, project), "Править материалы проекта могут сотрудники офиса и ведущая "
          "организация проекта.")  # fmt: skip
    _check_place(document, key, lang)
    text = strip_invisible(text or "").replace("\r\n", "\n").strip()
    _check_length(document, key, text)
    russian = Section.objects.select_for_update().filter(project=project, document=document, key=key, lang=Lang.RU)
    source = russian.first()
    if lang == Lang.EN and text:
        if source is None or not source.text.strip():
            raise ValidationError({"text": "Сначала заполните раздел на русском: английский текст — его перевод."})
        if translates_version is not None and not 1 <= translates_version <= source.version:
            raise ValidationError({"text": "Такой версии русского текста нет."})
    section, created = Section.objects.select_for_update().get_or_create(
        project=project, document=document, key=key, lang=lang, defaults={"version": 0}
    )
    before = {"text": section.text, "version": section.version, "source_version": section.source_version}
    if created or section.text != text:
        section.version += 1
    section.text = text
    if lang == Lang.EN:
        section.source_version = (translates_version or source.version) if (source and text) else None
    if before == {"text": section.text, "version": section.version, "source_version": section.source_version}:
        return section
    section.updated_by = actor
    section.updated_at = timezone.now()
    section.save()
    changes = {k: {"before": v, "after": getattr(section, k)} for k, v in before.items() if v != getattr(section, k)}
    audit_record(actor=actor, action="materials.section_saved", instance=project, changes=changes,
                 message=f"{section.get_document_display()}, «{section.get_key_display()}», "
                 f"{section.get_lang_display()}, версия {section.version}")  # fmt: skip
    return section


# --- the NDA -------------------------------------------------------------------------------------------------


def current_nda() -> Nda | None:
    return Nda.objects.order_by("-version").first()


@transaction.atomic
def nda_publish(*, actor: Any, text: str) -> Nda:
    _need(is_staff(actor), "Текст соглашения публикуют сотрудники офиса.")
    text = strip_invisible(text or "").strip()
    if not text:
        raise ValidationError({"text": "Заполните текст соглашения."})
    latest = current_nda()
    if latest and latest.text == text:
        return latest
    nda = Nda.objects.create(version=(latest.version + 1 if latest else 1), text=text)
    audit_record(actor=actor, action="materials.nda_published", instance=nda, message=f"версия {nda.version}")
    return nda


# --- the data room -------------------------------------------------------------------------------------------


@transaction.atomic
def room_open(*, actor: Any, project: Any) -> DataRoom:
    _need(rules.can_manage_room(actor, project), "Комнатой данных управляют офис и ведущая организация проекта.")
    room, created = DataRoom.objects.get_or_create(project=project, defaults={"created_by": actor})
    if created:
        audit_record(actor=actor, action="materials.room_opened", instance=room)
    return room


@transaction.atomic
def room_document_add(*, actor: Any, room: DataRoom, title: str, filename: str, data: bytes) -> RoomDocument:
    _need(rules.can_manage_room(actor, room.project), "Документы в комнату кладут офис и ведущая организация.")
    title = strip_invisible(title or "").strip() or filename
    if len(title) > 250:
        raise ValidationError({"title": "Название не длиннее 250 знаков."})
    detected = validate_upload(data, filename, ROOM_TYPES)
    document = RoomDocument(room=room, title=title, original_name=filename[:255], size=len(data),
                            detected_type=detected, uploaded_by=actor)  # fmt: skip
    document.file.save(filename, ContentFile(data), save=False)
    document.save()
    audit_record(actor=actor, action="materials.document_added", instance=room, message=title)
    return document


@transaction.atomic
def room_document_remove(*, actor: Any, document: RoomDocument) -> None:
    _need(rules.can_manage_room(actor, document.room.project), "Документы убирают офис и ведущая организация.")
    room, title = document.room, document.title
    document.file.delete(save=False)
    document.delete()
    audit_record(actor=actor, action="materials.document_removed", instance=room, message=title)


@transaction.atomic
def invitation_create(*, actor: Any, room: DataRoom, email: str, expires_on: dt.date, deal: Any = None) -> Invitation:
    """Invite a funder's representative by e-mail until the end of `expires_on` (local time); an e-mail tells them."""
    _need(rules.can_manage_room(actor, room.project), "Приглашают в комнату офис и ведущая организация проекта.")
    email = strip_invisible(email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": "Введите адрес электронной почты."}) from None
    today = timezone.localdate()
    if not isinstance(expires_on, dt.date) or expires_on < today:
        raise ValidationError({"expires_on": "Срок приглашения — сегодня или позже."})
    if expires_on > today + dt.timedelta(days=INVITATION_MAX_DAYS):
        raise ValidationError(
            {"expires_on": f"Не дольше {formats.plural(INVITATION_MAX_DAYS, 'дня', 'дней', 'дней')}."}
        )
    end = dt.datetime.combine(expires_on, dt.time(23, 59, 59), tzinfo=timezone.get_current_timezone())
    invitation = Invitation(room=room, email=email, expires_at=end, invited_by=actor)
    if deal is not None:
        if deal.project_id != room.project_id:
            raise ValidationError({"deal": "Сделка другого проекта."})
        invitation.deal = deal
    invitation.save()
    audit_record(actor=actor, action="materials.invited", instance=room,
                 message=f"{email} до {formats.date(expires_on)}")  # fmt: skip
    url = absolute_url(reverse("materials:room", args=[room.pk]))
    transaction.on_commit(lambda: send_mail(
        f"Приглашение в комнату данных: {room.project}",
        f"Вас пригласили в комнату данных проекта «{room.project}» до {formats.date(expires_on)}.\n"
        f"Войдите на платформу с этим адресом почты ({email}) и откройте {url}\n"
        "Перед входом нужно принять соглашение о неразглашении.",
        settings.DEFAULT_FROM_EMAIL, [email],
    ))  # fmt: skip
    return invitation


@transaction.atomic
def invitation_revoke(*, actor: Any, invitation: Invitation) -> Invitation:
    _need(rules.can_manage_room(actor, invitation.room.project), "Отзывают приглашение офис и ведущая организация.")
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action="materials.invitation_revoked", instance=invitation.room,
                     message=invitation.email)  # fmt: skip
    return invitation


def _live(actor: Any, invitation: Invitation) -> None:
    _need(rules.invitation_for(actor, invitation), "Это приглашение выдано другому человеку.")
    if invitation.revoked_at is not None:
        raise PermissionDenied("Приглашение отозвано.")
    if not invitation.is_active():
        raise PermissionDenied("Срок приглашения истёк.")


@transaction.atomic
def nda_accept(*, actor: Any, invitation: Invitation, nda_version: int, ip: str | None) -> NdaAcceptance:
    """Record the click-through: the exact text the representative was shown (its version), when and from where."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    _live(actor, invitation)
    nda = current_nda()
    if nda is None:
        raise ValidationError("Текст соглашения о неразглашении ещё не опубликован.")
    if nda_version != nda.version:
        raise ValidationError("Текст соглашения изменился, пока вы его читали: прочитайте новую версию.")
    if invitation.user_id is None:
        invitation.user = actor
        invitation.save(update_fields=["user"])
    acceptance = NdaAcceptance.objects.create(
        invitation=invitation, nda=nda, nda_version=nda.version, nda_text=nda.text, user=actor, ip=ip
    )
    audit_record(actor=actor, action="materials.nda_accepted", instance=invitation.room,
                 message=f"версия {nda.version}")  # fmt: skip
    return acceptance


def has_accepted(invitation: Invitation) -> bool:
    """The representative accepted the current NDA (a new version must be accepted again)."""
    nda = current_nda()
    return nda is not None and invitation.acceptances.filter(nda_version=nda.version).exists()


@transaction.atomic
def download_record(
    *, actor: Any, room: DataRoom, document: RoomDocument, ip: str | None, watermarked: bool
) -> Download:
    """Log one download. A representative needs a live invitation and the accepted NDA; managers download freely."""
    invitation = None
    if not rules.can_manage_room(actor, room.project):
        invitation = live_invitation(actor, room)
        if invitation is None:
            raise PermissionDenied("Нет действующего приглашения в эту комнату данных.")
        if not has_accepted(invitation):
            raise PermissionDenied("Сначала примите соглашение о неразглашении.")
    if document.room_id != room.pk:
        raise PermissionDenied("Документ из другой комнаты.")
    return Download.objects.create(room=room, invitation=invitation, document=document, document_title=document.title,
                                   user=actor, ip=ip, watermarked=watermarked)  # fmt: skip


def live_invitation(actor: Any, room: DataRoom) -> Invitation | None:
    """The user's invitation to the room that is neither expired nor revoked (the newest)."""
    for invitation in room.invitations.filter(revoked_at__isnull=True, expires_at__gt=timezone.now()):
        if rules.invitation_for(actor, invitation):
            return invitation
    return None
