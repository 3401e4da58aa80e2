"""Bilingual project materials (teaser and investment memorandum) and the project's data room (issue 17, part B).

Materials are edited section by section, in Russian and in English, by people. Every save of a section raises its
version; an English section records the version of the Russian section it translates, so a Russian section saved
after its translation leaves the English text marked «перевод устарел» until a person updates it.

The data room holds a project's documents; a funder's representative (a user, invited by e-mail with an expiry) opens
it only after accepting the NDA, whose exact text and version are kept with the time of acceptance. Every download is
logged (who, when, which file, from which address), and each PDF is served watermarked with the viewer's name.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from projectoffice.lib.bounds import date_validators
from projectoffice.lib.cleaning import CleanTextMixin


class Document(models.TextChoices):
    TEASER = "teaser", "Тизер"
    MEMO = "memo", "Инвестиционный меморандум"


class Lang(models.TextChoices):
    RU = "ru", "русский"
    EN = "en", "английский"


class SectionKey(models.TextChoices):
    TITLE = "title", "Название"
    SUMMARY = "summary", "Кратко о проекте"
    PROBLEM = "problem", "Проблема"
    SOLUTION = "solution", "Решение"
    MARKET = "market", "Рынок"
    TEAM = "team", "Команда"
    TRACTION = "traction", "Достигнутые результаты"
    FINANCIALS = "financials", "Финансы и запрос"
    USE_OF_FUNDS = "use_of_funds", "Использование средств"
    RISKS = "risks", "Риски"
    PAYBACK = "payback", "Финансовая модель и окупаемость"
    PILOT_SCOPE = "pilot_scope", "Объём пилота"
    INTEGRATION = "integration", "План интеграции"
    PARTNERS_ABROAD = "partners_abroad", "Страны-участницы и партнёры за рубежом"


# The English headings of the sections, for the English documents and pages.
SECTION_TITLES_EN = {
    SectionKey.TITLE: "Title",
    SectionKey.SUMMARY: "Summary",
    SectionKey.PROBLEM: "Problem",
    SectionKey.SOLUTION: "Solution",
    SectionKey.MARKET: "Market",
    SectionKey.TEAM: "Team",
    SectionKey.TRACTION: "Traction",
    SectionKey.FINANCIALS: "Financials and the ask",
    SectionKey.USE_OF_FUNDS: "Use of funds",
    SectionKey.RISKS: "Risks",
    SectionKey.PAYBACK: "Financial model and payback",
    SectionKey.PILOT_SCOPE: "Pilot scope",
    SectionKey.INTEGRATION: "Integration plan",
    SectionKey.PARTNERS_ABROAD: "Participating countries and partners abroad",
}

# The sections of each document, in their order. The teaser is one page: the short form of the same story.
TEASER_SECTIONS = [SectionKey.TITLE, SectionKey.SUMMARY, SectionKey.PROBLEM, SectionKey.SOLUTION, SectionKey.MARKET,
                   SectionKey.TEAM, SectionKey.FINANCIALS]  # fmt: skip
MEMO_SECTIONS = [SectionKey.PROBLEM, SectionKey.SOLUTION, SectionKey.MARKET, SectionKey.TEAM, SectionKey.TRACTION,
                 SectionKey.FINANCIALS, SectionKey.USE_OF_FUNDS, SectionKey.RISKS, SectionKey.PAYBACK,
                 SectionKey.PILOT_SCOPE, SectionKey.INTEGRATION, SectionKey.PARTNERS_ABROAD]  # fmt: skip
SECTIONS = {Document.TEASER: TEASER_SECTIONS, Document.MEMO: MEMO_SECTIONS}
TEASER_MAX_CHARS = 700  # per section: six sections of this fit one A4 page


class Section(CleanTextMixin, models.Model):
    """One section of one document of a project, in one language."""

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="material_sections", verbose_name="проект"
    )
    document = models.CharField("документ", max_length=10, choices=Document.choices)
    key = models.CharField("раздел", max_length=20, choices=SectionKey.choices)
    lang = models.CharField("язык", max_length=2, choices=Lang.choices)
    text = models.TextField("текст", blank=True)
    version = models.PositiveIntegerField("версия", default=1)
    source_version = models.PositiveIntegerField(
        "переводит версию русского текста", null=True, blank=True, help_text="Только у английских разделов"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name="кто изменил",
    )  # fmt: skip
    updated_at = models.DateTimeField("изменён", default=timezone.now)

    class Meta:
        verbose_name = "раздел материалов"
        verbose_name_plural = "разделы материалов"
        ordering = ["project", "document", "key", "lang"]
        constraints = [
            models.UniqueConstraint(fields=["project", "document", "key", "lang"], name="material_section_unique"),
            models.CheckConstraint(
                condition=Q(lang="en") | Q(source_version__isnull=True),
                name="material_source_only_english",
                violation_error_message="Исходную версию указывают только у английского раздела.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_document_display()}: {self.get_key_display()} ({self.lang})"


class DataRoom(CleanTextMixin, models.Model):
    project = models.OneToOneField(
        "projects.Project", on_delete=models.CASCADE, related_name="data_room", verbose_name="проект"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name="кто открыл"
    )
    created_at = models.DateTimeField("открыта", auto_now_add=True)

    class Meta:
        verbose_name = "комната данных"
        verbose_name_plural = "комнаты данных"

    def __str__(self) -> str:
        return f"Комната данных: {self.project}"


def room_document_path(instance: RoomDocument, filename: str) -> str:
    return f"datarooms/{instance.room_id}/{filename}"


class RoomDocument(CleanTextMixin, models.Model):
    room = models.ForeignKey(DataRoom, on_delete=models.CASCADE, related_name="documents", verbose_name="комната")
    title = models.CharField("название", max_length=250)
    file = models.FileField("файл", upload_to=room_document_path, max_length=500)
    original_name = models.CharField("имя файла", max_length=255)
    size = models.PositiveIntegerField("размер, байт")
    detected_type = models.CharField("тип по содержимому", max_length=20)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name="кто приложил"
    )
    uploaded_at = models.DateTimeField("приложен", auto_now_add=True)

    class Meta:
        verbose_name = "документ комнаты данных"
        verbose_name_plural = "документы комнаты данных"
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.title


class Nda(CleanTextMixin, models.Model):
    """A version of the non-disclosure agreement; the latest is the one a representative accepts."""

    version = models.PositiveIntegerField("версия", unique=True)
    text = models.TextField("текст")
    published_at = models.DateTimeField("опубликовано", default=timezone.now)

    class Meta:
        verbose_name = "соглашение о неразглашении"
        verbose_name_plural = "соглашения о неразглашении"
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"Соглашение о неразглашении, версия {self.version}"


class Invitation(CleanTextMixin, models.Model):
    """A funder's representative, by e-mail, invited into one room until a date."""

    room = models.ForeignKey(DataRoom, on_delete=models.CASCADE, related_name="invitations", verbose_name="комната")
    email = models.EmailField("эл. почта приглашённого")
    deal = models.ForeignKey(
        "flagships.Deal", null=True, blank=True, on_delete=models.SET_NULL, related_name="room_invitations",
        verbose_name="сделка",
    )  # fmt: skip
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="room_invitations",
        verbose_name="представитель",
    )  # fmt: skip
    expires_at = models.DateTimeField("действует до", validators=date_validators())
    revoked_at = models.DateTimeField("отозвано", null=True, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name="кто пригласил"
    )
    created_at = models.DateTimeField("приглашение отправлено", auto_now_add=True)

    class Meta:
        verbose_name = "приглашение в комнату данных"
        verbose_name_plural = "приглашения в комнату данных"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.email} → {self.room.project}"

    def is_active(self, now: object = None) -> bool:
        moment = now or timezone.now()
        return self.revoked_at is None and self.expires_at > moment  # type: ignore[operator]


