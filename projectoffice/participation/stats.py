"""Participation statistics of a process for the office: participants, proposals, supports, comments and remarks,
by the registry's organisation kinds and by week (an inline SVG chart and an XLSX).

Only visible content counts (hidden content never leaves through here). A contribution counts for an organisation
kind when it was made on behalf of an organisation of that kind (proposals, endorsements, remarks); a participant
counts for every kind of the organisations they are a member of (so the kinds may add up to more than the total).
Each figure is one aggregate query, whatever the size of the process.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from projectoffice.accounts.models import Membership
from projectoffice.lib import formats, spreadsheets
from projectoffice.lib.spreadsheets import Column
from projectoffice.organisations.models import OrganisationKind
from projectoffice.participation.models import (
    Comment,
    Endorsement,
    Process,
    Proposal,
    Remark,
    Support,
    SurveyResponse,
)

KINDS = ("proposals", "supports", "comments", "remarks")
KIND_LABELS = {"proposals": "Предложения", "supports": "Поддержки", "comments": "Комментарии", "remarks": "Замечания"}
NO_ORGANISATION = "Без организации"
WIDTH, HEIGHT, PAD = 520, 110, 14
MAX_WEEKS = 26


@dataclass(frozen=True)
class KindRow:
    kind: str
    label: str
    participants: int
    proposals: int
    endorsements: int
    remarks: int


@dataclass(frozen=True)
class WeekBar:
    week: dt.date  # the Monday
    counts: dict[str, int]
    x: float
    y: float
    width: float
    height: float

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def label(self) -> str:
        return formats.day_month(self.week)

    @property
    def label_x(self) -> float:
        return round(self.x + self.width / 2, 1)


@dataclass
class Stats:
    process: Process
    participants: int
    totals: dict[str, int]
    by_kind: list[KindRow]
    weeks: list[WeekBar] = field(default_factory=list)
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def view_height(self) -> int:
        return self.height + 16

    @property
    def label_y(self) -> int:
        return self.height + 12

    @property
    def label_every(self) -> int:
        """Label every n-th week so that the labels do not overlap."""
        return max(1, len(self.weeks) // 8)


def _sources(process: Process) -> dict[str, QuerySet]:
    proposals = Proposal.objects.shown().filter(process=process)
    return {
        "proposals": proposals,
        "supports": Support.objects.filter(proposal__in=proposals.values("pk")),
        "comments": Comment.objects.shown().filter(
            Q(proposal__process=process) | Q(debate__process=process)
            | Q(remark__paragraph__version__draft__process=process), is_deleted=False),
        "remarks": Remark.objects.shown().filter(paragraph__version__draft__process=process),
    }  # fmt: skip


def _user_field(kind: str) -> str:
    return "user_id" if kind == "supports" else "author_id"


def participant_ids(process: Process) -> set[int]:
    """Everyone who proposed, supported, commented, remarked, endorsed or answered a survey in the process."""
    ids: set[int] = set()
    for kind, rows in _sources(process).items():
        ids.update(rows.values_list(_user_field(kind), flat=True).distinct())
    ids.update(Endorsement.objects.filter(proposal__process=process).values_list("by_id", flat=True).distinct())
    ids.update(
        SurveyResponse.objects.filter(survey__phase__process=process).values_list("user_id", flat=True).distinct()
    )
    return ids


def _by_kind(process: Process, people: set[int], sources: dict[str, QuerySet]) -> list[KindRow]:
    members: dict[str, set[int]] = defaultdict(set)
    for user_id, kind in Membership.objects.filter(user_id__in=people).values_list("user_id", "organisation__kind"):
        members[kind].add(user_id)
    proposals = Counter(dict(
        sources["proposals"].filter(organisation__isnull=False).values_list("organisation__kind")
        .annotate(n=Count("pk")).values_list("organisation__kind", "n")))  # fmt: skip
    remarks = Counter(dict(
        sources["remarks"].filter(organisation__isnull=False).values_list("organisation__kind")
        .annotate(n=Count("pk")).values_list("organisation__kind", "n")))  # fmt: skip
    endorsements = Counter(dict(
        Endorsement.objects.filter(proposal__in=sources["proposals"].values("pk")).values_list("organisation__kind")
        .annotate(n=Count("pk")).values_list("organisation__kind", "n")))  # fmt: skip
    rows = [
        KindRow(kind, label, len(members[kind]), proposals[kind], endorsements[kind], remarks[kind])
        for kind, label in OrganisationKind.choices
    ]
    unaffiliated = people - set().union(*members.values()) if members else set(people)
    rows.append(
        KindRow(
            "",
            NO_ORGANISATION,
            len(unaffiliated),
            sources["proposals"].filter(organisation__isnull=True).count(),
            0,
            sources["remarks"].filter(organisation__isnull=True).count(),
        )
    )
    return rows


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _weekly(sources: dict[str, QuerySet]) -> dict[dt.date, dict[str, int]]:
    """Contributions per local week (Europe/Samara), one GROUP BY query per kind."""
    zone = timezone.get_current_timezone()
    weeks: dict[dt.date, dict[str, int]] = defaultdict(lambda: dict.fromkeys(KINDS, 0))
    for kind, rows in sources.items():
        per_day = (
            rows.order_by().annotate(day=TruncDate("created_at", tzinfo=zone)).values("day").annotate(n=Count("pk"))
        )
        for row in per_day:
            weeks[_monday(row["day"])][kind] += row["n"]
    return weeks


def _bars(weeks: dict[dt.date, dict[str, int]]) -> list[WeekBar]:
    if not weeks:
        return []
    last = max(weeks)
    first = max(min(weeks), last - dt.timedelta(weeks=MAX_WEEKS - 1))
    days = [first + dt.timedelta(weeks=i) for i in range((last - first).days // 7 + 1)]
    counts = [weeks.get(d, dict.fromkeys(KINDS, 0)) for d in days]
    top = max([sum(c.values()) for c in counts] + [1])
    step = (WIDTH - 2 * PAD) / len(days)
    out = []
    for index, (day, count) in enumerate(zip(days, counts, strict=True)):
        h = sum(count.values()) / top * (HEIGHT - PAD)
        x = PAD + index * step + step * 0.15
        out.append(WeekBar(day, count, round(x, 1), round(HEIGHT - h, 1), round(step * 0.7, 1), round(h, 1)))
    return out


def process_stats(process: Process) -> Stats:
    sources = _sources(process)
    people = participant_ids(process)
    totals = {kind: rows.count() for kind, rows in sources.items()}
    return Stats(process, len(people), totals, _by_kind(process, people, sources), _bars(_weekly(sources)))


SUMMARY_COLUMNS = [Column("Показатель", 40), Column("Значение", 14, formats.XLSX_INTEGER)]
KIND_COLUMNS = [
    Column("Вид организации", 34),
    Column("Участников", 14, formats.XLSX_INTEGER),
    Column("Предложений от организаций", 18, formats.XLSX_INTEGER),
    Column("Поддержек организаций", 18, formats.XLSX_INTEGER),
    Column("Замечаний от организаций", 18, formats.XLSX_INTEGER),
]
WEEK_COLUMNS = [
    Column("Неделя с", 14, formats.XLSX_DATE),
    *(Column(KIND_LABELS[k], 14, formats.XLSX_INTEGER) for k in KINDS),
    Column("Всего", 12, formats.XLSX_INTEGER),
]


def _summary_rows(stats: Stats) -> Iterable[list[object]]:
    yield ["Участников", stats.participants]
    for kind in KINDS:
        yield [KIND_LABELS[kind], stats.totals[kind]]


def stats_xlsx(stats: Stats) -> bytes:
    """Three sheets: the totals, by organisation kind, by week (typed cells)."""
    book, sheet = spreadsheets.workbook("Итоги")
    spreadsheets.write_table(sheet, SUMMARY_COLUMNS, _summary_rows(stats))
    kinds = book.create_sheet("По видам организаций")
    spreadsheets.write_table(kinds, KIND_COLUMNS, (
        [r.label, r.participants, r.proposals, r.endorsements, r.remarks] for r in stats.by_kind))  # fmt: skip
    weeks = book.create_sheet("По неделям")
    spreadsheets.write_table(weeks, WEEK_COLUMNS, (
        [w.week, *(w.counts[k] for k in KINDS), w.total] for w in stats.weeks))  # fmt: skip
    return spreadsheets.xlsx_bytes(book)
