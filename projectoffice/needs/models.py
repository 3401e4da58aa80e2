"""Industry digitalisation needs: an enterprise's request (filed without an account), the needs staff qualify
from it, the regional IT solutions catalogue, partner institutions and their experts, the matches a need is sent
to with their lifecycle, reminders sent once, the satisfaction survey and the pilot project a need becomes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from projectoffice.lib import formats
from projectoffice.lib.bounds import COUNT_MAX, date_validators, money_validators, range_validators
from projectoffice.lib.cleaning import CleanTextMixin

USER = settings.AUTH_USER_MODEL


# --- taxonomy and territory ----------------------------------------------------------------------------------


class Theme(CleanTextMixin, models.Model):
    name = models.CharField("тема", max_length=150, unique=True)
    order = models.PositiveSmallIntegerField("порядок", default=0, validators=range_validators(0, 1000))

    class Meta:
        verbose_name = "тема"
        verbose_name_plural = "темы"
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Subject(CleanTextMixin, models.Model):
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="subjects", verbose_name="тема")
    name = models.CharField("предмет", max_length=200)
    description = models.TextField("пояснение", blank=True)
    keywords = models.TextField("ключевые слова", blank=True, help_text="Слова, по которым подбираются решения")
    active = models.BooleanField("действует", default=True)
    order = models.PositiveSmallIntegerField("порядок", default=0, validators=range_validators(0, 1000))

    class Meta:
        verbose_name = "предмет обращения"
        verbose_name_plural = "предметы обращений"
        ordering = ["theme__order", "order", "name"]
        constraints = [models.UniqueConstraint(fields=["theme", "name"], name="needs_unique_subject_name")]

    def __str__(self) -> str:
        return f"{self.theme.name}: {self.name}"


class MunicipalityKind(models.TextChoices):
    URBAN_DISTRICT = "urban_district", "городской округ"
    MUNICIPAL_DISTRICT = "municipal_district", "муниципальный район"


class Municipality(CleanTextMixin, models.Model):
    name = models.CharField("официальное наименование", max_length=250, unique=True)
    short_name = models.CharField("краткое наименование", max_length=120, blank=True)
    kind = models.CharField("вид", max_length=20, choices=MunicipalityKind.choices)
    oktmo = models.CharField("код ОКТМО", max_length=11, unique=True)

    class Meta:
        verbose_name = "муниципальное образование"
        verbose_name_plural = "муниципальные образования"
        ordering = ["kind", "short_name", "name"]

    def __str__(self) -> str:
        return self.short_name or self.name


# --- intake --------------------------------------------------------------------------------------------------


class BudgetBand(models.TextChoices):
    UNKNOWN = "unknown", "пока не знаю"
    UNDER_1M = "under_1m", "до 1 млн ₽"
    FROM_1M = "1m_5m", "1–5 млн ₽"
    FROM_5M = "5m_20m", "5–20 млн ₽"
    OVER_20M = "over_20m", "больше 20 млн ₽"


class Horizon(models.TextChoices):
    NOW = "now", "в ближайшие 3 месяца"
    HALF_YEAR = "half_year", "в течение полугода"
    YEAR = "year", "в течение года"
    LATER = "later", "позже или пока изучаем"


class IntakeStatus(models.TextChoices):
    DRAFT = "draft", "черновик"
    CONFIRMED = "confirmed", "подтверждено"  # обращение: neuter
    QUALIFIED = "qualified", "квалифицировано"
    SPAM = "spam", "спам"


class IntakeRequest(CleanTextMixin, models.Model):
    """What an enterprise typed into the public form; staff qualify it into one or more needs."""

    inn = models.CharField("ИНН", max_length=12)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="need_requests",
        verbose_name="организация",
    )
    organisation_name = models.CharField("наименование (как указано)", max_length=300, blank=True)
    organisation_unconfirmed = models.BooleanField(
        "организация создана по форме", default=False, help_text="Не найдена в реестре; офис сверит данные"
    )
    contact_name = models.CharField("контактное лицо", max_length=200)
    contact_email = models.EmailField("эл. почта")
    contact_phone = models.CharField("телефон", max_length=40, blank=True)
    contact_position = models.CharField("должность", max_length=200, blank=True)
    subject = models.ForeignKey(
        Subject, on_delete=models.PROTECT, null=True, blank=True, related_name="requests", verbose_name="предмет"
    )
    description = models.TextField("описание задачи")
    budget_band = models.CharField("бюджет", max_length=12, choices=BudgetBand.choices, default=BudgetBand.UNKNOWN)
    horizon = models.CharField("срок", max_length=12, choices=Horizon.choices, default=Horizon.HALF_YEAR)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="территория"
    )
    consent_at = models.DateTimeField("согласие на обработку ПДн", null=True, blank=True, validators=date_validators())
    consent_version = models.CharField("версия текста согласия", max_length=20, blank=True)
    source = models.CharField("откуда", max_length=200, blank=True, help_text="Сайт партнёра, если форма встроена")
    ip_hash = models.CharField("хеш адреса", max_length=64, blank=True, editable=False)
    status = models.CharField("статус", max_length=12, choices=IntakeStatus.choices, default=IntakeStatus.DRAFT)
    started_at = models.DateTimeField("форма начата", null=True, blank=True, validators=date_validators())
    submitted_at = models.DateTimeField("отправлено", null=True, blank=True, validators=date_validators())
    confirmation_sent_at = models.DateTimeField(
        "письмо для подтверждения", null=True, blank=True, validators=date_validators()
    )
    confirmation_used_at = models.DateTimeField(
        "ссылка подтверждения использована", null=True, blank=True, validators=date_validators()
    )
    confirmed_at = models.DateTimeField("подтверждено", null=True, blank=True, validators=date_validators())
    reminder_unfinished_sent_at = models.DateTimeField(
        "напоминание о незавершённой форме", null=True, blank=True, validators=date_validators()
    )
    status_salt = models.CharField("соль ссылки на статус", max_length=32, blank=True, editable=False)
    qualified_at = models.DateTimeField("квалифицировано", null=True, blank=True, validators=date_validators())
    qualified_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="квалифицировал"
    )
    is_demo = models.BooleanField("демо-запись", default=False)
    created_at = models.DateTimeField("создана", auto_now_add=True)

    class Meta:
        verbose_name = "обращение предприятия"
        verbose_name_plural = "обращения предприятий"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"]), models.Index(fields=["ip_hash", "created_at"])]

    def __str__(self) -> str:
        return f"Обращение №{self.pk} — {self.organisation_name or self.inn}"

    @property
    def consent_version_label(self) -> str:
        """The consent text's version in words: «2026-12» (its first day) or «2026-12-15» → «от 01.12.2026»."""
        parts = self.consent_version.split("-")
        if len(parts) in (2, 3) and all(p.isdigit() for p in parts):
            year, month, day = (*parts, "1")[:3] if len(parts) == 2 else parts
            return f"в редакции от {int(day):02d}.{int(month):02d}.{year}"
        return f"в редакции «{self.consent_version}»" if self.consent_version else "редакция не записана"


