"""Loads the compiled catalogue of federal and Samara support measures (opportunities/data/)."""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from projectoffice.classifiers.models import Region
from projectoffice.lib import formats
from projectoffice.opportunities.models import (
    GrantedStatus,
    Opportunity,
    OpportunityKind,
    OpportunityStatus,
    Recurrence,
)
from projectoffice.opportunities.services import opportunity_create, opportunity_update

CATALOGUE = Path(__file__).resolve().parent / "data" / "support_measures.csv"
LICENCE = "Компиляция фактов из открытых источников с короткими цитатами (ГК РФ ст. 1274); см. источник"
MILLION = Decimal(1_000_000)
# The compiled file describes its sources in English; pages show the Russian description.
SOURCE_KINDS = {
    "official site of the fund": "официальный сайт фонда",
    "university re-post of fund call": "перепечатка объявления фонда на сайте университета",
    "media (EN translation)": "СМИ (перевод на английский)",
    "news re-post of legal update": "перепечатка новости об изменении правил",
    "regional SME support portal (Moscow oblast)": "региональный портал поддержки МСП (Московская область)",
    "media": "СМИ",
    "media (со ссылкой на Коммерсант)": "СМИ (со ссылкой на «Коммерсантъ»)",
    "regional fund site": "сайт регионального фонда",
    "media (opinion)": "СМИ (мнение)",
    "media re-post": "перепечатка в СМИ",
    "regional media": "региональные СМИ",
    "official regional legal act": "официальный региональный правовой акт",
    "consulting site": "сайт консалтинговой компании",
}
ISO_DAY = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
ISO_MONTH = re.compile(r"\b(\d{4})-(\d{2})\b")

# Structured rules read off each row's eligibility text and source; the text itself is kept beside them.
RULES: dict[str, dict[str, Any]] = {
    "fsi_start": {
        "kind": OpportunityKind.GRANT,
        "max_company_age_years": 2,
        "size_categories": ["micro", "small"],  # any small enterprise: lots from IT to medicine and materials
        "trl_min": 1,
        "trl_max": 5,
        "project_stages": ["idea", "screening", "packaging"],
        "recurrence": Recurrence.YEARLY,
    },
    "fsi_business_start": {
        "kind": OpportunityKind.GRANT,
        "max_revenue": 150 * MILLION,
        "size_categories": ["micro", "small"],
        "trl_min": 5,
        "trl_max": 8,
        "recurrence": Recurrence.YEARLY,
    },
    "fsi_start_2015": {
        "kind": OpportunityKind.GRANT,
        "max_company_age_years": 2,
        "max_revenue": MILLION,
        "okved_prefixes": ["72.1"],
        "status": OpportunityStatus.CLOSED,
    },
    "fsi_digital_2022": {  # «малые предприятия — разработчики/применяющие российские цифровые решения»
        "kind": OpportunityKind.GRANT,
        "size_categories": ["micro", "small"],
        "trl_min": 4,
        "trl_max": 9,
    },
    "rfrit_dev_grants_pp550": {
        "kind": OpportunityKind.GRANT,
        # The row's own source page says so: «конкурс приостановлен на неопределенный срок» (no date given).
        "status": OpportunityStatus.SUSPENDED,
        "suspension_reason": "на странице источника: «конкурс приостановлен на неопределенный срок»; "
        "дата приостановки в источнике не указана",
        "registered_software_required": True,
        "own_share_min": 20,
        "audience_kinds": ["it_company"],
        "trl_min": 4,
        "trl_max": 8,
        "project_stages": ["screening", "packaging"],
        "loan_term_months": 18,
    },
    "rfrit_2022_range": {
        "kind": OpportunityKind.GRANT,
        "audience_kinds": ["it_company"],
        "status": OpportunityStatus.CLOSED,
    },
    "rfrit_osobo_znachimye_2025": {
        "kind": OpportunityKind.COMPETITION,
        "own_share_min": 50,
        "audience_kinds": ["it_company", "corporation", "industrial"],
        "trl_min": 6,
        "trl_max": 9,
        "recurrence": Recurrence.WAVES,
    },
    "rfrit_2021": {
        "kind": OpportunityKind.GRANT,
        "audience_kinds": ["it_company", "industrial", "corporation"],
        "status": OpportunityStatus.CLOSED,
    },
    "frp_proekty_razvitiya": {
        "kind": OpportunityKind.LOAN,
        "audience_kinds": ["industrial", "corporation"],
        "okved_prefixes": [
            "10",
            "11",
            "13",
            "14",
            "15",
            "16",
            "17",
            "20",
            "21",
            "22",
            "23",
            "24",
            "25",
            "26",
            "27",
            "28",
            "29",
            "30",
            "31",
            "32",
            "33",
        ],
        "loan_rate": Decimal(3),
        "loan_term_months": 60,
        "trl_min": 7,
        "trl_max": 9,
        "recurrence": Recurrence.ROLLING,
    },
    "frp_digitalization_2018": {
        "kind": OpportunityKind.LOAN,
        "audience_kinds": ["industrial"],
        "loan_rate": Decimal(1),
        "loan_term_months": 60,
        "status": OpportunityStatus.CLOSED,
    },
    "frp_regional_joint_khabarovsk": {
        "kind": OpportunityKind.LOAN,
        "audience_kinds": ["industrial"],
        "own_share_min": 20,
        "loan_rate": Decimal(5),
        "loan_term_months": 60,
        "is_federal": False,
        "region": "RU-KHA",
        "recurrence": Recurrence.ROLLING,
    },
    "skolkovo_microgrants": {
        "kind": OpportunityKind.GRANT,
        "audience_kinds": ["it_company"],
        "trl_min": 3,
        "trl_max": 7,
    },
    "it_accreditation_benefits": {
        "kind": OpportunityKind.TAX_BENEFIT,
        "grants_status": GrantedStatus.IT_ACCREDITATION,
        "audience_kinds": ["it_company"],
        "okved_prefixes": ["58.2", "62", "63"],
        "recurrence": Recurrence.ROLLING,
    },
    "it_accreditation_2025_changes": {
        "kind": OpportunityKind.TAX_BENEFIT,
        "grants_status": GrantedStatus.IT_ACCREDITATION,
        "audience_kinds": ["it_company"],
        "status": OpportunityStatus.DRAFT,
    },
    "digital_transformation_loans": {
        "kind": OpportunityKind.LOAN,
        "it_accreditation_required": True,
        "audience_kinds": ["it_company", "industrial", "corporation"],
        "loan_rate": Decimal(1),
    },
    "samara_it_mortgage_comp": {  # «ИТ-специалисты Самарской области»: people, not organisations
        "kind": OpportunityKind.SUBSIDY,
        "is_federal": False,
        "region": "RU-SAM",
        "for_individuals": True,
    },
    "samara_gp_invest_innov": {
        "kind": OpportunityKind.SUBSIDY,
        "is_federal": False,
        "region": "RU-SAM",
        "recurrence": Recurrence.YEARLY,
    },
    "fp_infosec_dev_grants": {
        "kind": OpportunityKind.GRANT,
        "audience_kinds": ["it_company"],
        "registered_software_required": True,
        "trl_min": 4,
        "trl_max": 9,
    },
    "vzlet_startup_ipo": {"kind": OpportunityKind.GRANT, "audience_kinds": ["it_company"], "trl_min": 4, "trl_max": 8},
}


