"""Reads of participation, each page with a fixed number of queries; hidden content never leaves through here."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Prefetch, Q, QuerySet, Value

from projectoffice.accounts.rules import AnyUser, is_staff
from projectoffice.lib import formats
from projectoffice.lib.days import day_start
from projectoffice.participation.models import (
    Comment,
    Debate,
    Disposition,
    DraftVersion,
    Goal,
    ModerationCase,
    Paragraph,
    Process,
    Proposal,
    ProposalStatus,
    Remark,
    Result,
    Stance,
    Visibility,
)
from projectoffice.participation.progress import Progress, progress


def processes(user: AnyUser, *, goal: str = "") -> dict[str, list[Process]]:
    """Open, upcoming and closed processes (drafts only for the office), optionally those serving a goal."""
    rows = Process.objects.prefetch_related("goals", "phases")
    if not is_staff(user):
        rows = rows.filter(is_published=True)
    if goal:
        rows = rows.filter(goals__code=goal)
    grouped: dict[str, list[Process]] = {"open": [], "upcoming": [], "closed": []}
    for process in rows.distinct():
        grouped[process.status()].append(process)
    return grouped


def goals() -> list[Goal]:
    return list(Goal.objects.annotate(n=Count("proposals", filter=Q(proposals__visibility="visible"))))


def proposals(process: Process, *, goal: str = "", category: str = "", order: str = "") -> QuerySet[Proposal]:
    rows = (
        Proposal.objects.shown()
        .filter(process=process, status=ProposalStatus.PUBLISHED)
        .select_related("author", "organisation", "answer__state")
        .prefetch_related("goals")
    )
    if goal:
        rows = rows.filter(goals__code=goal)
    if category:
        rows = rows.filter(category=category)
    return rows.order_by("-supports_count", "-created_at") if order == "supports" else rows


@dataclass(frozen=True, slots=True)
class Node:
    """A comment as the thread shows it, with its names, labels and time worked out once (a page may hold
    thousands); `body` and `author` are empty when the comment is deleted or hidden."""

    pk: int
    parent: int | None
    depth: int
    author_id: int
    author: str
    body: str
    stance: str
    stance_label: str
    up: int
    down: int
    created_at: dt.datetime
    created: str
    edited: bool
    deleted: bool
    hidden: bool

    @property
    def shown(self) -> bool:
        return not (self.deleted or self.hidden)


class _Name:
    __slots__ = ("first_name", "last_name", "patronymic", "username")

    def __init__(self, first_name: str, last_name: str, patronymic: str, username: str) -> None:
        self.first_name, self.last_name, self.patronymic, self.username = first_name, last_name, patronymic, username

    def get_full_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.patronymic, self.last_name) if part.strip())


def _person(first: str, last: str, patronymic: str, username: str) -> str:
    return formats.person(_Name(first, last, patronymic, username))


COMMENT_FIELDS = ("pk", "parent_id", "body", "stance", "up", "down", "visibility", "is_deleted", "created_at",
                  "edited_at", "author_id", "author__first_name", "author__last_name", "author__patronymic",
                  "author__username")  # fmt: skip
STANCES = dict(Stance.choices)


THREADS_PER_PAGE = 30  # top-level comments shown at first; «Показать ещё» brings the next ones (htmx)


def _subject(proposal: Proposal | None, debate: Debate | None, remark: Remark | None) -> dict[str, Any]:
    if proposal is not None:
        return {"proposal": proposal}
    if remark is not None:
        return {"remark": remark}
    return {"debate": debate}


def thread(
    *,
    proposal: Proposal | None = None,
    debate: Debate | None = None,
    remark: Remark | None = None,
    offset: int = 0,
    limit: int | None = None,
) -> list[Node]:
    """The comments in reading order (each followed by its replies); with `limit`, only that many top-level
    comments from `offset` with all their replies (two queries however long the discussion). Hidden and deleted
    comments keep their place in the thread without their text (the template shows a placeholder)."""
    rows = Comment.objects.filter(**_subject(proposal, debate, remark))
    if limit is not None:
        roots = list(rows.filter(parent=None).order_by("created_at", "pk").values_list("pk", flat=True)
                     [offset : offset + limit])  # fmt: skip
        rows = rows.filter(Q(pk__in=roots) | Q(parent__in=roots) | Q(parent__parent__in=roots)
                           | Q(parent__parent__parent__in=roots))  # fmt: skip
    children: dict[int | None, list[tuple[Any, ...]]] = defaultdict(list)
    for row in rows.order_by("created_at", "pk").values_list(*COMMENT_FIELDS):
        children[row[1]].append(row)
    out: list[Node] = []
    stack = [(c, 0) for c in reversed(children[None])]
    while stack:
        row, depth = stack.pop()
        pk, parent, body, stance, up, down, visibility, deleted, created_at, edited_at, author_id, *name = row
        hidden = visibility != Visibility.VISIBLE
        shown = not (hidden or deleted)
        out.append(Node(pk, parent, depth, author_id, _person(*name) if shown else "", body if shown else "", stance,
                        STANCES.get(stance, ""), up, down, created_at, formats.datetime(created_at),
                        edited_at is not None, deleted, hidden))  # fmt: skip
        stack.extend((c, depth + 1) for c in reversed(children.get(pk, [])))
    return out


@dataclass(frozen=True)
class ThreadPage:
    """One page of a discussion: its comments, the stances of the whole discussion, what «Показать ещё» asks."""

    nodes: list[Node]
    stances: dict[str, int]
    threads: int  # top-level comments in the whole discussion
    next_offset: int | None
    limit: int = THREADS_PER_PAGE

    @property
    def next_more(self) -> int:
        """Without htmx, «Показать ещё» reloads the page with this many top-level comments."""
        return (self.next_offset or 0) + self.limit

    @property
    def remaining(self) -> int:
        return self.threads - (self.next_offset or self.threads)


def thread_page(
    *,
    proposal: Proposal | None = None,
    debate: Debate | None = None,
    remark: Remark | None = None,
    offset: int = 0,
    limit: int = THREADS_PER_PAGE,
) -> ThreadPage:
    """Four queries whatever the size of the discussion: the page's comments (two), the stances, the count."""
    subject = _subject(proposal, debate, remark)
    nodes = thread(**subject, offset=offset, limit=limit)
    per_stance = dict(
        Comment.objects.shown().filter(is_deleted=False, **subject).order_by().values_list("stance")
        .annotate(n=Count("pk")).values_list("stance", "n"))  # fmt: skip
    stances = {k: per_stance.get(k, 0) for k in ("for", "against", "neutral")}
    threads = Comment.objects.filter(parent=None, **subject).count()
    following = offset + limit
    return ThreadPage(nodes, stances, threads, following if following < threads else None, limit)


