"""Statistics of the needs service: response time to the first take-up, the share helped and satisfaction, per
expert, partner institution and subject, for a period (the office's monthly report is one month of it, in XLSX).

Experts and institutions are measured on their matches sent in the period (an institution also on its experts'
matches): the response time is from a match being sent to its being taken; the share helped is помогли among the
closed matches (помогли, не помогли, не удалось связаться). Subjects are measured on their needs created in the
period: from the need first sent to first taken, помогли among the closed needs. Satisfaction comes from the
answered surveys of the needs concerned: the share who found it useful and the mean rating (1–5). Three queries
whatever the number of needs.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from projectoffice.lib import formats, spreadsheets
from projectoffice.lib.spreadsheets import Column
from projectoffice.needs.models import Match, MatchKind, MatchStatus, Need, NeedStatus, SatisfactionSurvey

CLOSED_MATCHES = {MatchStatus.HELPED, MatchStatus.NOT_HELPED, MatchStatus.UNREACHABLE}
CLOSED_NEEDS = {NeedStatus.HELPED, NeedStatus.NOT_HELPED, NeedStatus.UNREACHABLE}


@dataclass
class Line:
    """One row of statistics: an expert, an institution or a subject."""

    label: str
    sent: int = 0
    taken: int = 0
    closed: int = 0
    helped: int = 0
    response_hours: list[float] = field(default_factory=list)
    useful: list[bool] = field(default_factory=list)
    ratings: list[int] = field(default_factory=list)
    needs: set[int] = field(default_factory=set)

    @property
    def median_response_days(self) -> Decimal | None:
        if not self.response_hours:
            return None
        return Decimal(str(round(statistics.median(self.response_hours) / 24, 1)))

    @property
    def helped_percent(self) -> Decimal | None:
        return Decimal(str(round(100 * self.helped / self.closed, 1))) if self.closed else None

    @property
    def useful_percent(self) -> Decimal | None:
        return Decimal(str(round(100 * sum(self.useful) / len(self.useful), 1))) if self.useful else None

    @property
    def mean_rating(self) -> Decimal | None:
        return Decimal(str(round(statistics.mean(self.ratings), 1))) if self.ratings else None

    @property
    def answers(self) -> int:
        return len(self.useful)


@dataclass
class Statistics:
    start: dt.date
    end: dt.date  # exclusive
    experts: list[Line]
    institutions: list[Line]
    subjects: list[Line]
    total: Line


def _moment(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _hours(start: dt.datetime | None, end: dt.datetime | None) -> float | None:
    if start is None or end is None or end < start:
        return None
    return (end - start).total_seconds() / 3600


def _answers(need_ids: Iterable[int]) -> dict[int, tuple[bool | None, int | None]]:
    rows = SatisfactionSurvey.objects.filter(need_id__in=list(need_ids), answered_at__isnull=False)
    return {need: (useful, rating) for need, useful, rating in rows.values_list("need_id", "useful", "rating")}


def _add_answer(line: Line, answer: tuple[bool | None, int | None] | None) -> None:
    if answer is None:
        return
    useful, rating = answer
    if useful is not None:
        line.useful.append(bool(useful))
    if rating:
        line.ratings.append(int(rating))


def compute(start: dt.date, end: dt.date) -> Statistics:
    matches = list(
        Match.objects.filter(sent_at__gte=_moment(start), sent_at__lt=_moment(end))
        .filter(Q(kind=MatchKind.EXPERT) | Q(kind=MatchKind.INSTITUTION))
        .values_list(
            "need_id", "kind", "status", "sent_at", "taken_at", "expert_id", "expert__user__last_name",
            "expert__user__first_name", "expert__user__username", "expert__institution_id",
            "expert__institution__name", "institution_id", "institution__name",
        )
    )  # fmt: skip
    needs = list(
        Need.objects.filter(
            created_at__gte=_moment(start), created_at__lt=_moment(end), merged_into__isnull=True
        ).values_list("pk", "status", "first_sent_at", "first_taken_at", "subject__theme__name", "subject__name")
    )
    answers = _answers({m[0] for m in matches} | {n[0] for n in needs})

    experts: dict[int, Line] = {}
    institutions: dict[int, Line] = {}
    for (
        need,
        kind,
        status,
        sent_at,
        taken_at,
        expert,
        last,
        first,
        login,
        e_inst,
        e_inst_name,
        inst,
        inst_name,
    ) in matches:
        lines = []
        if kind == MatchKind.EXPERT and expert:
            lines.append(experts.setdefault(expert, Line(f"{last} {first}".strip() or login)))
            if e_inst:
                lines.append(institutions.setdefault(e_inst, Line(e_inst_name)))
        elif inst:
            lines.append(institutions.setdefault(inst, Line(inst_name)))
        for line in lines:
            line.sent += 1
            line.taken += taken_at is not None
            line.closed += status in CLOSED_MATCHES
            line.helped += status == MatchStatus.HELPED
            hours = _hours(sent_at, taken_at)
            if hours is not None:
                line.response_hours.append(hours)
            if need not in line.needs:
                line.needs.add(need)
                _add_answer(line, answers.get(need))

    subjects: dict[str, Line] = defaultdict(lambda: Line(""))
    total = Line("Всего")
    for pk, status, first_sent, first_taken, theme, subject in needs:
        label = f"{theme}: {subject}"
        line = subjects[label]
        line.label = label
        for target in (line, total):
            target.sent += 1
            target.taken += first_taken is not None
            target.closed += status in CLOSED_NEEDS
            target.helped += status == NeedStatus.HELPED
            hours = _hours(first_sent, first_taken)
            if hours is not None:
                target.response_hours.append(hours)
            _add_answer(target, answers.get(pk))

    def ordered(lines: Iterable[Line]) -> list[Line]:
        return sorted(lines, key=lambda line: (-line.sent, line.label))

    return Statistics(start, end, ordered(experts.values()), ordered(institutions.values()),
                      ordered(subjects.values()), total)  # fmt: skip


def month_bounds(value: str | None, today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """«2026-11» → (1 Nov, 1 Dec); anything else → the previous full month."""
    today = today or timezone.localdate()
    start = None
    if value and len(value) == 7:
        try:
            start = dt.date.fromisoformat(value + "-01")
        except ValueError:
            start = None
    if start is None:
        start = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    end = (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return start, end


# --- the monthly XLSX ------------------------------------------------------------------------------------------

COLUMNS = [
    Column("Кто", 40),
    Column("Отправлено", 12, formats.XLSX_INTEGER),
    Column("Взято в работу", 14, formats.XLSX_INTEGER),
    Column("Медиана до взятия, дней", 16, formats.XLSX_DECIMAL),
    Column("Закрыто", 10, formats.XLSX_INTEGER),
    Column("Помогли", 10, formats.XLSX_INTEGER),
    Column("Доля «помогли»", 14, formats.XLSX_PERCENT),
    Column("Ответов на опрос", 14, formats.XLSX_INTEGER),
    Column("Полезно", 10, formats.XLSX_PERCENT),
    Column("Средняя оценка", 12, formats.XLSX_DECIMAL),
]


def _row(line: Line) -> list[object]:
    return [line.label, line.sent, line.taken, line.median_response_days, line.closed, line.helped,
            line.helped_percent, line.answers, line.useful_percent, line.mean_rating]  # fmt: skip


def monthly_xlsx(stats: Statistics) -> bytes:
    title = f"Потребности {formats.month_year(stats.start)}"
    book, sheet = spreadsheets.workbook("По предметам")
    spreadsheets.write_line(sheet, [title], bold=True, size=13)
    spreadsheets.write_line(sheet, [f"Потребности, созданные с {formats.date(stats.start)} по "
                                    f"{formats.date(stats.end - dt.timedelta(days=1))}"])  # fmt: skip
    spreadsheets.write_table(sheet, [Column("Предмет", 40), *COLUMNS[1:]],
                             [*(_row(line) for line in stats.subjects), _row(stats.total)])  # fmt: skip
    for name, lines, header in (
        ("По экспертам", stats.experts, "Эксперт"),
        ("По институтам", stats.institutions, "Институт"),
    ):
        other = book.create_sheet(name)
        spreadsheets.write_line(other, [f"{title}: отправки экспертам и институтам за месяц"], bold=True)
        spreadsheets.write_table(other, [Column(header, 40), *COLUMNS[1:]], (_row(line) for line in lines))
    return spreadsheets.xlsx_bytes(book)
