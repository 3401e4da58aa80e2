"""Template filters that put machine values into HTML attributes write what HTML accepts."""

from __future__ import annotations

import datetime as dt

from projectoffice.lib import filters
from projectoffice.lib.formats import NBSP


def test_iso_datetime_for_a_time_element_has_whole_seconds_in_local_time() -> None:
    """The Nu HTML Checker refuses six-digit fractions of a second in <time datetime>."""
    moment = dt.datetime(2026, 12, 6, 10, 14, 5, 999381, tzinfo=dt.UTC)
    assert filters.iso_datetime(moment) == "2026-12-06T14:14:05+04:00"


def test_noun_gives_the_form_alone_for_a_count_shown_apart() -> None:
    forms = "организация,организации,организаций"
    assert [filters.noun(n, forms) for n in (1, 3, 43, 11, 21)] == [
        "организация",
        "организации",
        "организации",
        "организаций",
        "организация",
    ]
    assert filters.plural(2, "занятие,занятия,занятий") == f"2{NBSP}занятия"
