"""Reference data: OKVED2, OKPD2, Russian regions (loaded from files), and free technology tags."""

from __future__ import annotations

from django.db import models

from projectoffice.classifiers.text import filter_words
from projectoffice.lib.cleaning import CleanTextMixin


class ClassifierQuerySet(models.QuerySet):
    def search(self, query: str) -> ClassifierQuerySet:
        """Codes whose code starts with the query, or whose name contains every word of it."""
        query = query.strip()
        if not query:
            return self
        if query[0].isdigit() or (len(query) == 1 and query.isalpha() and query.isupper()):
            return self.filter(code__startswith=query)
        return filter_words(self, query)


class ClassifierCode(models.Model):
    """One code of a hierarchical classifier; sections are one-letter codes."""

    code = models.CharField("код", max_length=16, unique=True)
    name = models.TextField("наименование")
    section = models.CharField("раздел", max_length=1, blank=True)
    parent_code = models.CharField("код родителя", max_length=16, blank=True, db_index=True)
    level = models.PositiveSmallIntegerField("уровень", default=0)
    search_text = models.TextField("текст для поиска", editable=False, default="")

    objects = ClassifierQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class OkvedCode(ClassifierCode):
    class Meta(ClassifierCode.Meta):
        verbose_name = "код ОКВЭД2"
        verbose_name_plural = "ОКВЭД2"


class OkpdCode(ClassifierCode):
    class Meta(ClassifierCode.Meta):
        verbose_name = "код ОКПД2"
        verbose_name_plural = "ОКПД2"


class Region(models.Model):
    """A subject of the Russian Federation with its official codes."""

    iso_code = models.CharField("код ISO 3166-2", max_length=8, unique=True)
    name = models.CharField("название", max_length=100)
    name_with_type = models.CharField("полное название", max_length=150)
    federal_district = models.CharField("федеральный округ", max_length=50)
    okato = models.CharField("ОКАТО", max_length=11)
    oktmo = models.CharField("ОКТМО", max_length=11)
    tax_code = models.CharField("код ФНС", max_length=2, db_index=True)
    kladr_id = models.CharField("КЛАДР", max_length=13)
    fias_id = models.CharField("ФИАС", max_length=36)
    timezone = models.CharField("часовой пояс", max_length=10)
    search_text = models.TextField("текст для поиска", editable=False, default="")

    objects = ClassifierQuerySet.as_manager()

    class Meta:
        verbose_name = "регион"
        verbose_name_plural = "регионы"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name_with_type


TAG_MAX_LENGTH = 80


class Tag(CleanTextMixin, models.Model):
    """A technology or competency tag shared by organisations and projects."""

    name = models.CharField("название", max_length=TAG_MAX_LENGTH, unique=True)

    class Meta:
        verbose_name = "тег"
        verbose_name_plural = "теги"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
