"""Loads the funders' channels (opportunities/data/funders.csv): corporate pilots, interstate funds, export and
partnering structures, Samara regional measures — beside the support measures, with the same discipline: every
row keeps its source, its short quote and its date note, and a row whose source says the programme is on hold or
under sanctions is loaded as suspended (shown with its reason, never offered as open)."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from projectoffice.classifiers.models import Region
from projectoffice.opportunities.catalogue import LICENCE, _amount, russian_dates
from projectoffice.opportunities.models import Opportunity, OpportunityKind, OpportunityStatus, Recurrence
from projectoffice.opportunities.services import opportunity_create, opportunity_update

FUNDERS = Path(__file__).resolve().parent / "data" / "funders.csv"
COLUMNS = [
    "id", "operator", "program", "category", "instrument", "amount_min_mln_rub", "amount_max_mln_rub", "amount_note",
    "applicant_own_share_min", "rate_pct", "term", "eligibility", "other_conditions", "application_mode",
    "status_or_date_note", "source_date", "source_url", "source_kind", "quote",
]  # fmt: skip
CATEGORY_CLASS = {  # codes of opportunities.models.FUNDER_CLASS_CHOICES
    "corporate_pilot": "large_company",
    "interstate_fund": "interstate_fund",
    "export_partnering": "foreign_business",
    "federal_institute": "federal_institute",
    "regional": "",  # Samara's own measures: not one of the flagship funder classes
}
# Interstate integration mechanisms that are not funds: structures of interstate cooperation.
INTERSTATE_BODIES = {
    "eaeu_digital_agenda_initiatives",
    "eaeu_industrial_cooperation_network",
    "sco_trade_economic_programme_2035",
    "brics_business_council_digital_2024",
    "volga_yangtze_pfo_china_samara",
    "ru_cn_friendship_committee",
    "samara_belarus_cooperation_2023",
}
SOURCE_KINDS = {"official site": "официальный сайт", "news": "СМИ", "other": "другое (перепечатка, справочник)"}
# What in a row's own words means the channel is not open: on hold, stopped by sanctions, operations impossible.
ON_HOLD = re.compile(r"приостановлен|санкци\w* .{0,40}невозможн|невозможн|неработоспособ|недоступен", re.IGNORECASE)
# Rows that describe a past, one-off programme (a 2021 contest, a 2022 intake): shown as closed, not as open.
HISTORICAL = {"nornickel_palladium_challenge_2021", "mts_ai_intema_accelerator_2022"}
# A row that its own note says is contradicted by a later row of the file (NDB 2018 → on hold since 2022).
SUPERSEDED_BY_HOLD = {"ndb_brics_russia_2018": "ndb_brics_russia_hold_2022"}
QUOTE_MAX = 300


@dataclass(frozen=True)
class FundersResult:
    created: int
    updated: int
    unchanged: int
    suspended: int


def check_row(row: dict[str, str]) -> None:
    """The discipline of the catalogue: a source address, its kind, a short verbatim quote and a date note."""
    missing = [name for name in ("id", "operator", "program", "category", "source_url", "quote") if not row.get(name)]
    if missing:
        raise ValidationError(f"Строка {row.get('id') or '?'}: не заполнены {', '.join(missing)}.")
    if not row["source_url"].startswith(("http://", "https://")):
        raise ValidationError(f"Строка {row['id']}: источник не адрес страницы.")
    if row["category"] not in CATEGORY_CLASS:
        raise ValidationError(f"Строка {row['id']}: неизвестная категория «{row['category']}».")
    if len(row["quote"]) > QUOTE_MAX + 20:  # «…» joins may add a few characters to the compiler's 300
        raise ValidationError(f"Строка {row['id']}: цитата длиннее допустимой ({QUOTE_MAX}).")
    if not (row.get("source_date") or row.get("status_or_date_note")):
        raise ValidationError(f"Строка {row['id']}: нет даты источника или пометки о дате.")


def is_rolling(row: dict[str, str]) -> bool:
    return row["application_mode"].strip().lower().startswith("rolling")


def hold_reason(row: dict[str, str]) -> str:
    """Why the channel is not open, in the row's own words, or "" when nothing says so."""
    if row["id"] in SUPERSEDED_BY_HOLD:
        return f"{row['status_or_date_note']} (см. запись {SUPERSEDED_BY_HOLD[row['id']]})"
    for text in (row["application_mode"], row["status_or_date_note"]):
        if ON_HOLD.search(text):
            return text
    return ""


