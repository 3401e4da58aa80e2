"""Dates, times, money and plurals a person reads are formatted by projectoffice/lib/formats.py and nowhere else.

The scan reads every template and Python module of projectoffice/ for the ways the code used to format on its
own (Django's `floatformat`, `intcomma` and `|date:"…"`, `strftime`, f-string date formats, thousands with
commas, numbers glued to a noun); machine formats (JSON snapshots, the audit log, iCal, form values, keys) are
listed below with their reason.
"""

from __future__ import annotations

import re
from pathlib import Path

from projectoffice.lib import formats

ROOT = Path(__file__).resolve().parents[2] / "projectoffice"
HOME = {"lib/formats.py", "lib/filters.py"}

TEMPLATE_PATTERNS = {
    "floatformat": re.compile(r"\|\s*floatformat"),
    "intcomma": re.compile(r"\bintcomma\b|\{%\s*load[^%]*\bhumanize\b"),
    "date or time filter with a format": re.compile(r"\|\s*(?:date|time)\s*:"),
    "number glued to a noun": re.compile(
        r"\}\}\s+(?:записей|занятий|дней|дн\.|мест|лет|знаков|отзывов|новых|штук|раз)\b"
    ),
    "unit typed after a number": re.compile(r"(?<!width: )\{\{[^{}]*\}\}\s?(?:%|₽|руб\.)"),
}
PYTHON_PATTERNS = {
    "strftime": re.compile(r"\.strftime\("),
    "f-string date format": re.compile(r"\{[^{}\n]*:%[a-zA-Z][^{}\n]*\}"),
    "isoformat() shown to people": re.compile(r"\.isoformat\(\)"),
    "thousands with commas": re.compile(r"\{[^{}\n]*:,[^{}\n]*\}|\.replace\(\",\", \" \"\)"),
    "decimals with a dot": re.compile(r"\{[^{}\n]*:[^{}\n]*\.[1-9]f\}"),
    "number glued to a noun": re.compile(
        r"\{[^{}\n]+\}\s+(?:записей|занятий|дней|дн\.|мест|лет|знаков|отзывов|новых|штук|раз)\b"
    ),
}
# Machine formats: (module, pattern) → why it may stay.
ALLOWED = {
    ("audit/services.py", "isoformat() shown to people"): "the log stores ISO; AuditEvent.change_rows shows it",
    ("opportunities/services.py", "isoformat() shown to people"): "an audit record's values, shown as above",
    ("kpis/ledger.py", "isoformat() shown to people"): "the frozen report's JSON; documents read it back",
    ("kpis/methods.py", "isoformat() shown to people"): "record days in the frozen report's JSON, shown by ru_date",
    ("organisations/imports.py", "isoformat() shown to people"): "a spreadsheet date handed to the form",
    ("applications/forms.py", "isoformat() shown to people"): "the value of an <input type=date>",
    ("opendata/lookup.py", "isoformat() shown to people"): "the founding date handed to the form's <input type=date>",
    ("participation/digests.py", "isoformat() shown to people"): "the key of a daily digest's period, never shown",
    ("opendata/parsing.py", "isoformat() shown to people"): "a file verdict's JSON kept with the import run",
    ("applications/views.py", "f-string date format"): "the month key that groups the deadline calendar",
    ("needs/landscape.py", "strftime"): "the YYYY-MM keys of the landscape's filters and months (query strings)",
    ("needs/reminders.py", "isoformat() shown to people"): "the day key of a manual reminder in ReminderLog",
    ("needs/views_ops.py", "strftime"): "the YYYY-MM value of the statistics' month choice",
    ("needs/views_ops.py", "f-string date format"): "the month in the XLSX file name and the month choice's value",
}


