"""Support measures, corporate pilot calls and public tenders: what a regional company can go for."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils import timezone

from projectoffice.classifiers.text import filter_words, normalise
from projectoffice.lib.bounds import COUNT_MAX, QUANTITY_MAX, date_validators, money_validators, range_validators
from projectoffice.lib.cleaning import CleanTextMixin
from projectoffice.organisations.models import OrganisationKind
from projectoffice.organisations.sizes import SizeCategory
from projectoffice.projects.stages import Stage


class OpportunityKind(models.TextChoices):
    GRANT = "grant", "Грант"
    SUBSIDY = "subsidy", "Субсидия"
    LOAN = "loan", "Льготный заём или кредит"
    TAX_BENEFIT = "tax_benefit", "Налоговая льгота или аккредитация"
    ACCELERATOR = "accelerator", "Акселератор"
    COMPETITION = "competition", "Федеральный конкурс"
    PILOT_CALL = "pilot_call", "Корпоративный пилот"
    TENDER = "tender", "Закупка (44-ФЗ, 223-ФЗ)"
    INVESTOR_CALL = "investor_call", "Запрос инвестора"
    ROLLING = "rolling", "Приём заявок в любое время"  # no deadline: a «проверено» date and a stale warning instead
    PARTNERING = "partnering", "Канал партнёрства и кооперации"


class OpportunityStatus(models.TextChoices):
    DRAFT = "draft", "Черновик"
    PUBLISHED = "published", "Опубликовано"
    SUSPENDED = "suspended", "Приостановлено"  # visible with its reason, never offered as open
    CLOSED = "closed", "Закрыто"


class GrantedStatus(models.TextChoices):
    """A status the measure itself confers: an organisation that already has it never needs the measure again."""

    NONE = "", "—"
    IT_ACCREDITATION = "it_accreditation", "аккредитация ИТ-компании"
    SOFTWARE_REGISTRY = "software_registry", "запись в реестре российского ПО"


class Recurrence(models.TextChoices):
    ONCE = "once", "Разово"
    YEARLY = "yearly", "Ежегодно"
    WAVES = "waves", "Волнами в течение года"
    ROLLING = "rolling", "Постоянно (заявки принимаются всегда)"
    UNKNOWN = "unknown", "Неизвестно"


# The funder classes of projectoffice.materials.funder_classes.FunderClass (the flagships' targets), repeated here so
# the catalogue does not import the materials app (tests/flagships check the two stay equal).
FUNDER_CLASS_CHOICES = [
    ("federal_institute", "Федеральный институт развития"),
    ("large_company", "Крупная компания"),
    ("interstate_fund", "Межгосударственный фонд"),
    ("foreign_business", "Иностранный бизнес"),
    ("interstate_body", "Структура межгосударственного сотрудничества"),
]


class OpportunityQuerySet(models.QuerySet["Opportunity"]):
    def published(self) -> OpportunityQuerySet:
        return self.filter(status=OpportunityStatus.PUBLISHED)

    def search(self, query: str) -> OpportunityQuerySet:
        return filter_words(self, query)

    def domestic(self) -> OpportunityQuerySet:
        """Without other countries' tenders (OCDS records of Moldova, Ukraine, Armenia…)."""
        return self.filter(country__in=["RU", ""])

    def for_region(self, iso_code: str) -> OpportunityQuerySet:
        """Measures that apply in the region: its own and those without a region (federal ones, not foreign)."""
        return self.domestic().filter(Q(region__isnull=True) | Q(region__iso_code=iso_code))

    def open_on(self, day: object) -> OpportunityQuerySet:
        """Not closed before the day (rolling ones and those without a deadline included)."""
        return self.filter(Q(closes_on__isnull=True) | Q(closes_on__gte=day))