# --- the draft -----------------------------------------------------------------------------------------------


@dataclass
class Section:
    anchor: str
    title: str
    paragraphs: list[Paragraph] = field(default_factory=list)

    @property
    def remarks(self) -> int:
        return sum((getattr(p, "remarks_n", 0) for p in self.paragraphs), 0)


def version_of(process: Process, number: int | None = None) -> DraftVersion | None:
    draft = getattr(process, "draft", None)
    if draft is None:
        return None
    versions = draft.versions.all()
    return versions.filter(number=number).first() if number else versions.order_by("-number").first()


REMARK_FIELDS = ("pk", "paragraph_id", "quote", "text", "disposition", "organisation__short_name",
                 "organisation__name", "author__first_name", "author__last_name", "author__patronymic",
                 "author__username")  # fmt: skip
DISPOSITIONS = dict(Disposition.choices)


def sections(version: DraftVersion) -> list[Section]:
    """The version's sections and paragraphs, each paragraph with the number of its visible remarks (`remarks_n`,
    counted in SQL); the remarks themselves load when a reader opens them (`paragraph_remarks`). One query."""
    out: list[Section] = []
    paragraphs = version.paragraphs.annotate(
        remarks_n=Count("remarks", filter=Q(remarks__visibility=Visibility.VISIBLE))
    ).order_by("order")
    for paragraph in paragraphs:
        if not out or out[-1].anchor != paragraph.section_anchor:
            out.append(Section(paragraph.section_anchor, paragraph.section_title))
        out[-1].paragraphs.append(paragraph)
    return out


@dataclass(frozen=True, slots=True)
class RemarkRow:
    pk: int
    quote: str
    text: str
    who: str
    disposition: str
    disposition_label: str
    up: int = 0
    down: int = 0
    comments: int = 0
    author_id: int = 0


def paragraph_remarks(paragraph: Paragraph) -> list[RemarkRow]:
    """A paragraph's visible remarks with their votes and the number of their visible comments (one query)."""
    rows = (
        Remark.objects.shown().filter(paragraph=paragraph)
        .annotate(n=Count("comments", filter=Q(comments__visibility=Visibility.VISIBLE, comments__is_deleted=False)))
        .order_by("created_at", "pk")
    )  # fmt: skip
    out = []
    for pk, _paragraph, quote, text, disposition, short, full, *name, up, down, n, author_id in rows.values_list(
        *REMARK_FIELDS, "up", "down", "n", "author_id"
    ):
        person = _person(*name)
        who = f"{short or full}, {person}" if (short or full) else person
        out.append(RemarkRow(pk, quote, text, who, disposition, DISPOSITIONS[disposition], up, down, n, author_id))
    return out