# --- needs ---------------------------------------------------------------------------------------------------


class Priority(models.TextChoices):
    LOW = "low", "низкий"
    NORMAL = "normal", "обычный"
    HIGH = "high", "высокий"


class NeedStatus(models.TextChoices):
    NEW = "new", "новая"
    SENT = "sent", "отправлена"
    TAKEN = "taken", "в работе"
    HELPED = "helped", "помогли"
    NOT_HELPED = "not_helped", "не помогли"
    UNREACHABLE = "unreachable", "не удалось связаться"
    DECLINED = "declined", "отказ"
    ABANDONED = "abandoned", "заброшена"


class Need(CleanTextMixin, models.Model):
    request = models.ForeignKey(IntakeRequest, on_delete=models.PROTECT, related_name="needs", verbose_name="обращение")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="needs", verbose_name="предприятие"
    )
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="needs", verbose_name="предмет")
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, blank=True, related_name="needs", verbose_name="территория"
    )
    title = models.CharField("кратко", max_length=250, blank=True)
    description = models.TextField("описание")
    priority = models.CharField("приоритет", max_length=8, choices=Priority.choices, default=Priority.NORMAL)
    status = models.CharField(
        "статус", max_length=12, choices=NeedStatus.choices, default=NeedStatus.NEW, editable=False,
        help_text="Следует из статусов отправок",
    )  # fmt: skip
    created_at = models.DateTimeField("создана", auto_now_add=True)
    qualified_at = models.DateTimeField("квалифицирована", null=True, blank=True, validators=date_validators())
    first_sent_at = models.DateTimeField("впервые отправлена", null=True, blank=True, validators=date_validators())
    first_taken_at = models.DateTimeField("впервые взята в работу", null=True, blank=True, validators=date_validators())
    closed_at = models.DateTimeField("закрыта", null=True, blank=True, validators=date_validators())
    abandoned_at = models.DateTimeField("заброшена", null=True, blank=True, validators=date_validators())
    merged_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="merged", verbose_name="объединена с"
    )
    pilot_project = models.ForeignKey(
        "projects.Project",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="needs",
        verbose_name="пилотный проект",
    )
    investment = models.DecimalField(
        "инвестиции в пилот, руб.", max_digits=16, decimal_places=2, null=True, blank=True,
        validators=money_validators(),
    )  # fmt: skip
    is_demo = models.BooleanField("демо-запись", default=False)

    class Meta:
        verbose_name = "потребность"
        verbose_name_plural = "потребности"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"]), models.Index(fields=["subject", "created_at"])]

    def __str__(self) -> str:
        return self.title or f"Потребность №{self.pk}"


