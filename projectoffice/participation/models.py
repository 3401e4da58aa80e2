"""Participation of the professional community: goals, processes with phases, proposals with official answers,
comments with moderation, and the consultation on a strategy draft with its disposition register."""

from __future__ import annotations

import datetime as dt
from typing import TypeVar

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from projectoffice.lib.bounds import date_validators, range_validators
from projectoffice.lib.cleaning import CleanTextMixin

USER = settings.AUTH_USER_MODEL
_M = TypeVar("_M", bound=models.Model)


# --- goals ---------------------------------------------------------------------------------------------------


class GoalKind(models.TextChoices):
    NATIONAL = "national", "Национальная цель развития"
    NATIONAL_PROJECT = "national_project", "Национальный проект"
    REGIONAL = "regional", "Цель региональной стратегии"


class Goal(CleanTextMixin, models.Model):
    kind = models.CharField("вид", max_length=20, choices=GoalKind.choices)
    code = models.SlugField("код", max_length=40, unique=True)
    name = models.CharField("официальное название", max_length=400)
    source = models.CharField("источник", max_length=300, blank=True)
    order = models.PositiveSmallIntegerField("порядок", default=0, validators=range_validators(0, 1000))

    class Meta:
        verbose_name = "цель"
        verbose_name_plural = "цели"
        ordering = ["kind", "order", "name"]

    def __str__(self) -> str:
        return self.name


# --- processes and phases ------------------------------------------------------------------------------------


class Action(models.TextChoices):
    PROPOSE = "propose", "подавать предложения"
    SUPPORT = "support", "поддерживать предложения"
    COMMENT = "comment", "обсуждать"
    REMARK = "remark", "замечать к проекту документа"
    SURVEY = "survey", "отвечать на опросы"


