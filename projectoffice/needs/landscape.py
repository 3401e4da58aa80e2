"""The landscape of demand: how many needs the region's industry filed, by subject, industry (the enterprise's main
OKVED2 division), municipality and month — aggregates only.

The public page, its CSV and JSON carry counts and the names of subjects, industries and municipalities, never an
enterprise's name, INN, contact or a need's text. A group smaller than `MIN_GROUP` needs is folded into «Прочие»
on the public side (a single need of a rare industry in a small district would point at its enterprise); staff see
every group and open the needs behind it (drill-down). The figures take a fixed number of aggregate queries
whatever the number of needs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db.models import Case, Count, IntegerField, Max, Min, Q, QuerySet, Value, When
from django.utils import timezone

from projectoffice.classifiers.models import OkvedCode
from projectoffice.lib import formats
from projectoffice.lib.spreadsheets import Column
from projectoffice.needs.models import Municipality, Need, NeedStatus, Subject, Theme

CACHE_SECONDS = 300  # the public landscape is at most five minutes old
MAX_MONTHS = 60  # the monthly series goes back at most five years from the latest need
MIN_GROUP = 3  # public groups smaller than this are folded into «Прочие»
OTHER = "Прочие (группы меньше 3 потребностей)"
UNKNOWN_INDUSTRY, UNKNOWN_PLACE = "отрасль не указана", "территория не указана"
HELPED = (NeedStatus.HELPED,)
CLOSED = (NeedStatus.HELPED, NeedStatus.NOT_HELPED, NeedStatus.UNREACHABLE, NeedStatus.DECLINED, NeedStatus.ABANDONED)
MONTH_HEIGHT = 120


@dataclass(frozen=True)
class Filters:
    start: dt.date | None = None  # first day of the first month
    end: dt.date | None = None  # exclusive
    theme: int | None = None
    subject: int | None = None
    municipality: int | None = None
    industry: str = ""  # an OKVED2 division, two digits

    @classmethod
    def from_query(cls, query: Any) -> Filters:
        """From GET parameters (bad values are ignored: a landscape with fewer filters, never an error)."""

        def number(name: str) -> int | None:
            value = str(query.get(name, "") or "")
            return int(value) if value.isdigit() and len(value) < 10 else None

        def month(name: str) -> dt.date | None:
            value = str(query.get(name, "") or "")
            try:
                return dt.date.fromisoformat(value[:7] + "-01") if len(value) >= 7 else None
            except ValueError:
                return None

        end = month("to")
        if end is not None:
            end = (end.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        industry = str(query.get("industry", "") or "")
        return cls(
            start=month("from"),
            end=end,
            theme=number("theme"),
            subject=number("subject"),
            municipality=number("municipality"),
            industry=industry if industry.isdigit() and len(industry) == 2 else "",
        )

    def as_query(self) -> dict[str, str]:
        out = {}
        if self.start:
            out["from"] = self.start.strftime("%Y-%m")
        if self.end:
            out["to"] = (self.end - dt.timedelta(days=1)).strftime("%Y-%m")
        for name in ("theme", "subject", "municipality"):
            if getattr(self, name):
                out[name] = str(getattr(self, name))
        if self.industry:
            out["industry"] = self.industry
        return out


def needs_in(filters: Filters) -> QuerySet[Need]:
    """The needs a landscape counts: every qualified need that was not merged into another."""
    needs = Need.objects.filter(merged_into__isnull=True)
    if filters.start:
        needs = needs.filter(created_at__gte=_moment(filters.start))
    if filters.end:
        needs = needs.filter(created_at__lt=_moment(filters.end))
    if filters.theme:
        needs = needs.filter(subject__theme_id=filters.theme)
    if filters.subject:
        needs = needs.filter(subject_id=filters.subject)
    if filters.municipality:
        needs = needs.filter(municipality_id=filters.municipality)
    if filters.industry:
        needs = needs.filter(organisation__main_okved__code__startswith=filters.industry)
    return needs


def _moment(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@dataclass(frozen=True)
class Group:
    key: str  # what the drill-down filters by ("" for «Прочие» and unknown)
    label: str
    count: int
    helped: int = 0
    param: str = ""  # the filter's name: subject, industry, municipality

    @property
    def helped_share(self) -> float | None:
        return self.helped / self.count if self.count else None


@dataclass(frozen=True)
class Bar:
    group: Group
    percent: int  # of the largest group shown


@dataclass
class Landscape:
    filters: Filters
    total: int
    helped: int
    closed: int
    subjects: list[Group]
    industries: list[Group]
    municipalities: list[Group]
    months: list[Group]
    public: bool
    charts: dict[str, list[Bar]] = field(default_factory=dict)

    @property
    def helped_share(self) -> float | None:
        return self.helped / self.closed if self.closed else None


def _grouped(rows: Iterable[tuple[Any, Any, int, int]], param: str, unknown: str) -> list[Group]:
    groups = [Group(str(key or ""), str(label or unknown), int(n), int(h), param) for key, label, n, h in rows]
    return sorted(groups, key=lambda g: (-g.count, g.label))


def _fold(groups: list[Group]) -> list[Group]:
    """Public side: groups under MIN_GROUP become one «Прочие» row (shown only when it is not itself tiny)."""
    kept = [g for g in groups if g.count >= MIN_GROUP]
    small = [g for g in groups if g.count < MIN_GROUP]
    total = sum(g.count for g in small)
    if total:
        kept.append(Group("", OTHER, total, sum(g.helped for g in small), ""))
    return kept


def _counts() -> dict[str, Any]:
    return {"n": Count("pk"), "h": Count("pk", filter=Q(status__in=HELPED))}


def _months(needs: QuerySet[Need], first: dt.datetime | None, last: dt.datetime | None) -> list[Group]:
    """Needs per local month between the first and the last need, in one GROUP BY over a CASE of plain comparisons
    of `created_at` (no date function per row), at most MAX_MONTHS months back from the last need."""
    if first is None or last is None:
        return []
    start = formats.local(max(first, last - dt.timedelta(days=31 * MAX_MONTHS))).date().replace(day=1)
    stop = formats.local(last).date()
    bounds: list[dt.date] = [start]
    while bounds[-1] <= stop:
        bounds.append((bounds[-1].replace(day=28) + dt.timedelta(days=4)).replace(day=1))
    # the newest months first: most needs are recent, so the CASE stops early for most rows
    whens = [When(created_at__gte=_moment(lo), then=Value(i)) for i, lo in reversed(list(enumerate(bounds[:-1])))]
    rows = (
        needs.filter(created_at__gte=_moment(start))
        .annotate(month_index=Case(*whens, default=Value(-1), output_field=IntegerField()))
        .values_list("month_index")
        .annotate(**_counts())
        .values_list("month_index", "n", "h")
    )
    counted = {i: (n, h) for i, n, h in rows}
    return [
        Group(lo.strftime("%Y-%m"), formats.month_year(lo), *counted[i], "month")
        for i, lo in enumerate(bounds[:-1])
        if i in counted
    ]


def _by(needs: QuerySet[Need], field_name: str) -> list[tuple[Any, int, int]]:
    """(value, count, helped) grouped by one column, no label joined (labels come from their own small tables)."""
    return list(needs.values_list(field_name).annotate(**_counts()).values_list(field_name, "n", "h"))


Counts = dict[Any, list[int]]  # key → [needs, helped]


def _add(into: Counts, key: Any, n: int, h: int) -> None:
    counted = into.setdefault(key, [0, 0])
    counted[0] += n
    counted[1] += h


def _subjects_places_totals(needs: QuerySet[Need]) -> tuple[Counts, Counts, dict[str, Any]]:
    """One pass grouped by subject and municipality together: both breakdowns and the totals."""
    pairs = list(
        needs.values_list("subject_id", "municipality_id")
        .annotate(**_counts(), c=Count("pk", filter=Q(status__in=CLOSED)), first=Min("created_at"),
                  last=Max("created_at"))
        .values_list("subject_id", "municipality_id", "n", "h", "c", "first", "last")
    )  # fmt: skip
    by_subject: Counts = {}
    by_place: Counts = {}
    for subject_id, place_id, n, h, _c, _f, _l in pairs:
        _add(by_subject, subject_id, n, h)
        _add(by_place, place_id, n, h)
    totals = {
        "total": sum(row[2] for row in pairs),
        "helped": sum(row[3] for row in pairs),
        "closed": sum(row[4] for row in pairs),
        "first": min((row[5] for row in pairs if row[5]), default=None),
        "last": max((row[6] for row in pairs if row[6]), default=None),
    }
    return by_subject, by_place, totals


def _industries(needs: QuerySet[Need]) -> list[Group]:
    """By the enterprise's main OKVED2 class (two digits): one pass grouped by its code, summed here."""
    okved_rows = _by(needs, "organisation__main_okved_id")
    codes = dict(OkvedCode.objects.filter(pk__in=[k for k, _n, _h in okved_rows if k]).values_list("pk", "code"))
    divisions: Counts = {}
    for key, n, h in okved_rows:
        _add(divisions, codes.get(key, "")[:2], n, h)
    names = dict(OkvedCode.objects.filter(code__in=[d for d in divisions if d]).values_list("code", "name"))
    return _grouped(
        ((d, f"{d} {names.get(d, '')}".strip() if d else "", n, h) for d, (n, h) in divisions.items()),
        "industry",
        UNKNOWN_INDUSTRY,
    )