class DiagnosisKind(models.TextChoices):
    CALL = "call", "звонок"
    VISIT = "visit", "визит"


class Diagnosis(CleanTextMixin, models.Model):
    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="diagnoses", verbose_name="потребность")
    kind = models.CharField("вид", max_length=8, choices=DiagnosisKind.choices)
    notes = models.TextField("заметки")
    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name="автор")
    held_on = models.DateField("дата", validators=date_validators(past_only=True))
    created_at = models.DateTimeField("записана", auto_now_add=True)

    class Meta:
        verbose_name = "диагностика"
        verbose_name_plural = "диагностики"
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {formats.date(self.held_on)}"


# --- partner institutions and experts ------------------------------------------------------------------------


class InstitutionKind(models.TextChoices):
    SUPPORT_CENTRE = "support_centre", "центр поддержки предпринимательства"
    DEVELOPMENT_FUND = "development_fund", "фонд развития"
    COMPETENCE_CENTRE = "competence_centre", "центр компетенций"
    UNIVERSITY = "university", "вуз"
    GOVERNMENT = "government", "орган власти"
    OTHER = "other", "другое"


class PartnerInstitution(CleanTextMixin, models.Model):
    name = models.CharField("наименование", max_length=300, unique=True)
    kind = models.CharField("вид", max_length=20, choices=InstitutionKind.choices)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="организация в реестре",
    )
    description = models.TextField("описание", blank=True)
    email = models.EmailField("эл. почта", blank=True)
    municipalities = models.ManyToManyField(
        Municipality, blank=True, related_name="institutions", verbose_name="территория (пусто — вся область)"
    )
    subjects = models.ManyToManyField(Subject, blank=True, related_name="institutions", verbose_name="предметы")
    okved_prefixes = models.JSONField("префиксы ОКВЭД2", default=list, blank=True, help_text="Например, 10, 25.6")
    min_headcount = models.PositiveIntegerField(
        "численность от", null=True, blank=True, validators=range_validators(0, COUNT_MAX)
    )
    max_headcount = models.PositiveIntegerField(
        "численность до", null=True, blank=True, validators=range_validators(0, COUNT_MAX)
    )
    min_age_years = models.PositiveSmallIntegerField(
        "возраст компании от, лет", null=True, blank=True, validators=range_validators(0, 200)
    )
    max_age_years = models.PositiveSmallIntegerField(
        "возраст компании до, лет", null=True, blank=True, validators=range_validators(0, 200)
    )
    is_active = models.BooleanField("работает с потребностями", default=True)
    is_demo = models.BooleanField("демо-запись", default=False)

    class Meta:
        verbose_name = "институт-партнёр"
        verbose_name_plural = "институты-партнёры"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Expert(CleanTextMixin, models.Model):
    user = models.OneToOneField(
        USER, on_delete=models.CASCADE, related_name="needs_expert", verbose_name="пользователь"
    )
    institution = models.ForeignKey(
        PartnerInstitution,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="experts",
        verbose_name="институт",
    )
    position = models.CharField("должность", max_length=200, blank=True)
    subjects = models.ManyToManyField(Subject, blank=True, related_name="experts", verbose_name="предметы")
    municipalities = models.ManyToManyField(
        Municipality, blank=True, related_name="experts", verbose_name="территория (пусто — вся область)"
    )
    max_open_needs = models.PositiveSmallIntegerField(
        "одновременно в работе, не больше", default=10, validators=range_validators(1, 1000)
    )
    is_active = models.BooleanField("принимает потребности", default=True)

    class Meta:
        verbose_name = "эксперт по потребностям"
        verbose_name_plural = "эксперты по потребностям"
        ordering = ["user__last_name", "user__first_name"]

    def __str__(self) -> str:
        return str(self.user)