class Process(CleanTextMixin, models.Model):
    slug = models.SlugField("адрес", max_length=80, unique=True)
    title = models.CharField("название", max_length=250)
    description = models.TextField("описание")
    goals = models.ManyToManyField(Goal, verbose_name="цели", blank=True, related_name="processes")
    starts_on = models.DateField("начало", validators=date_validators())
    ends_on = models.DateField("окончание", validators=date_validators())
    is_published = models.BooleanField("опубликован", default=False)
    support_threshold = models.PositiveIntegerField(
        "поддержек для официального ответа",
        default=10,
        validators=range_validators(1, 1_000_000),
        help_text="Столько поддержек — и предложение ждёт ответа офиса",
    )
    edit_minutes = models.PositiveIntegerField(
        "можно править предложение, минут", default=60, validators=range_validators(0, 60 * 24 * 30)
    )
    is_demo = models.BooleanField("демо-запись", default=False)
    created_at = models.DateTimeField("создан", auto_now_add=True)

    class Meta:
        verbose_name = "процесс участия"
        verbose_name_plural = "процессы участия"
        ordering = ["-starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="process_dates",
                violation_error_message="Процесс заканчивается раньше, чем начинается.",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def status(self, today: dt.date | None = None) -> str:
        today = today or timezone.localdate()
        if today < self.starts_on:
            return "upcoming"
        return "closed" if today > self.ends_on else "open"

    def status_label(self) -> str:
        return {"upcoming": "скоро", "open": "идёт", "closed": "завершён"}[self.status()]


class Phase(CleanTextMixin, models.Model):
    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="phases", verbose_name="процесс")
    title = models.CharField("название", max_length=200)
    description = models.TextField("описание", blank=True)
    starts_on = models.DateField("начало", validators=date_validators())
    ends_on = models.DateField("окончание", validators=date_validators())
    actions = models.JSONField("что можно делать", default=list, blank=True)

    class Meta:
        verbose_name = "этап"
        verbose_name_plural = "этапы"
        ordering = ["process", "starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="phase_dates",
                violation_error_message="Этап заканчивается раньше, чем начинается.",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def action_labels(self) -> list[str]:
        labels = dict(Action.choices)
        return [labels[a] for a in self.actions if a in labels]


# --- proposals and official answers --------------------------------------------------------------------------


class Category(models.TextChoices):
    DATA = "data", "Данные и платформы"
    SERVICES = "services", "Государственные и городские сервисы"
    INDUSTRY = "industry", "Цифровизация промышленности"
    EDUCATION = "education", "Кадры и образование"
    INFRASTRUCTURE = "infrastructure", "Связь и инфраструктура"
    SECURITY = "security", "Информационная безопасность"
    OTHER = "other", "Другое"


class ProposalStatus(models.TextChoices):
    PUBLISHED = "published", "Опубликовано"
    WITHDRAWN = "withdrawn", "Отозвано автором"
    MERGED = "merged", "Объединено с другим"


class Visibility(models.TextChoices):
    VISIBLE = "visible", "Видно"
    PENDING = "pending", "Скрыто до проверки"
    HIDDEN = "hidden", "Скрыто модератором"


class ModeratedQuerySet(models.QuerySet[_M]):
    def shown(self) -> ModeratedQuerySet[_M]:
        """What pages, exports and the API may show: nothing hidden by reports or a moderator."""
        return self.filter(visibility=Visibility.VISIBLE)


class Proposal(CleanTextMixin, models.Model):
    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="proposals", verbose_name="процесс")
    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="proposals", verbose_name="автор")
    organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
        verbose_name="от имени организации",
    )
    title = models.CharField("название", max_length=200)
    body = models.TextField("суть предложения", max_length=10_000)
    category = models.CharField("категория", max_length=20, choices=Category.choices, default=Category.OTHER)
    goals = models.ManyToManyField(Goal, verbose_name="цели", blank=True, related_name="proposals")
    status = models.CharField("состояние", max_length=12, choices=ProposalStatus.choices, default="published")
    visibility = models.CharField("видимость", max_length=10, choices=Visibility.choices, default="visible")
    withdrawn_reason = models.TextField("причина отзыва", blank=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged", verbose_name="объединено с"
    )
    project = models.OneToOneField(
        "projects.Project",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="source_proposal",
        verbose_name="проект из предложения",
    )
    supports_count = models.PositiveIntegerField("поддержек", default=0)
    lemmas = models.TextField("леммы для поиска похожих", editable=False, default="")
    is_demo = models.BooleanField("демо-запись", default=False)
    created_at = models.DateTimeField("подано", default=timezone.now)
    updated_at = models.DateTimeField("изменено", auto_now=True)

    objects = ModeratedQuerySet.as_manager()

    class Meta:
        verbose_name = "предложение"
        verbose_name_plural = "предложения"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def needs_answer(self) -> bool:
        """Enough supports and no published official answer yet (a draft answer still leaves it waiting)."""
        if self.supports_count < self.process.support_threshold:
            return False
        try:
            answer = self.answer
        except ObjectDoesNotExist:
            return True
        return answer.published_at is None


class Support(models.Model):
    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="supports", verbose_name="предложение"
    )
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+", verbose_name="участник")
    created_at = models.DateTimeField("поддержано", default=timezone.now)

    class Meta:
        verbose_name = "поддержка"
        verbose_name_plural = "поддержки"
        constraints = [models.UniqueConstraint(fields=["proposal", "user"], name="one_support_per_person")]

    def __str__(self) -> str:
        return f"{self.user} — {self.proposal}"


class Endorsement(models.Model):
    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="endorsements", verbose_name="предложение"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+", verbose_name="организация"
    )
    by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name="от организации подписал")
    created_at = models.DateTimeField("поддержано", default=timezone.now)

    class Meta:
        verbose_name = "поддержка организации"
        verbose_name_plural = "поддержки организаций"
        constraints = [models.UniqueConstraint(fields=["proposal", "organisation"], name="one_endorsement_per_org")]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.proposal}"


class AnswerState(CleanTextMixin, models.Model):
    """States of official answers, defined by the office (на рассмотрении, принято, …)."""

    name = models.CharField("название", max_length=100, unique=True)
    is_accepted = models.BooleanField("предложение принято", default=False)
    needs_justification = models.BooleanField("нужно обоснование", default=True)
    order = models.PositiveSmallIntegerField("порядок", default=0, validators=range_validators(0, 1000))

    class Meta:
        verbose_name = "состояние ответа"
        verbose_name_plural = "состояния ответов"
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name