class Opportunity(CleanTextMixin, models.Model):
    """One support measure, call or tender, with its eligibility rules and its source."""

    kind = models.CharField("вид", max_length=20, choices=OpportunityKind.choices, db_index=True)
    external_id = models.CharField(
        "внешний идентификатор", max_length=64, unique=True, help_text="Код строки каталога или номер закупки"
    )
    title = models.CharField("название", max_length=500)
    summary = models.TextField("описание", blank=True)
    provider = models.ForeignKey(
        "organisations.Organisation",
        verbose_name="организатор из реестра",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="provided_opportunities",
    )
    provider_name = models.CharField(
        "организатор", max_length=300, help_text="Фонд, министерство, корпорация, заказчик"
    )
    instrument = models.CharField("инструмент", max_length=200, blank=True)
    amount_min = models.DecimalField(
        "сумма от, руб.", max_digits=18, decimal_places=2, null=True, blank=True, validators=money_validators()
    )
    amount_max = models.DecimalField(
        "сумма до, руб.", max_digits=18, decimal_places=2, null=True, blank=True, validators=money_validators()
    )
    own_share_min = models.PositiveSmallIntegerField(
        "мин. доля собственных средств, %", null=True, blank=True, validators=range_validators(0, 100)
    )
    loan_rate = models.DecimalField(
        "ставка, % годовых", max_digits=5, decimal_places=2, null=True, blank=True, validators=range_validators(0, 100)
    )
    loan_term_months = models.PositiveSmallIntegerField(
        "срок займа, мес.", null=True, blank=True, validators=range_validators(1, 600)
    )
    term_note = models.CharField("сроки (как в источнике)", max_length=300, blank=True)
    is_federal = models.BooleanField("федеральная мера", default=True)
    country = models.CharField(
        "страна", max_length=2, default="RU", blank=True,
        help_text="Код ISO 3166-1; закупки других стран не предлагаются организациям региона, пока их не попросят",
    )  # fmt: skip
    region = models.ForeignKey(
        "classifiers.Region", verbose_name="регион", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    audience_kinds = models.JSONField("для каких организаций", default=list, blank=True)
    project_stages = models.JSONField("для каких стадий проекта", default=list, blank=True)
    trl_min = models.PositiveSmallIntegerField("TRL от", null=True, blank=True, validators=range_validators(1, 9))
    trl_max = models.PositiveSmallIntegerField("TRL до", null=True, blank=True, validators=range_validators(1, 9))
    opens_on = models.DateField("приём заявок с", null=True, blank=True, validators=date_validators())
    closes_on = models.DateField("приём заявок до", null=True, blank=True, db_index=True, validators=date_validators())
    recurrence = models.CharField(
        "периодичность", max_length=10, choices=Recurrence.choices, default=Recurrence.UNKNOWN
    )
    status = models.CharField(
        "статус", max_length=10, choices=OpportunityStatus.choices, default=OpportunityStatus.DRAFT, db_index=True
    )
    suspended_on = models.DateField(
        "приостановка отмечена", null=True, blank=True, validators=date_validators(past_only=True),
        help_text="Когда офис (или каталог) отметил приостановку по источнику",
    )  # fmt: skip
    suspension_reason = models.TextField("причина приостановки", blank=True)
    # Eligibility rules (blank = the rule does not apply).
    max_company_age_years = models.PositiveSmallIntegerField(
        "макс. возраст компании, лет", null=True, blank=True, validators=range_validators(0, 200)
    )
    max_revenue = models.DecimalField(
        "макс. выручка, руб.", max_digits=18, decimal_places=2, null=True, blank=True, validators=money_validators()
    )
    max_headcount = models.PositiveIntegerField(
        "макс. численность", null=True, blank=True, validators=range_validators(0, COUNT_MAX)
    )
    size_categories = models.JSONField("категории МСП", default=list, blank=True)
    it_accreditation_required = models.BooleanField("нужна аккредитация ИТ", default=False)
    registered_software_required = models.BooleanField("нужно ПО в реестре российского ПО", default=False)
    okved_prefixes = models.JSONField("ОКВЭД2 (начала кодов)", default=list, blank=True)
    for_individuals = models.BooleanField(
        "для физических лиц",
        default=False,
        help_text="Мера для граждан (например, ИТ-специалистов), не для организаций",
    )
    grants_status = models.CharField(
        "даёт статус", max_length=20, choices=GrantedStatus.choices, default=GrantedStatus.NONE, blank=True
    )
    conditions = models.TextField("прочие условия", blank=True)
    eligibility_text = models.TextField("требования к заявителю (как в источнике)", blank=True)
    # Provenance.
    source_url = models.URLField("источник", max_length=500, blank=True)
    source_kind = models.CharField("вид источника", max_length=200, blank=True)
    source_quote = models.TextField("цитата из источника", blank=True)
    source_date_note = models.CharField("дата источника", max_length=300, blank=True)
    licence = models.CharField("лицензия данных", max_length=300, blank=True)
    funder_class = models.CharField(
        "класс инвестора", max_length=20, choices=FUNDER_CLASS_CHOICES, blank=True, db_index=True
    )
    channel_category = models.CharField("категория канала (как в источнике)", max_length=40, blank=True)
    verified_on = models.DateField("проверено", null=True, blank=True, validators=date_validators(past_only=True))
    is_demo = models.BooleanField("демо-запись", default=False)
    search_text = models.TextField("текст для поиска", editable=False, default="")
    created_at = models.DateTimeField("создана", auto_now_add=True)
    updated_at = models.DateTimeField("изменена", auto_now=True)

    objects = OpportunityQuerySet.as_manager()

    # The codes kept in the JSON list fields and their labels: pages and the audit log show labels, never codes.
    LIST_CHOICES: ClassVar[dict[str, type[models.TextChoices]]] = {
        "audience_kinds": OrganisationKind,
        "size_categories": SizeCategory,
        "project_stages": Stage,
    }

    class Meta:
        verbose_name = "возможность"
        verbose_name_plural = "возможности"
        ordering = ["closes_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_min__isnull=True)
                | Q(amount_max__isnull=True)
                | Q(amount_max__gte=models.F("amount_min")),
                name="amount_range_ordered",
            ),
            models.CheckConstraint(
                condition=Q(trl_min__isnull=True) | Q(trl_max__isnull=True) | Q(trl_max__gte=models.F("trl_min")),
                name="trl_range_ordered",
            ),
            models.CheckConstraint(
                condition=~Q(status="suspended") | (Q(suspended_on__isnull=False) & ~Q(suspension_reason="")),
                name="suspension_has_reason_and_date",
                violation_error_message="Приостановленной записи нужны причина и дата приостановки.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    STALE_AFTER_DAYS: ClassVar[int] = 180

    def is_stale(self, today: dt.date | None = None) -> bool:
        """A channel that takes proposals at any time has no deadline to expire: it goes stale instead, when the
        office has not checked it against its source for half a year (or never)."""
        if self.kind != OpportunityKind.ROLLING and self.recurrence != Recurrence.ROLLING:
            return False
        if self.verified_on is None:
            return True
        today = today or timezone.localdate()
        return (today - self.verified_on).days > self.STALE_AFTER_DAYS

    @property
    def stale(self) -> bool:
        return self.is_stale()

    def build_search_text(self) -> str:
        parts = [self.title, self.summary, self.provider_name, self.instrument, self.eligibility_text, self.conditions]
        return normalise(" ".join(parts))

    def list_labels(self, name: str) -> list[str]:
        """Labels of the codes in one of the JSON list fields, in the order of the choices."""
        choices = self.LIST_CHOICES[name]
        codes = set(getattr(self, name) or [])
        return [str(label) for code, label in choices.choices if code in codes]

    @property
    def size_category_labels(self) -> list[str]:
        return self.list_labels("size_categories")

    @property
    def audience_kind_labels(self) -> list[str]:
        return self.list_labels("audience_kinds")

    @property
    def project_stage_labels(self) -> list[str]:
        return self.list_labels("project_stages")


class TenderStatus(models.TextChoices):
    PLANNED = "planned", "В плане закупок"
    OPEN = "open", "Подача заявок"
    EVALUATION = "evaluation", "Работа комиссии"
    FINISHED = "finished", "Определён поставщик"
    FAILED = "failed", "Не состоялась"
    CANCELLED = "cancelled", "Отменена"


LAW_CHOICES = [("44", "44-ФЗ"), ("223", "223-ФЗ"), ("other", "закупка другой страны")]


class Tender(CleanTextMixin, models.Model):
    """Procurement details of an opportunity of kind «tender» (44-FZ or 223-FZ)."""

    opportunity = models.OneToOneField(
        Opportunity, on_delete=models.CASCADE, related_name="tender", verbose_name="возможность"
    )
    registry_number = models.CharField("реестровый номер", max_length=64, unique=True)
    law = models.CharField("закон", max_length=8, choices=LAW_CHOICES)
    country = models.CharField("страна заказчика", max_length=2, default="RU", help_text="Код ISO 3166-1")
    procedure = models.CharField("способ закупки", max_length=200, blank=True)
    customer_name = models.CharField("заказчик", max_length=500)
    customer_inn = models.CharField("ИНН заказчика", max_length=12, blank=True, db_index=True)
    customer = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tenders",
        verbose_name="заказчик из реестра",
    )
    max_price = models.DecimalField(
        "НМЦК, руб.", max_digits=18, decimal_places=2, null=True, blank=True, validators=money_validators()
    )
    currency = models.CharField("валюта", max_length=3, blank=True, default="RUB")
    placer_name = models.CharField(
        "разместила извещение",
        max_length=500,
        blank=True,
        help_text="Уполномоченный орган, организатор совместной закупки",
    )
    placer_inn = models.CharField("ИНН разместившего", max_length=12, blank=True)
    version_number = models.PositiveIntegerField(
        "номер версии извещения", null=True, blank=True, validators=range_validators(0, COUNT_MAX)
    )
    published_at = models.DateTimeField("опубликовано", null=True, blank=True, validators=date_validators())
    submission_ends_at = models.DateTimeField(
        "окончание подачи заявок", null=True, blank=True, validators=date_validators()
    )
    source_version_at = models.DateTimeField(
        "дата версии в источнике",
        null=True,
        blank=True,
        help_text="Более старая версия не перезаписывает новую",
        validators=date_validators(),
    )
    tender_status = models.CharField(
        "состояние", max_length=12, choices=TenderStatus.choices, default=TenderStatus.OPEN
    )
    portal_url = models.URLField("адрес на портале", max_length=500, blank=True)
    source_file = models.CharField("файл источника", max_length=500, blank=True)

    class Meta:
        verbose_name = "закупка"
        verbose_name_plural = "закупки"

    def __str__(self) -> str:
        return f"{self.registry_number} ({self.get_law_display()})"


class TenderItem(CleanTextMixin, models.Model):
    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="items", verbose_name="закупка")
    okpd2_code = models.CharField(
        "код ОКПД2", max_length=32, blank=True, db_index=True, help_text="Только код ОКПД2 (или позиция КТРУ)"
    )
    code = models.CharField("код позиции", max_length=40, blank=True, help_text="Код, как его дал документ")
    code_scheme = models.CharField(
        "классификатор кода", max_length=8, blank=True, help_text="OKPD2, KTRU, OKPD, OKDP, CPV…"
    )
    lot_number = models.PositiveIntegerField("лот", null=True, blank=True, validators=range_validators(0, COUNT_MAX))
    okpd2 = models.ForeignKey(
        "classifiers.OkpdCode",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="ОКПД2 из справочника",
    )
    name = models.TextField("наименование")
    quantity = models.DecimalField(
        "количество",
        max_digits=18,
        decimal_places=3,
        null=True,
        blank=True,
        validators=range_validators(0, QUANTITY_MAX),
    )
    price = models.DecimalField(
        "цена, руб.", max_digits=18, decimal_places=2, null=True, blank=True, validators=money_validators()
    )

    class Meta:
        verbose_name = "позиция закупки"
        verbose_name_plural = "позиции закупки"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.okpd2_code} {self.name[:60]}"


