"""Reads for the materials pages: one query for a project's sections, rooms of a representative."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils import timezone

from projectoffice.materials import rules
from projectoffice.materials.funder_classes import FunderClass
from projectoffice.materials.models import (
    SECTION_TITLES_EN,
    SECTIONS,
    DataRoom,
    Document,
    Download,
    Invitation,
    Lang,
    NdaAcceptance,
    Section,
    SectionKey,
)
from projectoffice.materials.readiness import Sections, is_outdated, materials_complete, sections_of


@dataclass(frozen=True)
class Row:
    document: str
    key: str
    label: str
    label_en: str
    ru: Section | None
    en: Section | None
    outdated: bool

    @property
    def anchor(self) -> str:
        return f"{self.document}-{self.key}"


def rows(found: Sections) -> dict[str, list[Row]]:
    result: dict[str, list[Row]] = {}
    for document, keys in SECTIONS.items():
        result[document] = []
        for key in keys:
            ru, en = found.get((document, key, Lang.RU)), found.get((document, key, Lang.EN))
            result[document].append(Row(document, key, SectionKey(key).label, SECTION_TITLES_EN[key], ru, en,
                                        is_outdated(en, ru)))  # fmt: skip
    return result


def readiness(project: Any, found: Sections) -> list[tuple[str, bool, list[str]]]:
    return [(label, *materials_complete(project, value, found=found)) for value, label in FunderClass.choices]


def overview(project: Any) -> dict[str, Any]:
    found = sections_of(project)
    table = rows(found)
    return {
        "teaser_rows": table[Document.TEASER],
        "memo_rows": table[Document.MEMO],
        "readiness": readiness(project, found),
        "outdated_count": sum(r.outdated for rs in table.values() for r in rs),
    }


def rooms_for(user: Any) -> list[Invitation]:
    """A representative's live invitations, with their rooms and projects (one query)."""
    now = timezone.now()
    candidates = (
        Invitation.objects.filter(revoked_at__isnull=True, expires_at__gt=now)
        .select_related("room__project__lead_organisation")
        .order_by("expires_at")
    )
    if getattr(user, "email", ""):
        candidates = candidates.filter(email__iexact=user.email) | candidates.filter(user=user)
    else:
        candidates = candidates.filter(user=user)
    return [i for i in candidates if rules.invitation_for(user, i)]


def has_rooms(user: Any) -> bool:
    """Whether the user holds a live invitation to any data room (the menu's «Комнаты данных»); one EXISTS query."""
    if not getattr(user, "is_authenticated", False):
        return False
    live = Invitation.objects.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())
    mine = Q(user=user)
    if getattr(user, "email", ""):
        mine |= Q(user__isnull=True, email__iexact=user.email)
    return live.filter(mine).exists()


DOWNLOAD_LOG_LIMIT = 200


def downloads_of(room: DataRoom) -> Any:
    """The room's download log, newest first (the latest 200 on the page)."""
    return Download.objects.filter(room=room).select_related("user")[:DOWNLOAD_LOG_LIMIT]


def acceptances_of(room: DataRoom) -> Any:
    return NdaAcceptance.objects.filter(invitation__room=room).select_related("user")