class Answer(CleanTextMixin, models.Model):
    proposal = models.OneToOneField(
        Proposal, on_delete=models.CASCADE, related_name="answer", verbose_name="предложение"
    )
    state = models.ForeignKey(AnswerState, on_delete=models.PROTECT, related_name="+", verbose_name="состояние")
    text = models.TextField("ответ и обоснование", max_length=10_000)
    drafted_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name="подготовил")
    drafted_at = models.DateTimeField("подготовлен", default=timezone.now)
    published_at = models.DateTimeField("опубликован", null=True, blank=True)

    class Meta:
        verbose_name = "официальный ответ"
        verbose_name_plural = "официальные ответы"

    def __str__(self) -> str:
        return f"{self.state}: {self.proposal}"


class Evaluation(CleanTextMixin, models.Model):
    """An expert assigned to a proposal, with a note only the office and that expert read."""

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="evaluations", verbose_name="предложение"
    )
    expert = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name="эксперт")
    note = models.TextField("заметка (видна офису и эксперту)", blank=True, max_length=10_000)
    updated_at = models.DateTimeField("изменено", auto_now=True)

    class Meta:
        verbose_name = "оценка эксперта"
        verbose_name_plural = "оценки экспертов"
        constraints = [models.UniqueConstraint(fields=["proposal", "expert"], name="one_evaluation_per_expert")]

    def __str__(self) -> str:
        return f"{self.expert} — {self.proposal}"


