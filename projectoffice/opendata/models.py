"""Open data of the Federal Tax Service: import runs, the region's companies found in them, yearly figures,
and where each value written to an organisation came from."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from projectoffice.lib.bounds import COUNT_MAX, date_validators, money_validators, range_validators, year_validators
from projectoffice.lib.cleaning import CleanTextMixin
from projectoffice.organisations.models import OrganisationKind
from projectoffice.organisations.sizes import SizeCategory

RUN_COUNT = range_validators(0, 2_000_000_000)  # documents of one import: a country's dump is some millions


class Dataset(models.TextChoices):
    SME = "sme", "Реестр МСП"
    HEADCOUNT = "headcount", "Среднесписочная численность"
    INCOME = "income", "Доходы и расходы"
    TAXES = "taxes", "Уплаченные налоги"


class RunStatus(models.TextChoices):
    RUNNING = "running", "идёт"
    DONE = "done", "завершён"
    DONE_WITH_ERRORS = "errors", "завершён, есть непрочитанные файлы"


class ImportRun(CleanTextMixin, models.Model):
    """One import of one data set: progress while it runs, then the verdict of every file."""

    dataset = models.CharField("набор данных", max_length=12, choices=Dataset.choices)
    started_at = models.DateTimeField("начат", auto_now_add=True)
    finished_at = models.DateTimeField("завершён", null=True, blank=True, validators=date_validators())
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="запустил", null=True, blank=True, on_delete=models.SET_NULL
    )
    status = models.CharField("состояние", max_length=10, choices=RunStatus.choices, default=RunStatus.RUNNING)
    full_dump = models.BooleanField("полная выгрузка", default=False)
    demo = models.BooleanField("демо: образцы с кодом региона, заменённым на домашний", default=False)
    as_of = models.DateField("данные на", null=True, blank=True, validators=date_validators())
    documents = models.PositiveIntegerField("прочитано документов", default=0, validators=RUN_COUNT)
    created = models.PositiveIntegerField("новых", default=0, validators=RUN_COUNT)
    updated = models.PositiveIntegerField("изменено", default=0, validators=RUN_COUNT)
    unchanged = models.PositiveIntegerField("без изменений", default=0, validators=RUN_COUNT)
    refused = models.PositiveIntegerField("отклонено", default=0, validators=RUN_COUNT)
    progress = models.CharField("ход", max_length=300, blank=True)
    files = models.JSONField("файлы", default=list, blank=True)

    class Meta:
        verbose_name = "импорт открытых данных ФНС"
        verbose_name_plural = "импорты открытых данных ФНС"
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.get_dataset_display()} — {self.pk}"


class CompanyStatus(models.TextChoices):
    NEW = "new", "новая"
    CONFIRMED = "confirmed", "подтверждена"
    MERGED = "merged", "объединена с карточкой"
    IGNORED = "ignored", "скрыта"


class Change(models.TextChoices):
    NEW = "new", "новая в реестре МСП"
    LEFT = "left", "выбыла из реестра МСП"
    CATEGORY = "category", "изменилась категория"
    HEADCOUNT = "headcount", "резко выросла численность"
    LARGE = "large", "крупная, вне реестра МСП"
    NONE = "", "без изменений"


class Company(CleanTextMixin, models.Model):
    """A company of the region as the open data show it; linked to its registry card once there is one."""

    inn = models.CharField("ИНН", max_length=12, unique=True)
    individual = models.BooleanField("индивидуальный предприниматель", default=False)
    ogrn = models.CharField("ОГРН/ОГРНИП", max_length=15, blank=True)
    name = models.CharField("полное наименование", max_length=1000)
    short_name = models.CharField("краткое наименование", max_length=500, blank=True)
    region_code = models.CharField("код региона ФНС", max_length=2, blank=True)
    municipality = models.CharField("муниципалитет", max_length=200, blank=True)
    main_okved = models.CharField("основной ОКВЭД2", max_length=10, blank=True)
    extra_okveds = models.JSONField("дополнительные ОКВЭД2", default=list, blank=True)
    kind = models.CharField("тип", max_length=20, choices=OrganisationKind.choices, blank=True)
    category = models.CharField("категория МСП", max_length=10, choices=SizeCategory.choices, blank=True)
    headcount = models.PositiveIntegerField(
        "численность", null=True, blank=True, validators=range_validators(0, COUNT_MAX)
    )
    licences = models.JSONField("лицензии", default=list, blank=True)
    in_sme_registry = models.BooleanField("в реестре МСП", default=False)
    sme_as_of = models.DateField("в реестре МСП на", null=True, blank=True, validators=date_validators())
    status = models.CharField("решение офиса", max_length=10, choices=CompanyStatus.choices, default="new")
    change = models.CharField("что изменилось", max_length=10, choices=Change.choices, blank=True)
    change_note = models.CharField("подробности изменения", max_length=300, blank=True)
    changed_run = models.ForeignKey(
        ImportRun, verbose_name="изменение найдено импортом", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    organisation = models.OneToOneField(
        "organisations.Organisation", verbose_name="карточка в реестре", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="open_data",
    )  # fmt: skip
    invited_at = models.DateTimeField("приглашение отправлено", null=True, blank=True, validators=date_validators())
    first_seen = models.DateField("впервые найдена", auto_now_add=True)

    class Meta:
        verbose_name = "компания из открытых данных"
        verbose_name_plural = "компании из открытых данных"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.short_name or self.name


class Measure(models.TextChoices):
    HEADCOUNT = "headcount", "среднесписочная численность, чел."
    INCOME = "income", "доходы, руб."
    EXPENSES = "expenses", "расходы, руб."
    TAXES = "taxes", "уплаченные налоги и взносы, руб."


class YearFigure(CleanTextMixin, models.Model):
    """One yearly figure of a company of the region by INN (income is «доходы», never revenue)."""

    inn = models.CharField("ИНН", max_length=12, db_index=True)
    year = models.PositiveSmallIntegerField("год", validators=year_validators())
    measure = models.CharField("показатель", max_length=10, choices=Measure.choices)
    value = models.DecimalField("значение", max_digits=16, decimal_places=2, validators=money_validators())
    as_of = models.DateField("данные на", validators=date_validators())
    source = models.CharField("источник", max_length=200)

    class Meta:
        verbose_name = "показатель из открытых данных"
        verbose_name_plural = "показатели из открытых данных"
        ordering = ["inn", "-year", "measure"]
        constraints = [models.UniqueConstraint(fields=["inn", "year", "measure"], name="one_figure_per_year")]

    def __str__(self) -> str:
        return f"{self.inn} {self.year} {self.measure}"


class FieldSource(CleanTextMixin, models.Model):
    """Where an organisation's value came from, and the value the import wrote: a value that differs now was
    changed by hand, and imports leave it alone."""

    organisation = models.ForeignKey(
        "organisations.Organisation", verbose_name="организация", on_delete=models.CASCADE,
        related_name="field_sources",
    )  # fmt: skip
    field = models.CharField("поле", max_length=40)
    source = models.CharField("источник", max_length=200)
    as_of = models.DateField("данные на", validators=date_validators())
    value = models.TextField("записанное значение", blank=True)

    class Meta:
        verbose_name = "источник значения"
        verbose_name_plural = "источники значений"
        constraints = [models.UniqueConstraint(fields=["organisation", "field"], name="one_source_per_field")]

    def __str__(self) -> str:
        return f"{self.field}: {self.source}"