class TenderLot(CleanTextMixin, models.Model):
    """A lot of a 223-FZ notice: the tender's price is the sum of its lots."""

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="lots", verbose_name="закупка")
    number = models.PositiveIntegerField("номер лота", validators=range_validators(0, COUNT_MAX))
    subject = models.TextField("предмет лота", blank=True)
    max_price = models.DecimalField(
        "начальная цена", max_digits=18, decimal_places=2, null=True, blank=True, validators=money_validators()
    )
    currency = models.CharField("валюта", max_length=3, blank=True, default="RUB")

    class Meta:
        verbose_name = "лот закупки"
        verbose_name_plural = "лоты закупки"
        ordering = ["tender", "number"]

    def __str__(self) -> str:
        return f"Лот {self.number}: {self.subject[:60]}"


class TenderCustomer(CleanTextMixin, models.Model):
    """A customer a notice buys for: each customer of a joint purchase, the buyer behind an authorised body."""

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="customers", verbose_name="закупка")
    name = models.CharField("заказчик", max_length=500)
    inn = models.CharField("ИНН", max_length=12, blank=True, db_index=True)
    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name="организация из реестра",
    )  # fmt: skip
    max_price = models.DecimalField(
        "НМЦК заказчика", max_digits=18, decimal_places=2, null=True, blank=True, validators=money_validators()
    )

    class Meta:
        verbose_name = "заказчик закупки"
        verbose_name_plural = "заказчики закупки"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class TenderBid(CleanTextMixin, models.Model):
    """An application as a protocol gives it: participant, price offered, place and whether it won."""

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="bids", verbose_name="закупка")
    document = models.CharField("протокол (тип документа)", max_length=64)
    protocol_number = models.CharField("номер протокола", max_length=100, blank=True)
    lot_number = models.PositiveIntegerField("лот", null=True, blank=True, validators=range_validators(0, COUNT_MAX))
    application = models.CharField("номер заявки", max_length=40, blank=True)
    participant_name = models.CharField("участник", max_length=500, blank=True)
    participant_inn = models.CharField("ИНН участника", max_length=12, blank=True, db_index=True)
    participant = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="tender_bids",
        verbose_name="участник из реестра",
    )  # fmt: skip
    price = models.DecimalField(
        "предложенная цена", max_digits=18, decimal_places=2, null=True, blank=True, validators=money_validators()
    )
    rank = models.PositiveIntegerField("место", null=True, blank=True, validators=range_validators(0, COUNT_MAX))
    admitted = models.BooleanField("допущена", null=True, blank=True)
    is_winner = models.BooleanField("победитель", default=False)

    class Meta:
        verbose_name = "заявка участника"
        verbose_name_plural = "заявки участников"
        ordering = ["tender", "lot_number", "rank", "id"]

    def __str__(self) -> str:
        return f"{self.application} {self.participant_name}".strip()