class ProposalEvent(CleanTextMixin, models.Model):
    """The proposal's public history: filed, edited, withdrawn, merged in, answered, turned into a project."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="history", verbose_name="предложение")
    text = models.CharField("что произошло", max_length=400)
    at = models.DateTimeField("когда", default=timezone.now)

    class Meta:
        verbose_name = "событие предложения"
        verbose_name_plural = "история предложений"
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return self.text


# --- debates, comments, moderation ---------------------------------------------------------------------------


class Debate(CleanTextMixin, models.Model):
    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="debates", verbose_name="процесс")
    title = models.CharField("тема", max_length=250)
    description = models.TextField("вступление")
    created_at = models.DateTimeField("открыто", default=timezone.now)

    class Meta:
        verbose_name = "дискуссия"
        verbose_name_plural = "дискуссии"
        ordering = ["-created_at", "pk"]

    def __str__(self) -> str:
        return self.title


class Stance(models.TextChoices):
    FOR = "for", "за"
    AGAINST = "against", "против"
    NEUTRAL = "neutral", "нейтрально"


COMMENT_MAX_DEPTH = 3  # a reply to a reply to a reply: deeper answers attach to the deepest allowed level


class Comment(CleanTextMixin, models.Model):
    proposal = models.ForeignKey(
        Proposal, null=True, blank=True, on_delete=models.CASCADE, related_name="comments", verbose_name="предложение"
    )
    debate = models.ForeignKey(
        Debate, null=True, blank=True, on_delete=models.CASCADE, related_name="comments", verbose_name="дискуссия"
    )
    remark = models.ForeignKey(
        "Remark", null=True, blank=True, on_delete=models.CASCADE, related_name="comments", verbose_name="замечание"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies", verbose_name="ответ на"
    )
    depth = models.PositiveSmallIntegerField("уровень", default=0)
    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name="автор")
    body = models.TextField("текст", max_length=5_000)
    stance = models.CharField("позиция", max_length=8, choices=Stance.choices, default=Stance.NEUTRAL)
    up = models.PositiveIntegerField("за", default=0)
    down = models.PositiveIntegerField("против", default=0)
    visibility = models.CharField("видимость", max_length=10, choices=Visibility.choices, default="visible")
    is_deleted = models.BooleanField("удалён автором", default=False)
    created_at = models.DateTimeField("написан", default=timezone.now)
    edited_at = models.DateTimeField("исправлен", null=True, blank=True)

    objects = ModeratedQuerySet.as_manager()

    class Meta:
        verbose_name = "комментарий"
        verbose_name_plural = "комментарии"
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(proposal__isnull=False, debate__isnull=True, remark__isnull=True)
                | Q(proposal__isnull=True, debate__isnull=False, remark__isnull=True)
                | Q(proposal__isnull=True, debate__isnull=True, remark__isnull=False),
                name="comment_has_one_subject",
                violation_error_message="Комментарий относится ровно к одному: предложению, дискуссии или замечанию.",
            )
        ]

    def __str__(self) -> str:
        return self.body[:60]


class CommentRevision(CleanTextMixin, models.Model):
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="revisions", verbose_name="комментарий")
    body = models.TextField("прежний текст")
    at = models.DateTimeField("до", default=timezone.now)

    class Meta:
        verbose_name = "прежняя редакция комментария"
        verbose_name_plural = "прежние редакции комментариев"
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return self.body[:60]


class Vote(models.Model):
    """An up or down vote on a comment or on a remark to the draft (one per person, changeable)."""

    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="votes", verbose_name="комментарий"
    )
    remark = models.ForeignKey(
        "Remark", null=True, blank=True, on_delete=models.CASCADE, related_name="votes", verbose_name="замечание"
    )
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+", verbose_name="участник")
    value = models.SmallIntegerField("голос", choices=[(1, "за"), (-1, "против")])

    class Meta:
        verbose_name = "голос"
        verbose_name_plural = "голоса"
        constraints = [
            models.UniqueConstraint(fields=["comment", "user"], name="one_vote_per_person"),
            models.UniqueConstraint(fields=["remark", "user"], name="one_remark_vote_per_person"),
            models.CheckConstraint(
                condition=Q(value__in=[1, -1]),
                name="vote_plus_minus_one",
                violation_error_message="Голос может быть только «за» или «против».",
            ),
            models.CheckConstraint(
                condition=Q(comment__isnull=False, remark__isnull=True) | Q(comment__isnull=True, remark__isnull=False),
                name="vote_has_one_subject",
                violation_error_message="Голос относится ровно к одному: комментарию или замечанию.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_value_display()}"


class ReportReason(models.TextChoices):
    SPAM = "spam", "Спам"
    ABUSE = "abuse", "Оскорбление"
    OFF_TOPIC = "off_topic", "Не по теме"
    OTHER = "other", "Другое"


class CaseState(models.TextChoices):
    PENDING = "pending", "Ждёт решения"
    HIDDEN = "hidden", "Скрыто"
    RESTORED = "restored", "Восстановлено"
    IGNORED = "ignored", "Жалобы отклонены"


class ModerationCase(CleanTextMixin, models.Model):
    """Everything reported about one piece of content, and the moderator's decision on it."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, verbose_name="вид содержимого")
    object_id = models.PositiveBigIntegerField("номер")
    content = GenericForeignKey("content_type", "object_id")
    content.verbose_name = "содержимое"
    author = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+", verbose_name="автор содержимого")
    excerpt = models.TextField("фрагмент", blank=True)
    state = models.CharField("состояние", max_length=10, choices=CaseState.choices, default=CaseState.PENDING)
    reports_count = models.PositiveIntegerField("жалоб", default=0)
    decided_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="решил"
    )
    decision_reason = models.TextField("обоснование решения", blank=True)
    decided_at = models.DateTimeField("решено", null=True, blank=True)
    created_at = models.DateTimeField("первая жалоба", default=timezone.now)

    class Meta:
        verbose_name = "дело модерации"
        verbose_name_plural = "дела модерации"
        ordering = ["-reports_count", "created_at"]
        constraints = [models.UniqueConstraint(fields=["content_type", "object_id"], name="one_case_per_content")]

    def __str__(self) -> str:
        return f"{self.content_type.name}: {self.excerpt[:60]}"


class Report(CleanTextMixin, models.Model):
    case = models.ForeignKey(ModerationCase, on_delete=models.CASCADE, related_name="reports", verbose_name="дело")
    reporter = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+", verbose_name="пожаловался")
    reason = models.CharField("причина", max_length=10, choices=ReportReason.choices)
    text = models.CharField("пояснение", max_length=500, blank=True)
    created_at = models.DateTimeField("подана", default=timezone.now)

    class Meta:
        verbose_name = "жалоба"
        verbose_name_plural = "жалобы"
        constraints = [models.UniqueConstraint(fields=["case", "reporter"], name="one_report_per_person")]

    def __str__(self) -> str:
        return self.get_reason_display()


class Block(CleanTextMixin, models.Model):
    """A participant whose content was hidden too often may not take part any more (reading stays open)."""

    user = models.OneToOneField(
        USER, on_delete=models.CASCADE, related_name="participation_block", verbose_name="участник"
    )
    reason = models.TextField("причина")
    created_at = models.DateTimeField("заблокирован", default=timezone.now)

    class Meta:
        verbose_name = "блокировка участника"
        verbose_name_plural = "блокировки участников"

    def __str__(self) -> str:
        return str(self.user)