def build(filters: Filters, *, public: bool) -> Landscape:
    """The aggregates in a fixed number of queries (eight), whatever the number of needs: three passes over the
    needs (by subject and municipality together, by the enterprise's OKVED2 code, by month), the labels from their
    small tables afterwards."""
    needs = needs_in(filters).order_by()
    by_subject, by_place, totals = _subjects_places_totals(needs)
    subject_names = {
        s.pk: f"{s.theme.name}: {s.name}"
        for s in Subject.objects.filter(pk__in=list(by_subject)).select_related("theme")
    }
    subjects = _grouped(((k, subject_names.get(k, ""), n, h) for k, (n, h) in by_subject.items()), "subject", "")
    industries = _industries(needs)
    places = {m.pk: str(m) for m in Municipality.objects.filter(pk__in=[k for k in by_place if k])}
    municipalities = _grouped(
        ((k, places.get(k, "") if k else "", n, h) for k, (n, h) in by_place.items()), "municipality", UNKNOWN_PLACE
    )
    months = _months(needs, totals["first"], totals["last"])
    if public:
        subjects, industries, municipalities = _fold(subjects), _fold(industries), _fold(municipalities)
    landscape = Landscape(
        filters, totals["total"], totals["helped"], totals["closed"], subjects, industries, municipalities, months,
        public,
    )  # fmt: skip
    landscape.charts = {
        "subjects": bars(subjects),
        "industries": bars(industries),
        "municipalities": bars(municipalities),
    }
    return landscape


