from decimal import Decimal

import pytest

from projectoffice.organisations.sizes import SizeCategory, size_category

M = Decimal(1_000_000)


@pytest.mark.parametrize(
    ("headcount", "revenue", "expected"),
    [
        (15, 120 * M, SizeCategory.MICRO),
        (16, 10 * M, SizeCategory.SMALL),
        (10, 121 * M, SizeCategory.SMALL),
        (100, 800 * M, SizeCategory.SMALL),
        (101, 100 * M, SizeCategory.MEDIUM),
        (250, 2000 * M, SizeCategory.MEDIUM),
        (251, 100 * M, SizeCategory.LARGE),
        (50, 2001 * M, SizeCategory.LARGE),
        (None, 50 * M, SizeCategory.MICRO),
        (120, None, SizeCategory.MEDIUM),
        (None, None, None),
    ],
)
def test_size_category_follows_209_fz_thresholds(headcount, revenue, expected) -> None:  # type: ignore[no-untyped-def]
    assert size_category(headcount=headcount, revenue=revenue) == expected