class Notification(CleanTextMixin, models.Model):
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="participation_notices", verbose_name="кому")
    text = models.CharField("текст", max_length=500)
    url = models.CharField("ссылка", max_length=300, blank=True)
    created_at = models.DateTimeField("создано", default=timezone.now)
    read_at = models.DateTimeField("прочитано", null=True, blank=True)
    emailed_at = models.DateTimeField("отправлено в дайджесте", null=True, blank=True)

    class Meta:
        verbose_name = "уведомление"
        verbose_name_plural = "уведомления"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.text


class DigestFrequency(models.TextChoices):
    NONE = "none", "Не присылать"
    DAILY = "daily", "Раз в день"
    WEEKLY = "weekly", "Раз в неделю (по понедельникам)"


class DigestSetting(CleanTextMixin, models.Model):
    """How often a person gets their participation notifications by e-mail; without a row: never."""

    user = models.OneToOneField(
        USER, on_delete=models.CASCADE, related_name="participation_digest", verbose_name="участник"
    )
    frequency = models.CharField("присылать уведомления на почту", max_length=8, choices=DigestFrequency.choices,
                                 default=DigestFrequency.NONE)  # fmt: skip
    last_sent_at = models.DateTimeField("последний дайджест", null=True, blank=True)

    class Meta:
        verbose_name = "настройка дайджеста участия"
        verbose_name_plural = "настройки дайджестов участия"

    def __str__(self) -> str:
        return f"{self.user}: {self.get_frequency_display()}"


class DigestSent(CleanTextMixin, models.Model):
    """One digest of one person for one period (a day or a week): the unique pair is what sends it once."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+", verbose_name="участник")
    period = models.CharField("период", max_length=16)
    items = models.PositiveIntegerField("уведомлений", default=0, validators=range_validators(0, 1_000_000))
    sent_at = models.DateTimeField("отправлен", default=timezone.now)

    class Meta:
        verbose_name = "отправленный дайджест участия"
        verbose_name_plural = "отправленные дайджесты участия"
        constraints = [models.UniqueConstraint(fields=["user", "period"], name="one_participation_digest_per_period")]

    def __str__(self) -> str:
        return f"{self.user}: {self.period}"


# --- consultation on a strategy draft ------------------------------------------------------------------------


class Draft(CleanTextMixin, models.Model):
    process = models.OneToOneField(Process, on_delete=models.CASCADE, related_name="draft", verbose_name="процесс")
    title = models.CharField("название документа", max_length=300)

    class Meta:
        verbose_name = "проект документа"
        verbose_name_plural = "проекты документов"

    def __str__(self) -> str:
        return self.title


class DraftVersion(CleanTextMixin, models.Model):
    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="versions", verbose_name="документ")
    number = models.PositiveSmallIntegerField("редакция")
    text = models.TextField("текст с разметкой", max_length=1_000_000)
    changelog = models.TextField("что изменилось", blank=True)
    is_final = models.BooleanField("окончательная", default=False)
    published_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name="опубликовал")
    published_at = models.DateTimeField("опубликована", default=timezone.now)

    class Meta:
        verbose_name = "редакция"
        verbose_name_plural = "редакции"
        ordering = ["draft", "number"]
        constraints = [models.UniqueConstraint(fields=["draft", "number"], name="one_version_number")]

    def __str__(self) -> str:
        return f"Редакция {self.number}"


class Paragraph(CleanTextMixin, models.Model):
    version = models.ForeignKey(
        DraftVersion, on_delete=models.CASCADE, related_name="paragraphs", verbose_name="редакция"
    )
    order = models.PositiveIntegerField("порядок")
    section_anchor = models.CharField("якорь раздела", max_length=40)
    section_title = models.CharField("раздел", max_length=300)
    anchor = models.CharField("якорь", max_length=40)
    number = models.CharField("номер пункта", max_length=20)
    text = models.TextField("текст с разметкой")
    html = models.TextField("текст (HTML)")

    class Meta:
        verbose_name = "пункт"
        verbose_name_plural = "пункты"
        ordering = ["version", "order"]
        constraints = [models.UniqueConstraint(fields=["version", "anchor"], name="one_anchor_per_version")]

    def __str__(self) -> str:
        return f"п. {self.number}"

    @property
    def safe_html(self) -> SafeString:
        """The paragraph's HTML, sanitised by nh3 when the version was published (drafts.render)."""
        return mark_safe(self.html)  # noqa: S308 - cleaned by nh3 with a short allow-list before it was stored