@dataclass(frozen=True)
class CatalogueResult:
    created: int
    updated: int
    unchanged: int


def _amount(value: str) -> Decimal | None:
    try:
        return (Decimal(value.replace(",", ".")) * MILLION).quantize(Decimal(1)) if value.strip() else None
    except InvalidOperation:
        return None


def _share(value: str) -> int | None:
    match = re.search(r"(\d+)\s*%", value)
    return int(match.group(1)) if match else None


def russian_dates(text: str) -> str:
    """«2022-09-14, анонс» → «14.09.2022, анонс»; «2022-03» → «март 2022»."""
    text = ISO_DAY.sub(lambda m: formats.date(dt.date(int(m[1]), int(m[2]), int(m[3]))), text)
    return ISO_MONTH.sub(lambda m: formats.month_year(dt.date(int(m[1]), int(m[2]), 1)), text)


def row_values(row: dict[str, str]) -> dict[str, Any]:
    """Model values of one catalogue row: its own figures and text, then the structured rules."""
    rules = dict(RULES.get(row["id"], {}))
    region_code = rules.pop("region", None)
    values: dict[str, Any] = {
        "kind": OpportunityKind.GRANT,
        "title": f"{row['program']}",
        "summary": row["other_conditions"],
        "provider_name": row["operator"],
        "instrument": row["instrument"],
        "amount_min": _amount(row["amount_min_mln_rub"]),
        "amount_max": _amount(row["amount_max_mln_rub"]),
        "own_share_min": _share(row["applicant_own_share_min"]),
        "term_note": row["term"][:300],
        "eligibility_text": row["eligibility"],
        "conditions": row["other_conditions"],
        "source_url": row["source_url"],
        "source_kind": SOURCE_KINDS.get(row["source_kind"], row["source_kind"])[:200],
        "source_quote": row["quote"],
        "source_date_note": russian_dates(row["status_or_date_note"])[:300],
        "licence": LICENCE,
        "status": OpportunityStatus.PUBLISHED,
        "suspended_on": None,
        "suspension_reason": "",
        "region": Region.objects.filter(iso_code=region_code).first() if region_code else None,
    }
    values.update(rules)
    return values


def load_catalogue(path: Path = CATALOGUE) -> CatalogueResult:
    """Create or refresh every row; rows the office has verified since are left as the office keeps them."""
    created = updated = unchanged = 0
    with path.open(encoding="utf-8", newline="") as handle, transaction.atomic():
        for row in csv.DictReader(handle):
            existing = Opportunity.objects.filter(external_id=row["id"]).first()
            if existing is not None and existing.verified_on is not None:
                unchanged += 1  # the office has checked and possibly corrected this row
                continue
            values = row_values(row)
            if values["status"] == OpportunityStatus.SUSPENDED:  # noted when first loaded, kept on reloads
                values["suspended_on"] = (existing.suspended_on if existing else None) or timezone.localdate()
            data = {"external_id": row["id"], **values}
            if existing is None:
                opportunity_create(actor=None, data=data)
                created += 1
                continue
            _opportunity, changed = opportunity_update(actor=None, opportunity=existing, data=data)
            updated += changed
            unchanged += not changed
    return CatalogueResult(created, updated, unchanged)