class TenderContract(CleanTextMixin, models.Model):
    """A contract concluded on a notice: the supplier, price and dates; linked to its notice once it is known."""

    registry_number = models.CharField("реестровый номер контракта", max_length=100, unique=True)
    purchase_number = models.CharField("номер извещения", max_length=64, blank=True, db_index=True)
    tender = models.ForeignKey(
        Tender, null=True, blank=True, on_delete=models.SET_NULL, related_name="contracts", verbose_name="закупка"
    )
    law = models.CharField("закон", max_length=8, choices=LAW_CHOICES)
    customer_name = models.CharField("заказчик", max_length=500, blank=True)
    customer_inn = models.CharField("ИНН заказчика", max_length=12, blank=True)
    supplier_name = models.CharField("поставщик", max_length=500, blank=True)
    supplier_inn = models.CharField("ИНН поставщика", max_length=12, blank=True, db_index=True)
    supplier = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="won_contracts",
        verbose_name="поставщик из реестра",
    )  # fmt: skip
    price = models.DecimalField(
        "цена контракта", max_digits=18, decimal_places=2, null=True, blank=True, validators=money_validators()
    )
    currency = models.CharField("валюта", max_length=3, blank=True, default="RUB")
    signed_on = models.DateField("заключён", null=True, blank=True, validators=date_validators())
    starts_on = models.DateField("исполнение с", null=True, blank=True, validators=date_validators())
    ends_on = models.DateField("исполнение по", null=True, blank=True, validators=date_validators())
    published_at = models.DateTimeField("опубликован", null=True, blank=True, validators=date_validators())
    version_number = models.PositiveIntegerField(
        "версия", null=True, blank=True, validators=range_validators(0, COUNT_MAX)
    )
    portal_url = models.URLField("адрес на портале", max_length=500, blank=True)
    source_file = models.CharField("файл источника", max_length=500, blank=True)

    class Meta:
        verbose_name = "контракт"
        verbose_name_plural = "контракты"
        ordering = ["-signed_on", "registry_number"]

    def __str__(self) -> str:
        return self.registry_number


