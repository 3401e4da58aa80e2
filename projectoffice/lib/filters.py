"""Template filters over `projectoffice.lib.formats`; a builtin of every template (config/settings.py), no {% load %}.

money «150 000 000 ₽», money:"kopecks" «4 993 000,00 ₽», number «1 234,5» (up to two decimals; number:0 or
number:2 exactly so many; number:"-3" up to three), percent «46 %», ru_date «31.12.2026», ru_datetime
«31.12.2026 08:00» (local time), ru_time «08:00», ru_day_month «31.12», ru_month_year «декабрь 2026»,
plural:"запись,записи,записей" «5 записей», noun:"запись,записи,записей" «записей» (the form alone, for a
count shown apart), person «Анна Сотрудникова»; iso_datetime is for the `datetime`
attribute of <time>, never for text a person reads.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template

from projectoffice.lib import formats

register = template.Library()


@register.filter
def money(value: Any, arg: str = "") -> str:
    return formats.money(value, kopecks=arg == "kopecks")


@register.filter
def number(value: Any, places: int | str | None = None) -> str:
    """No argument: up to two decimals; `:0`, `:2`: exactly so many; `:"-3"`: up to three."""
    if places in (None, ""):
        return formats.number(value)
    count = int(places)
    return formats.number(value, up_to=-count) if count < 0 else formats.number(value, count)


@register.filter
def percent(value: Any, places: int | str | None = None) -> str:
    return formats.percent(value, None if places in (None, "") else int(places))


@register.filter
def ru_date(value: dt.date | dt.datetime | str | None) -> str:
    return formats.date(value) if value not in ("", None) else ""


@register.filter
def ru_datetime(value: dt.datetime | str | None) -> str:
    return formats.datetime(value) if value not in ("", None) else ""


@register.filter
def ru_time(value: dt.datetime | dt.time | None) -> str:
    return formats.time(value) if value not in ("", None) else ""


@register.filter
def ru_day_month(value: dt.date | dt.datetime | None) -> str:
    return formats.day_month(value) if value not in ("", None) else ""


@register.filter
def ru_month_year(value: dt.date | dt.datetime | None) -> str:
    return formats.month_year(value) if value not in ("", None) else ""


@register.filter
def plural(count: Any, forms: str) -> str:
    """`forms` is «one,few,many»: "запись,записи,записей"."""
    one, few, many = (form.strip() for form in forms.split(","))
    return formats.plural(count, one, few, many)


@register.filter
def noun(count: Any, forms: str) -> str:
    """Only the agreeing form, for a count shown apart (a stat card's label): "проект,проекта,проектов"."""
    one, few, many = (form.strip() for form in forms.split(","))
    return formats.plural_form(count, one, few, many)


@register.filter
def person(user: Any) -> str:
    return formats.person(user) if user else ""


@register.filter
def iso_datetime(value: dt.datetime | None) -> str:
    """Machine-readable moment for the `datetime` attribute of <time>; people read the text inside."""
    return formats.local(value).isoformat(timespec="seconds") if value else ""