def public(filters: Filters) -> Landscape:
    """The public landscape, kept in the cache for CACHE_SECONDS per set of filters (an aggregate a few minutes old
    is as good for readers, and a busy public page then costs one cache read)."""
    key = "needs:landscape:" + "&".join(f"{k}={v}" for k, v in sorted(filters.as_query().items()))
    found = cache.get(key)
    if isinstance(found, Landscape):
        return found
    built = build(filters, public=True)
    cache.set(key, built, CACHE_SECONDS)
    return built


def bars(groups: list[Group]) -> list[Bar]:
    """Horizontal bars, each as a share of the largest (the template draws them as `includes/_bar.html`)."""
    top = max([g.count for g in groups] + [1])
    return [Bar(g, round(100 * g.count / top)) for g in groups]


@dataclass(frozen=True)
class MonthBar:
    label: str
    count: int
    x: float
    y: float
    width: float
    height: float


def month_bars(months: list[Group], width: int = 640) -> list[MonthBar]:
    top = max([g.count for g in months] + [1])
    step = width / max(len(months), 1)
    out = []
    for i, g in enumerate(months):
        h = round(g.count / top * (MONTH_HEIGHT - 10), 1)
        out.append(MonthBar(g.label, g.count, round(i * step + step * 0.1, 1), round(MONTH_HEIGHT - h, 1),
                            round(step * 0.8, 1), h))  # fmt: skip
    return out


def filter_choices() -> dict[str, Any]:
    return {
        "themes": list(Theme.objects.order_by("order", "name")),
        "subjects": list(Subject.objects.select_related("theme").filter(active=True)),
        "municipalities": list(Municipality.objects.order_by("kind", "short_name", "name")),
    }


# --- exports: the same anonymised aggregates ------------------------------------------------------------------

EXPORT_COLUMNS = [
    Column("Разрез", 16),
    Column("Группа", 60),
    Column("Потребностей", 14, formats.XLSX_INTEGER),
    Column("Из них помогли", 14, formats.XLSX_INTEGER),
]
SECTIONS = (
    ("subjects", "предмет"),
    ("industries", "отрасль"),
    ("municipalities", "территория"),
    ("months", "месяц"),
)


def export_rows(landscape: Landscape) -> list[list[object]]:
    rows: list[list[object]] = [["всего", "все потребности", landscape.total, landscape.helped]]
    for attr, name in SECTIONS:
        rows += [[name, g.label, g.count, g.helped] for g in getattr(landscape, attr)]
    return rows


def as_json(landscape: Landscape) -> dict[str, Any]:
    def groups(items: list[Group], with_key: bool) -> list[dict[str, Any]]:
        return [
            {**({"key": g.key} if with_key else {}), "label": g.label, "count": g.count, "helped": g.helped}
            for g in items
        ]

    return {
        "filters": landscape.filters.as_query(),
        "anonymised": landscape.public,
        "min_group": MIN_GROUP if landscape.public else None,
        "total": landscape.total,
        "helped": landscape.helped,
        "closed": landscape.closed,
        "subjects": groups(landscape.subjects, True),
        "industries": groups(landscape.industries, True),
        "municipalities": groups(landscape.municipalities, True),
        "months": groups(landscape.months, True),
    }