class NdaAcceptance(CleanTextMixin, models.Model):
    """The click-through: who accepted which text, when, from where. The text is copied, as it was read."""

    invitation = models.ForeignKey(
        Invitation, on_delete=models.CASCADE, related_name="acceptances", verbose_name="приглашение"
    )
    nda = models.ForeignKey(Nda, on_delete=models.PROTECT, related_name="acceptances", verbose_name="соглашение")
    nda_version = models.PositiveIntegerField("версия соглашения")
    nda_text = models.TextField("текст, который принят")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="кто")
    accepted_at = models.DateTimeField("когда принято", default=timezone.now)
    ip = models.GenericIPAddressField("адрес", null=True, blank=True)

    class Meta:
        verbose_name = "принятие соглашения о неразглашении"
        verbose_name_plural = "принятия соглашения о неразглашении"
        ordering = ["-accepted_at"]

    def __str__(self) -> str:
        return f"{self.user} принял соглашение версии {self.nda_version}"


class Download(CleanTextMixin, models.Model):
    room = models.ForeignKey(
        DataRoom, null=True, on_delete=models.CASCADE, related_name="downloads", verbose_name="комната"
    )
    invitation = models.ForeignKey(
        Invitation, null=True, blank=True, on_delete=models.SET_NULL, related_name="downloads",
        verbose_name="приглашение",
    )  # fmt: skip
    document = models.ForeignKey(
        RoomDocument, null=True, on_delete=models.SET_NULL, related_name="downloads", verbose_name="документ"
    )
    document_title = models.CharField("документ (название)", max_length=250)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="кто")
    at = models.DateTimeField("когда", default=timezone.now, db_index=True)
    ip = models.GenericIPAddressField("адрес", null=True, blank=True)
    watermarked = models.BooleanField("с водяным знаком", default=False)

    class Meta:
        verbose_name = "скачивание"
        verbose_name_plural = "скачивания"
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.user}: {self.document_title}"