def _offences() -> list[str]:
    found = []
    for path in sorted(ROOT.rglob("*")):
        relative = str(path.relative_to(ROOT))
        if relative in HOME or "/migrations/" in relative or path.suffix not in (".py", ".html", ".txt"):
            continue
        patterns = PYTHON_PATTERNS if path.suffix == ".py" else TEMPLATE_PATTERNS
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for name, pattern in patterns.items():
                if pattern.search(line) and (relative, name) not in ALLOWED:
                    found.append(f"{relative}:{number}: {name}: {line.strip()[:120]}")
    return found


def test_dates_money_and_plurals_are_formatted_only_by_the_formats_module() -> None:
    assert not _offences(), "format through projectoffice.lib.formats:\n" + "\n".join(_offences())


def test_every_allowed_machine_format_is_still_there() -> None:
    """An entry whose code has gone is removed, so the list stays short."""
    for relative, name in ALLOWED:
        text = (ROOT / relative).read_text(encoding="utf-8")
        assert PYTHON_PATTERNS[name].search(text), f"{relative}: {name} no longer used; drop it from ALLOWED"


def test_the_scan_recognises_each_old_way() -> None:
    samples = {
        "floatformat": "{{ x|floatformat:0|intcomma }} ₽",
        "intcomma": "{% load humanize %}",
        "date or time filter with a format": '{{ e.starts_at|date:"d.m.Y H:i" }}',
        "strftime": 'moment.strftime("%H:%M")',
        "f-string date format": 'f"до {day:%d.%m.%Y}"',
        "isoformat() shown to people": "day.isoformat()",
        "thousands with commas": 'f"{value:,.0f}".replace(",", " ")',
        "decimals with a dot": 'f"{millions:.1f} млн"',
    }
    for name, sample in samples.items():
        pattern = TEMPLATE_PATTERNS.get(name) or PYTHON_PATTERNS[name]
        assert pattern.search(sample), name
    assert TEMPLATE_PATTERNS["number glued to a noun"].search("{{ e.sessions.all|length }} занятий")
    assert TEMPLATE_PATTERNS["unit typed after a number"].search("готовность {{ a.readiness }}%")
    assert not TEMPLATE_PATTERNS["unit typed after a number"].search('style="width: {{ a.readiness }}%"')
    assert PYTHON_PATTERNS["number glued to a noun"].search('f"Дайджест: {len(picks)} новых"')
    assert not PYTHON_PATTERNS["number glued to a noun"].search('f"{formats.plural(n, "день", "дня", "дней")}"')


def test_money_numbers_dates_and_plurals_read_as_in_russian() -> None:
    nbsp = formats.NBSP
    assert formats.money("150000000.00") == f"150{nbsp}000{nbsp}000{nbsp}₽"
    assert formats.money(12345.675, kopecks=True) == f"12{nbsp}345,68{nbsp}₽"
    assert formats.money(1000, currency="USD") == f"1{nbsp}000{nbsp}USD"
    assert formats.number("1234.50") == f"1{nbsp}234,5" and formats.number(-0.001) == "0"
    assert formats.number(2.5, 0) == "3" and formats.number("0.1235", up_to=3) == "0,124"
    assert formats.percent(46) == f"46{nbsp}%" and formats.millions(604_800_000) == f"604,8{nbsp}млн{nbsp}₽"
    assert [formats.plural(n, "запись", "записи", "записей") for n in (1, 2, 5, 11, 21, 112, 1000)] == [
        f"1{nbsp}запись",
        f"2{nbsp}записи",
        f"5{nbsp}записей",
        f"11{nbsp}записей",
        f"21{nbsp}запись",
        f"112{nbsp}записей",
        f"1{nbsp}000{nbsp}записей",
    ]
    assert formats.date("2022-09-14") == "14.09.2022" and formats.date("3 кв. 2026") == "3 кв. 2026"
    assert formats.month_year("2026-12-01") == "декабрь 2026" and formats.day_month("2026-12-01") == "01.12"
    assert formats.datetime("2026-11-27T01:52:00+00:00") == "27.11.2026 05:52"
    assert formats.money(None) == formats.date(None) == formats.person(None) == ""