class ExpertAbsence(models.Model):
    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="absences", verbose_name="эксперт")
    starts_on = models.DateField("с", validators=date_validators())
    ends_on = models.DateField("по", validators=date_validators())

    class Meta:
        verbose_name = "отсутствие эксперта"
        verbose_name_plural = "отсутствия экспертов"
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="needs_absence_order")
        ]

    def __str__(self) -> str:
        return f"{self.expert}: {formats.date(self.starts_on)}–{formats.date(self.ends_on)}"


# --- IT solutions catalogue ----------------------------------------------------------------------------------


class Deployment(models.TextChoices):
    CLOUD = "cloud", "облако"
    ON_PREMISE = "on_premise", "на своих серверах"
    HYBRID = "hybrid", "гибридно"


class PriceBand(models.TextChoices):
    ON_REQUEST = "on_request", "по запросу"
    UNDER_1M = "under_1m", "до 1 млн ₽"
    FROM_1M = "1m_5m", "1–5 млн ₽"
    FROM_5M = "5m_20m", "5–20 млн ₽"
    OVER_20M = "over_20m", "больше 20 млн ₽"


class Solution(CleanTextMixin, models.Model):
    vendor = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="solutions", verbose_name="разработчик"
    )
    name = models.CharField("название", max_length=200)
    description = models.TextField("описание")
    registry_number = models.PositiveIntegerField(
        "номер в реестре российского ПО", null=True, blank=True, validators=range_validators(1, 99_999_999)
    )
    registry_class = models.CharField("класс ПО по реестру", max_length=200, blank=True)
    okved_codes = models.JSONField("отрасли (ОКВЭД2)", default=list, blank=True, help_text="Коды или префиксы")
    subjects = models.ManyToManyField(Subject, blank=True, related_name="solutions", verbose_name="предметы")
    deployment = models.CharField("размещение", max_length=12, choices=Deployment.choices, default=Deployment.CLOUD)
    price_band = models.CharField("цена", max_length=12, choices=PriceBand.choices, default=PriceBand.ON_REQUEST)
    certifications = models.TextField("сертификаты", blank=True, help_text="Например, ФСТЭК России")
    max_open_needs = models.PositiveSmallIntegerField(
        "одновременно в работе, не больше", default=20, validators=range_validators(1, 1000)
    )
    published = models.BooleanField("опубликовано", default=False)
    verified_at = models.DateTimeField("проверено офисом", null=True, blank=True, validators=date_validators())
    verified_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="проверил"
    )
    is_demo = models.BooleanField("демо-запись", default=False)
    created_at = models.DateTimeField("создано", auto_now_add=True)
    updated_at = models.DateTimeField("изменено", auto_now=True)

    class Meta:
        verbose_name = "ИТ-решение"
        verbose_name_plural = "ИТ-решения"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SolutionCase(CleanTextMixin, models.Model):
    solution = models.ForeignKey(Solution, on_delete=models.CASCADE, related_name="cases", verbose_name="решение")
    customer = models.CharField("заказчик", max_length=300)
    industry_okved = models.CharField("отрасль заказчика (ОКВЭД2)", max_length=8, blank=True)
    task = models.TextField("задача")
    result = models.TextField("результат")
    figures = models.CharField("результат в цифрах", max_length=300, blank=True)
    year = models.PositiveSmallIntegerField("год", null=True, blank=True, validators=range_validators(1990, 2100))

    class Meta:
        verbose_name = "кейс внедрения"
        verbose_name_plural = "кейсы внедрения"
        ordering = ["-year", "pk"]

    def __str__(self) -> str:
        return f"{self.solution}: {self.customer}"


