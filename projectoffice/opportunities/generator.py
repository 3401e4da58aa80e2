"""A deterministic generator of realistic tender notices, for the demo region and the benchmarks.

Notices are put together from real material: the OKPD2 classifier's names, the subjects and customers of real
44-FZ records shipped in data/zakupki/, and the portal's procedure names. The same seed gives the same notices.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from collections.abc import Iterator
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from projectoffice.classifiers.loaders import DATA_DIR
from projectoffice.opportunities.procurement import ItemRecord, TenderRecord
from projectoffice.organisations.identifiers import inn_check_digits

ZAKUPKI = Path(__file__).resolve().parent / "data" / "zakupki"
PROCEDURES = [
    "Электронный аукцион",
    "Запрос котировок в электронной форме",
    "Открытый конкурс в электронной форме",
    "Запрос предложений в электронной форме",
]
VERBS = {
    "26": "Поставка",
    "27": "Поставка",
    "28": "Поставка",
    "58": "Поставка",
    "62": "Оказание услуг:",
    "63": "Оказание услуг:",
    "71": "Выполнение работ:",
    "72": "Выполнение работ:",
    "33": "Выполнение работ:",
}
IT_PREFIXES = ("62.", "63.", "58.29", "26.20", "26.30", "95.11")


@lru_cache(maxsize=1)
def _okpd_leaves() -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]:
    with (DATA_DIR / "okpd2.csv").open(encoding="utf-8", newline="") as handle:
        rows = [(r["code"], r["name"]) for r in csv.DictReader(handle) if r["code"].count(".") == 3]
    it = tuple(row for row in rows if row[0].startswith(IT_PREFIXES))
    return tuple(rows), it


@lru_cache(maxsize=1)
def _customers() -> tuple[str, ...]:
    names: list[str] = []
    with (ZAKUPKI / "reference" / "df_all_orgs.csv").open(encoding="utf-8", newline="") as handle:
        names += [row["responsibleOrg.fullName"] for row in csv.DictReader(handle, delimiter=";")]
    with (ZAKUPKI / "notices44_okpd2-26_2019_multiregion.csv").open(encoding="utf-8", newline="") as handle:
        names += [row["NameCustomer"] for row in csv.DictReader(handle, delimiter=";")]
    return tuple(sorted({name.strip() for name in names if name.strip()}))


def _inn(rng: random.Random, region_tax_code: str) -> str:
    prefix = f"{region_tax_code}{rng.randint(10, 99)}{rng.randint(0, 99999):05d}"
    return prefix + inn_check_digits(prefix)


def generate_notices(
    count: int,
    *,
    seed: int = 63,
    it_share: float = 0.3,
    region_tax_code: str = "63",
    start: dt.date | None = None,
    number_prefix: str = "0342",
    span_days: int = 365,
) -> Iterator[TenderRecord]:
    """`count` notices; `it_share` of them buy IT goods and services, the rest anything in the classifier."""
    rng = random.Random(seed)  # noqa: S311 - reproducible demo and benchmark data
    everything, it = _okpd_leaves()
    customers = _customers()
    start = start or dt.date(2026, 1, 1)
    for n in range(count):
        pool = it if rng.random() < it_share else everything
        items = [pool[rng.randrange(len(pool))] for _ in range(rng.choice((1, 1, 1, 2, 3)))]
        main_code, main_name = items[0]
        verb = VERBS.get(main_code[:2], "Поставка")
        subject = f"{verb} {main_name[0].lower()}{main_name[1:]}"
        if len(items) > 1:
            subject += f" и {len(items) - 1} поз."
        published = start + dt.timedelta(days=n * span_days // max(count, 1))
        moment = dt.datetime(
            published.year, published.month, published.day, 9, tzinfo=dt.timezone(dt.timedelta(hours=3))
        )
        yield TenderRecord(
            registry_number=f"{number_prefix}{n:015d}",
            law="44" if rng.random() < 0.8 else "223",
            title=subject[:500],
            customer_name=customers[rng.randrange(len(customers))],
            customer_inn=_inn(rng, region_tax_code),
            procedure=rng.choice(PROCEDURES),
            max_price=Decimal(rng.randint(50, 50_000) * 1000),
            published_at=moment,
            submission_ends_at=moment + dt.timedelta(days=rng.randint(7, 30)),
            version_at=moment,
            status="open",
            items=[ItemRecord(code, name, Decimal(rng.randint(1, 200))) for code, name in items],
        )