def register(process: Process) -> list[Remark]:
    """The таблица учёта замечаний и предложений: every visible remark on any version, in document order."""
    return list(
        Remark.objects.shown()
        .filter(paragraph__version__draft__process=process)
        .select_related("author", "organisation", "paragraph__version")
        .order_by("paragraph__version__number", "paragraph__order", "created_at", "pk")
    )


@dataclass(frozen=True)
class SectionSummary:
    title: str
    remarks: int
    accepted: int
    partial: int
    rejected: int
    pending: int
    top: list[tuple[str, str, int]]  # the most discussed paragraphs: number, anchor, remarks


def summary(version: DraftVersion) -> list[SectionSummary]:
    """Per section: remarks by disposition and the three most discussed paragraphs."""
    rows = (
        version.paragraphs.annotate(
            n=Count("remarks", filter=Q(remarks__visibility="visible")),
            acc=Count("remarks", filter=Q(remarks__visibility="visible", remarks__disposition=Disposition.ACCEPTED)),
            par=Count("remarks", filter=Q(remarks__visibility="visible", remarks__disposition=Disposition.PARTIAL)),
            rej=Count("remarks", filter=Q(remarks__visibility="visible", remarks__disposition=Disposition.REJECTED)),
        )
        .order_by("order")
        .values("section_anchor", "section_title", "number", "anchor", "n", "acc", "par", "rej")
    )
    grouped: dict[str, list[Any]] = {}
    for row in rows:
        grouped.setdefault(row["section_anchor"], []).append(row)
    out = []
    for items in grouped.values():
        n, acc, par, rej = (sum(i[k] for i in items) for k in ("n", "acc", "par", "rej"))
        top = sorted((i for i in items if i["n"]), key=lambda i: -i["n"])[:3]
        out.append(SectionSummary(items[0]["section_title"], n, acc, par, rej, n - acc - par - rej,
                                  [(i["number"], i["anchor"], i["n"]) for i in top]))  # fmt: skip
    return out


def moderation_queue() -> QuerySet[ModerationCase]:
    return (
        ModerationCase.objects.filter(state=ModerationCase._meta.get_field("state").default)
        .select_related("author", "content_type")
        .prefetch_related("reports")
        .order_by("-reports_count", "created_at")
    )


# --- the KPI ledger: «Предложения в стратегию» -----------------------------------------------------------------
# Each selector gives what counts in a period of days [start, end), annotated as kpis/methods.py reads every source.


def accepted_proposals(*, start: dt.date, end: dt.date) -> QuerySet[Proposal]:
    """Visible proposals whose published official answer accepts them (fully or partly), by the day it was
    published."""
    return (
        Proposal.objects.shown()
        .filter(
            answer__state__is_accepted=True,
            answer__published_at__gte=day_start(start),
            answer__published_at__lt=day_start(end),
        )
        .annotate(kpi_on=F("answer__published_at"), kpi_value=Value(1))
        .select_related("process")
    )


def remarks_taken_into_account(*, start: dt.date, end: dt.date) -> QuerySet[Remark]:
    """Visible remarks disposed учтено or учтено частично, by the moment of the disposition."""
    return (
        Remark.objects.shown()
        .filter(
            disposition__in=[Disposition.ACCEPTED, Disposition.PARTIAL],
            disposed_at__gte=day_start(start),
            disposed_at__lt=day_start(end),
        )
        .annotate(kpi_on=F("disposed_at"), kpi_value=Value(1))
        .select_related("paragraph__version__draft__process")
    )


# --- accountability ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResultRow:
    result: Result
    depth: int
    progress: Progress


def accountability_results(process: Process) -> list[ResultRow]:
    """The results as a tree (each followed by its sub-results), each with its computed progress."""
    rows = list(
        process.results.prefetch_related(
            "projects",
            "children__projects",
            "children__children",
            Prefetch("proposals", queryset=Proposal.objects.shown()),
        )
    )
    children: dict[int | None, list[Result]] = defaultdict(list)
    for result in rows:
        children[result.parent_id].append(result)
    out: list[ResultRow] = []
    stack = [(r, 0) for r in reversed(children[None])]
    while stack:
        result, depth = stack.pop()
        out.append(ResultRow(result, depth, progress(result)))
        stack.extend((c, depth + 1) for c in reversed(children.get(result.pk, [])))
    return out


def accepted_with_outcome(process: Process) -> QuerySet[Proposal]:
    """Every accepted proposal of the process and what became of it: its answer, its project, its results."""
    return (
        Proposal.objects.shown()
        .filter(process=process, answer__published_at__isnull=False, answer__state__is_accepted=True)
        .select_related("answer__state", "project")
        .prefetch_related("results")
        .order_by("answer__published_at", "pk")
    )