# --- matches -------------------------------------------------------------------------------------------------


class MatchKind(models.TextChoices):
    EXPERT = "expert", "эксперт"
    SOLUTION = "solution", "ИТ-решение"
    INSTITUTION = "institution", "институт"


class MatchStatus(models.TextChoices):
    NEW = "new", "новый"
    TAKEN = "taken", "взят в работу"
    HELPED = "helped", "помогли"
    NOT_HELPED = "not_helped", "не помогли"
    UNREACHABLE = "unreachable", "не удалось связаться"
    NOT_FOR_ME = "not_for_me", "не мой профиль"


class Match(CleanTextMixin, models.Model):
    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="matches", verbose_name="потребность")
    kind = models.CharField("кому", max_length=12, choices=MatchKind.choices)
    expert = models.ForeignKey(
        Expert, on_delete=models.PROTECT, null=True, blank=True, related_name="matches", verbose_name="эксперт"
    )
    solution = models.ForeignKey(
        Solution, on_delete=models.PROTECT, null=True, blank=True, related_name="matches", verbose_name="решение"
    )
    institution = models.ForeignKey(
        PartnerInstitution,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="matches",
        verbose_name="институт",
    )
    status = models.CharField("статус", max_length=12, choices=MatchStatus.choices, default=MatchStatus.NEW)
    reason = models.TextField("причина", blank=True, help_text="Почему «не мой профиль» или чем закрыто")
    reasons = models.JSONField("почему предложено", default=list, blank=True)
    score = models.FloatField("оценка", default=0)
    sent_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="отправил"
    )
    sent_at = models.DateTimeField("отправлено", auto_now_add=True)
    taken_at = models.DateTimeField("взято в работу", null=True, blank=True, validators=date_validators())
    taken_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="взял"
    )
    closed_at = models.DateTimeField("закрыто", null=True, blank=True, validators=date_validators())
    reopened_count = models.PositiveSmallIntegerField(
        "открывалось заново", default=0, validators=range_validators(0, 10_000)
    )

    class Meta:
        verbose_name = "отправка"
        verbose_name_plural = "отправки"
        ordering = ["sent_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="expert", expert__isnull=False, solution__isnull=True, institution__isnull=True)
                    | Q(kind="solution", expert__isnull=True, solution__isnull=False, institution__isnull=True)
                    | Q(kind="institution", expert__isnull=True, solution__isnull=True, institution__isnull=False)
                ),
                name="needs_match_one_target",
            ),
            models.UniqueConstraint(
                fields=["need", "expert"], condition=Q(expert__isnull=False), name="needs_match_expert_once"
            ),
            models.UniqueConstraint(
                fields=["need", "solution"], condition=Q(solution__isnull=False), name="needs_match_solution_once"
            ),
            models.UniqueConstraint(
                fields=["need", "institution"],
                condition=Q(institution__isnull=False),
                name="needs_match_institution_once",
            ),
        ]
        indexes = [models.Index(fields=["status", "sent_at"])]

    def __str__(self) -> str:
        return f"{self.need} → {self.target}"

    @property
    def target(self) -> Expert | Solution | PartnerInstitution | None:
        return self.expert or self.solution or self.institution