def _kind(row: dict[str, str]) -> str:
    if is_rolling(row):
        return OpportunityKind.ROLLING
    instruments = row["instrument"]
    if row["category"] == "corporate_pilot":
        return OpportunityKind.ACCELERATOR if instruments.startswith("accelerator") else OpportunityKind.PILOT_CALL
    if row["category"] == "interstate_fund":
        return OpportunityKind.PARTNERING if instruments == "partnering" else OpportunityKind.INVESTOR_CALL
    if instruments.startswith("tax_incentive"):
        return OpportunityKind.TAX_BENEFIT
    if instruments.startswith("loan"):
        return OpportunityKind.LOAN
    if instruments.startswith(("grant", "prize")):
        return OpportunityKind.GRANT
    return OpportunityKind.PARTNERING


def row_values(row: dict[str, str]) -> dict[str, Any]:
    funder_class = "interstate_body" if row["id"] in INTERSTATE_BODIES else CATEGORY_CLASS[row["category"]]
    reason = hold_reason(row)
    status = OpportunityStatus.PUBLISHED
    if reason:
        status = OpportunityStatus.SUSPENDED
    elif row["id"] in HISTORICAL:
        status = OpportunityStatus.CLOSED
    summary = "; ".join(p for p in (row["amount_note"], row["other_conditions"]) if p)
    return {
        "kind": _kind(row),
        "title": row["program"][:500],
        "summary": summary,
        "provider_name": row["operator"][:300],
        "instrument": row["instrument"][:200],
        "amount_min": _amount(row["amount_min_mln_rub"]),
        "amount_max": _amount(row["amount_max_mln_rub"]),
        "term_note": (row["application_mode"] or row["term"])[:300],
        "recurrence": Recurrence.ROLLING if is_rolling(row) else Recurrence.UNKNOWN,
        "is_federal": row["category"] != "regional",
        "eligibility_text": row["eligibility"],
        "conditions": row["other_conditions"],
        "source_url": row["source_url"],
        "source_kind": SOURCE_KINDS.get(row["source_kind"], row["source_kind"])[:200],
        "source_quote": row["quote"],
        "source_date_note": russian_dates("; ".join(p for p in (row["source_date"], row["status_or_date_note"]) if p))[
            :300
        ],
        "licence": LICENCE,
        "status": status,
        "suspension_reason": reason,
        "funder_class": funder_class,
        "channel_category": row["category"],
        "opens_on": None,
        "closes_on": None,  # none of the rows gives a deadline; rolling ones never have one
    }


def _region_values(row: dict[str, str]) -> dict[str, Any]:
    if row["category"] != "regional":
        return {"region": None}
    return {"region": Region.objects.filter(iso_code="RU-SAM").first()}


def load_funders(path: Path = FUNDERS) -> FundersResult:
    """Create or refresh every channel (idempotent: a second run changes nothing); rows the office has verified
    since are left as the office keeps them. A malformed file changes nothing at all."""
    created = updated = unchanged = suspended = 0
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames != COLUMNS:
            raise ValidationError(f"Файл {path.name}: столбцы не те, что ожидались ({', '.join(COLUMNS)}).")
        rows = list(reader)
    seen: set[str] = set()
    for row in rows:
        check_row(row)
        if row["id"] in seen:
            raise ValidationError(f"Строка {row['id']} повторяется.")
        seen.add(row["id"])
    with transaction.atomic():
        for row in rows:
            existing = Opportunity.objects.filter(external_id=row["id"]).first()
            if existing is not None and existing.verified_on is not None:
                unchanged += 1
                suspended += existing.status == OpportunityStatus.SUSPENDED
                continue
            values = {**row_values(row), **_region_values(row)}
            if values["status"] == OpportunityStatus.SUSPENDED:
                values["suspended_on"] = (existing.suspended_on if existing else None) or timezone.localdate()
                suspended += 1
            else:
                values["suspended_on"] = None
            data = {"external_id": row["id"], **values}
            if existing is None:
                opportunity_create(actor=None, data=data)
                created += 1
                continue
            _opportunity, changed = opportunity_update(actor=None, opportunity=existing, data=data)
            updated += changed
            unchanged += not changed
    return FundersResult(created, updated, unchanged, suspended)
