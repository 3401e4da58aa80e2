"""The regional registry: organisations, their figures by year, software products and contacts."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from projectoffice.classifiers.text import filter_words, normalise
from projectoffice.lib.bounds import COUNT_MAX, date_validators, money_validators, range_validators, year_validators
from projectoffice.lib.cleaning import CleanTextMixin
from projectoffice.organisations.identifiers import validate_inn, validate_ogrn
from projectoffice.organisations.sizes import SizeCategory, size_category


class OrganisationKind(models.TextChoices):
    IT_COMPANY = "it_company", "ИТ-компания"
    INDUSTRIAL = "industrial", "Промышленное предприятие"
    UNIVERSITY = "university", "Вуз или научный институт"
    INVESTOR = "investor", "Инвестор или фонд"
    CORPORATION = "corporation", "Крупная корпорация"
    GOVERNMENT = "government", "Орган власти"
    ASSOCIATION = "association", "Ассоциация или сообщество"


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def search(self, query: str) -> OrganisationQuerySet:
        """Organisations matching every word of the query in name, INN, OGRN, tags or description."""
        return filter_words(self, query)


class Organisation(CleanTextMixin, models.Model):
    kind = models.CharField("тип", max_length=20, choices=OrganisationKind.choices)
    name = models.CharField("полное наименование", max_length=300)
    short_name = models.CharField("краткое наименование", max_length=150, blank=True)
    inn = models.CharField("ИНН", max_length=12, unique=True, validators=[validate_inn])
    ogrn = models.CharField("ОГРН/ОГРНИП", max_length=15, blank=True, validators=[validate_ogrn])
    region = models.ForeignKey(
        "classifiers.Region", verbose_name="регион", on_delete=models.PROTECT, related_name="organisations"
    )
    main_okved = models.ForeignKey(
        "classifiers.OkvedCode",
        verbose_name="основной ОКВЭД2",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    extra_okveds = models.ManyToManyField(
        "classifiers.OkvedCode", verbose_name="дополнительные ОКВЭД2", blank=True, related_name="+"
    )
    founded_on = models.DateField("дата регистрации", null=True, blank=True, validators=date_validators(past_only=True))
    it_accredited = models.BooleanField("аккредитованная ИТ-компания", default=False)
    it_accreditation_date = models.DateField(
        "дата аккредитации", null=True, blank=True, validators=date_validators(past_only=True)
    )
    description = models.TextField("описание", blank=True)
    competencies = models.ManyToManyField(
        "classifiers.Tag", verbose_name="компетенции", blank=True, related_name="competent_organisations"
    )
    technologies = models.ManyToManyField(
        "classifiers.Tag", verbose_name="технологии", blank=True, related_name="technology_organisations"
    )
    website = models.URLField("сайт", blank=True)
    email = models.EmailField("эл. почта", blank=True)
    phone = models.CharField("телефон", max_length=40, blank=True)
    address = models.CharField("адрес", max_length=300, blank=True)
    size_category = models.CharField(
        "категория МСП", max_length=10, choices=SizeCategory.choices, blank=True, editable=False,
        help_text="Вычисляется по 209-ФЗ из показателей последнего года",
    )  # fmt: skip
    is_demo = models.BooleanField("демо-запись", default=False)
    search_text = models.TextField("текст для поиска", editable=False, default="")
    created_at = models.DateTimeField("создана", auto_now_add=True)
    updated_at = models.DateTimeField("изменена", auto_now=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = "организация"
        verbose_name_plural = "организации"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["ogrn"], condition=~Q(ogrn=""), name="unique_ogrn_when_set"),
        ]

    def __str__(self) -> str:
        return self.short_name or self.name

    def build_search_text(self) -> str:
        """Folded text the list search matches against (Cyrillic-safe on every database)."""
        return normalise(" ".join([self.name, self.short_name, self.inn, self.ogrn, self.description]))

    @property
    def latest_figures(self) -> OrganisationFigures | None:
        """The most recent year's figures (uses prefetched figures when present)."""
        figures = sorted(self.figures.all(), key=lambda f: f.year, reverse=True)
        return figures[0] if figures else None


class OrganisationFigures(models.Model):
    """Revenue and average headcount for one calendar year (private to staff, grantor and members)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="figures", verbose_name="организация"
    )
    year = models.PositiveSmallIntegerField("год", validators=year_validators())
    revenue = models.DecimalField(
        "выручка, руб.", max_digits=16, decimal_places=2, null=True, blank=True, validators=money_validators()
    )
    headcount = models.PositiveIntegerField(
        "среднесписочная численность", null=True, blank=True, validators=range_validators(0, COUNT_MAX)
    )

    class Meta:
        verbose_name = "показатели за год"
        verbose_name_plural = "показатели по годам"
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="unique_figures_year"),
            models.CheckConstraint(condition=Q(revenue__gte=0) | Q(revenue__isnull=True), name="revenue_gte_0"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.year}"

    @property
    def size_category(self) -> SizeCategory | None:
        return size_category(headcount=self.headcount, revenue=self.revenue)


class SoftwareProduct(CleanTextMixin, models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="products", verbose_name="организация"
    )
    name = models.CharField("название", max_length=200)
    registry_number = models.PositiveIntegerField(
        "номер в реестре российского ПО",
        null=True,
        blank=True,
        unique=True,
        validators=range_validators(1, 99_999_999),
        help_text="Номер записи в едином реестре российских программ для ЭВМ и БД",
    )
    description = models.TextField("описание", blank=True)

    class Meta:
        verbose_name = "программный продукт"
        verbose_name_plural = "программные продукты"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Contact(CleanTextMixin, models.Model):
    """A contact person (private: staff, grantor and members of the organisation see it)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="contacts", verbose_name="организация"
    )
    full_name = models.CharField("ФИО", max_length=200)
    position = models.CharField("должность", max_length=200, blank=True)
    email = models.EmailField("эл. почта", blank=True)
    phone = models.CharField("телефон", max_length=40, blank=True)

    class Meta:
        verbose_name = "контакт"
        verbose_name_plural = "контакты"
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.full_name