class MatchEvent(CleanTextMixin, models.Model):
    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="events", verbose_name="отправка")
    from_status = models.CharField("было", max_length=12, choices=MatchStatus.choices, blank=True)
    to_status = models.CharField("стало", max_length=12, choices=MatchStatus.choices)
    reason = models.TextField("причина", blank=True)
    actor = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="кто"
    )
    at = models.DateTimeField("когда", auto_now_add=True)

    class Meta:
        verbose_name = "событие отправки"
        verbose_name_plural = "история отправок"
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.match_id}: {self.from_status} → {self.to_status}"


# --- reminders and outcomes ----------------------------------------------------------------------------------


class ReminderKind(models.TextChoices):
    UNFINISHED_FORM = "unfinished_form", "незавершённая форма"
    DAY_9 = "day_9", "напоминание эксперту"
    LAST_CALL = "last_call", "последний звонок"
    ABANDONED = "abandoned", "потребность заброшена"
    MANUAL = "manual", "напоминание вручную"
    WEEKLY = "weekly", "еженедельная сводка"
    SURVEY = "survey", "опрос удовлетворённости"


class ReminderLog(CleanTextMixin, models.Model):
    """One row per reminder sent: the unique constraints make a second worker's attempt fail, so each is sent once."""

    kind = models.CharField("вид", max_length=20, choices=ReminderKind.choices)
    need = models.ForeignKey(
        Need, on_delete=models.CASCADE, null=True, blank=True, related_name="reminders", verbose_name="потребность"
    )
    match = models.ForeignKey(
        Match, on_delete=models.CASCADE, null=True, blank=True, related_name="reminders", verbose_name="отправка"
    )
    request = models.ForeignKey(
        IntakeRequest, on_delete=models.CASCADE, null=True, blank=True, related_name="reminders",
        verbose_name="обращение",
    )  # fmt: skip
    expert = models.ForeignKey(
        Expert, on_delete=models.CASCADE, null=True, blank=True, related_name="reminders", verbose_name="эксперт"
    )
    key = models.CharField("ключ", max_length=40, blank=True, help_text="Неделя сводки или номер ручного напоминания")
    sent_at = models.DateTimeField("отправлено", auto_now_add=True)

    class Meta:
        verbose_name = "напоминание"
        verbose_name_plural = "напоминания"
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["need", "kind", "key"], condition=Q(need__isnull=False), name="needs_reminder_need_once"
            ),
            models.UniqueConstraint(
                fields=["match", "kind", "key"], condition=Q(match__isnull=False), name="needs_reminder_match_once"
            ),
            models.UniqueConstraint(
                fields=["request", "kind", "key"],
                condition=Q(request__isnull=False),
                name="needs_reminder_request_once",
            ),
            models.UniqueConstraint(
                fields=["expert", "kind", "key"], condition=Q(expert__isnull=False), name="needs_reminder_expert_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({formats.date(self.sent_at)})"


class SurveyOutcome(models.TextChoices):
    LEARNED = "learned", "узнали о мерах поддержки"
    STARTED = "started", "начали действовать"
    CHOSE_SOLUTION = "chose_solution", "выбрали решение"
    OTHER = "other", "другое"


class SatisfactionSurvey(CleanTextMixin, models.Model):
    need = models.OneToOneField(Need, on_delete=models.CASCADE, related_name="survey", verbose_name="потребность")
    token = models.CharField("ключ ссылки", max_length=64, unique=True)
    sent_at = models.DateTimeField("отправлен", null=True, blank=True, validators=date_validators())
    answered_at = models.DateTimeField("ответ получен", null=True, blank=True, validators=date_validators())
    contacted = models.BooleanField("с нами связались", null=True, blank=True)
    useful = models.BooleanField("было полезно", null=True, blank=True)
    outcome = models.CharField("итог", max_length=16, choices=SurveyOutcome.choices, blank=True)
    rating = models.PositiveSmallIntegerField("оценка 1–5", null=True, blank=True, validators=range_validators(1, 5))
    comment = models.TextField("комментарий", blank=True)

    class Meta:
        verbose_name = "опрос удовлетворённости"
        verbose_name_plural = "опросы удовлетворённости"
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return f"Опрос по {self.need}"