class Disposition(models.TextChoices):
    NONE = "", "Не рассмотрено"
    ACCEPTED = "accepted", "Учтено"
    PARTIAL = "partial", "Учтено частично"
    REJECTED = "rejected", "Не учтено"


class Remark(CleanTextMixin, models.Model):
    paragraph = models.ForeignKey(Paragraph, on_delete=models.CASCADE, related_name="remarks", verbose_name="пункт")
    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name="автор")
    organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="от имени организации",
    )
    quote = models.TextField("цитата", blank=True, max_length=2_000)
    text = models.TextField("замечание или предложение", max_length=5_000)
    visibility = models.CharField("видимость", max_length=10, choices=Visibility.choices, default="visible")
    up = models.PositiveIntegerField("за", default=0)
    down = models.PositiveIntegerField("против", default=0)
    disposition = models.CharField("решение", max_length=10, choices=Disposition.choices, default="", blank=True)
    justification = models.TextField("обоснование", blank=True, max_length=5_000)
    disposed_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="рассмотрел"
    )
    disposed_at = models.DateTimeField("рассмотрено", null=True, blank=True)
    created_at = models.DateTimeField("подано", default=timezone.now)

    objects = ModeratedQuerySet.as_manager()

    class Meta:
        verbose_name = "замечание"
        verbose_name_plural = "замечания"
        ordering = ["paragraph__order", "created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


# --- accountability ------------------------------------------------------------------------------------------


class ProgressSource(models.TextChoices):
    PROJECTS = "projects", "По стадиям связанных проектов"
    INDICATOR = "indicator", "По факту показателя против плана"
    CHILDREN = "children", "По подрезультатам"
    MANUAL = "manual", "Вручную, с подтверждением"


class Result(CleanTextMixin, models.Model):
    """What a process promised and delivered, linked to the proposals it answers, projects and a KPI indicator."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="results", verbose_name="процесс")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children", verbose_name="входит в"
    )
    title = models.CharField("результат", max_length=300)
    description = models.TextField("описание", blank=True)
    proposals = models.ManyToManyField(
        Proposal, blank=True, related_name="results", verbose_name="отвечает на предложения"
    )
    projects = models.ManyToManyField("projects.Project", blank=True, related_name="+", verbose_name="проекты")
    indicator_code = models.SlugField("код показателя KPI", max_length=40, blank=True)
    source = models.CharField("как считается прогресс", max_length=10, choices=ProgressSource.choices,
                              default=ProgressSource.PROJECTS)  # fmt: skip
    manual_progress = models.PositiveSmallIntegerField("прогресс вручную, %", null=True, blank=True,
                                                       validators=range_validators(0, 100))  # fmt: skip
    evidence = models.TextField("подтверждение (для прогресса вручную)", blank=True)
    order = models.PositiveSmallIntegerField("порядок", default=0, validators=range_validators(0, 1000))

    class Meta:
        verbose_name = "результат"
        verbose_name_plural = "результаты"
        ordering = ["process", "order", "pk"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.source == ProgressSource.MANUAL and (self.manual_progress is None or not self.evidence.strip()):
            raise ValidationError(
                {"evidence": "Прогресс вручную вносится с подтверждением: укажите процент и документ."}
            )
        if self.source == ProgressSource.INDICATOR and not self.indicator_code:
            raise ValidationError({"indicator_code": "Укажите код показателя."})


# --- surveys -------------------------------------------------------------------------------------------------


class Survey(CleanTextMixin, models.Model):
    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="surveys", verbose_name="этап")
    title = models.CharField("название", max_length=250)
    description = models.TextField("вступление", blank=True)

    class Meta:
        verbose_name = "опрос"
        verbose_name_plural = "опросы"
        ordering = ["phase", "pk"]

    def __str__(self) -> str:
        return self.title

    def is_closed(self, today: dt.date | None = None) -> bool:
        """A survey closes with its phase; results and the CSV open then."""
        return (today or timezone.localdate()) > self.phase.ends_on


class QuestionKind(models.TextChoices):
    SHORT = "short", "Короткий ответ"
    LONG = "long", "Развёрнутый ответ"
    SINGLE = "single", "Один вариант"
    MULTIPLE = "multiple", "Несколько вариантов"
    SCALE = "scale", "Шкала"
    MATRIX = "matrix", "Матрица"


class SurveyQuestion(CleanTextMixin, models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions", verbose_name="опрос")
    kind = models.CharField("вид", max_length=10, choices=QuestionKind.choices)
    text = models.CharField("вопрос", max_length=500)
    choices = models.JSONField("варианты (или столбцы матрицы)", default=list, blank=True)
    rows = models.JSONField("строки матрицы", default=list, blank=True)
    scale_max = models.PositiveSmallIntegerField("шкала от 1 до", default=5, validators=range_validators(2, 10))
    required = models.BooleanField("обязательный", default=True)
    order = models.PositiveSmallIntegerField("порядок", default=0, validators=range_validators(0, 1000))

    class Meta:
        verbose_name = "вопрос опроса"
        verbose_name_plural = "вопросы опросов"
        ordering = ["survey", "order", "pk"]

    def __str__(self) -> str:
        return self.text

    @property
    def scale_range(self) -> range:
        return range(1, self.scale_max + 1)


class SurveyResponse(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses", verbose_name="опрос")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+", verbose_name="участник")
    answers = models.JSONField("ответы", default=dict)
    created_at = models.DateTimeField("ответил", default=timezone.now)

    class Meta:
        verbose_name = "ответ на опрос"
        verbose_name_plural = "ответы на опросы"
        constraints = [models.UniqueConstraint(fields=["survey", "user"], name="one_response_per_person")]

    def __str__(self) -> str:
        return f"{self.user} — {self.survey}"


class Follow(models.Model):
    """A person following a process (new versions of its draft) or a proposal (answers, comments)."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="participation_follows", verbose_name="кто")
    process = models.ForeignKey(
        Process, null=True, blank=True, on_delete=models.CASCADE, related_name="follows", verbose_name="процесс"
    )
    proposal = models.ForeignKey(
        Proposal, null=True, blank=True, on_delete=models.CASCADE, related_name="follows", verbose_name="предложение"
    )
    created_at = models.DateTimeField("подписан", default=timezone.now)

    class Meta:
        verbose_name = "подписка на процесс или предложение"
        verbose_name_plural = "подписки на процессы и предложения"
        constraints = [
            models.UniqueConstraint(fields=["user", "process"], name="one_follow_per_process"),
            models.UniqueConstraint(fields=["user", "proposal"], name="one_follow_per_proposal"),
            models.CheckConstraint(
                condition=Q(process__isnull=False, proposal__isnull=True)
                | Q(process__isnull=True, proposal__isnull=False),
                name="follow_has_one_subject",
                violation_error_message="Подписка относится ровно к одному: процессу или предложению.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.process or self.proposal}"


class AffiliationState(models.TextChoices):
    PENDING = "pending", "Ждёт подтверждения"
    CONFIRMED = "confirmed", "Подтверждена"
    DECLINED = "declined", "Не подтверждена"


class Affiliation(CleanTextMixin, models.Model):
    """A participant's claim to belong to a registry organisation; once a member of that organisation or the office
    confirms it, the person becomes its member and may speak for it (shown as a verified affiliation)."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="affiliations", verbose_name="участник")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+", verbose_name="организация"
    )
    position = models.CharField("должность", max_length=200, blank=True)
    state = models.CharField("состояние", max_length=10, choices=AffiliationState.choices, default="pending")
    decided_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="подтвердил"
    )
    decided_at = models.DateTimeField("решено", null=True, blank=True)
    created_at = models.DateTimeField("запрошено", default=timezone.now)

    class Meta:
        verbose_name = "принадлежность к организации"
        verbose_name_plural = "принадлежности к организациям"
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["user", "organisation"], name="one_affiliation_claim")]

    def __str__(self) -> str:
        return f"{self.user} — {self.organisation}"