class ContractReport(CleanTextMixin, models.Model):
    """A 223-FZ customer's monthly account of the contracts it concluded (purchaseContractAccount)."""

    guid = models.CharField("идентификатор документа", max_length=64, unique=True)
    customer_name = models.CharField("заказчик", max_length=500)
    customer_inn = models.CharField("ИНН заказчика", max_length=12, blank=True, db_index=True)
    period = models.DateField("отчётный месяц", null=True, blank=True, validators=date_validators())
    kind = models.CharField("вид сведений", max_length=500, blank=True)
    contracts_number = models.PositiveIntegerField("договоров", default=0, validators=range_validators(0, COUNT_MAX))
    overall_cost = models.DecimalField(
        "общая стоимость", max_digits=18, decimal_places=2, null=True, blank=True, validators=money_validators()
    )
    currency = models.CharField("валюта", max_length=3, blank=True, default="RUB")
    published_at = models.DateTimeField("опубликовано", null=True, blank=True, validators=date_validators())
    version_number = models.PositiveIntegerField(
        "версия", null=True, blank=True, validators=range_validators(0, COUNT_MAX)
    )
    portal_url = models.URLField("адрес на портале", max_length=500, blank=True)
    source_file = models.CharField("файл источника", max_length=500, blank=True)

    class Meta:
        verbose_name = "сведения о договорах (223-ФЗ)"
        verbose_name_plural = "сведения о договорах (223-ФЗ)"

    def __str__(self) -> str:
        return f"{self.customer_name}: {self.period}"


class PendingProcurementDocument(CleanTextMixin, models.Model):
    """A protocol whose notice is not known yet: kept as read and applied when the notice arrives."""

    purchase_number = models.CharField("номер извещения", max_length=32, db_index=True)
    document = models.CharField("тип документа", max_length=64)
    source_file = models.CharField("файл", max_length=500)
    record = models.JSONField("документ, как он прочитан")
    received_at = models.DateTimeField("получен", auto_now_add=True)

    class Meta:
        verbose_name = "документ, ждущий извещения"
        verbose_name_plural = "документы, ждущие извещения"
        constraints = [
            models.UniqueConstraint(fields=["purchase_number", "document", "source_file"], name="pending_document_once")
        ]

    def __str__(self) -> str:
        return f"{self.document} → {self.purchase_number}"
