"""Every page of the demo, for every role, reads in Russian: a Latin word is a name, a code, a unit or an address,
dates are дд.мм.гггг, never ISO, amounts are not written as a program prints them («150000000.00») and a count
agrees with its noun («2 занятия», never «2 занятий»). The same walk checks the HTML a screen reader relies on
(the Nu HTML Checker runs over the demo in CI, .ci/htmlcheck.sh; this is its quick part): no form inside a span,
no empty table header, no section taking the role of a list item, no label for nothing, no duplicate id, no
aria-describedby pointing at nothing.

The demo region is loaded into the test database, then each role walks the links of the pages it can open,
starting from the home page and the menus (htmx panels included), staying on the site. A few pages of each
URL shape are enough (`/projects/7/` stands for all projects), which keeps the walk bounded.
"""

from __future__ import annotations

import re
from collections import defaultdict, deque
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models
from django.test import Client

from projectoffice.accounts.models import User
from projectoffice.classifiers.loaders import load_all
from projectoffice.lib.formats import plural_form

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "staff", "grantor", "expert", "member", "community"]
PAGES_PER_ROLE = 400
PAGES_PER_SHAPE = 2
NOT_FOLLOWED = ("/api/", "/static/", "/media/", "/accounts/logout/", "/admin/logout/", "/admin/jsi18n/")
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
PROGRAM_NUMBER = re.compile(r"\b\d{4,}\.\d+\b|\b\d+\.00\b")
WORD = re.compile(r"[A-Za-z][A-Za-z0-9_'’\-]*")
# Addresses (e-mail, web, domains), masked secrets (a password's salt) and file extensions, taken out first.
ADDRESS = re.compile(
    r"\S+@\S+|https?://\S+|\b[\w.-]+\.(?:ru|рф|com|org|net|io|gov|info|news|invalid)\b(?:/\S*)?|\.[A-Za-z]\w*\b|\S*\*{3,}\S*"
)
# Kept on purpose: the keyboard keys named in the admin's Russian hint for multiple selection; the alt text of
# the admin's yes/no and search icons, which Django does not translate; file types, which are codes.
ALLOWED = {"Control", "Command", "Mac", "True", "False", "Search", "pdf", "docx", "xlsx", "jpg", "png"}
# Free text typed or imported by people is allowed to hold Latin names (products, technologies, quotes);
# these fields are not such text: logins and codes are shown as their labels or not at all, and the
# catalogue's source description is a label the loader translates.
NOT_NAMES = {"username", "password", "source_kind", "search_text", "action", "key"}
SKIPPED_ELEMENTS = {"script", "style", "code", "pre", "kbd", "samp", "template"}
VISIBLE_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")
# Nouns shown next to counts, as (one, few, many): «1 занятие», «2 занятия», «5 занятий».
NOUNS = [
    ("занятие", "занятия", "занятий"), ("запись", "записи", "записей"), ("место", "места", "мест"),
    ("день", "дня", "дней"), ("отзыв", "отзыва", "отзывов"), ("знак", "знака", "знаков"),
    ("колонка", "колонки", "колонок"), ("проект", "проекта", "проектов"), ("организация", "организации", "организаций"),
    ("заявка", "заявки", "заявок"), ("участник", "участника", "участников"), ("сертификат", "сертификата", "сертификатов"),
    ("мероприятие", "мероприятия", "мероприятий"), ("эксперт", "эксперта", "экспертов"), ("файл", "файла", "файлов"),
    ("документ", "документа", "документов"), ("строка", "строки", "строк"), ("сессия", "сессии", "сессий"),
    ("регистрация", "регистрации", "регистраций"), ("показатель", "показателя", "показателей"),
]  # fmt: skip
COUNTED = re.compile(
    r"(?<![\d.,])(\d{1,3}(?:[\u00a0 ]\d{3})*)[\u00a0 ]+(" + "|".join(w for f in NOUNS for w in f) + r")(?![а-яё])"
)
FORMS = {word: forms for forms in NOUNS for word in forms}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
PHRASING = {"span", "a", "p", "small", "strong", "em", "label", "button", "b", "i", "abbr", "code", "time"}


class Page(HTMLParser):
    """The text a person sees (and the hints they hover over) and the links the page offers."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.links: list[str] = []
        self.skipping = 0
        self.stack: list[str] = []
        self.english: list[int] = []  # depths of elements marked lang="en": English by design, not checked
        self.header_text: list[str] | None = None
        self.ids: list[str] = []
        self.described_by: list[str] = []
        self.problems: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        self.check_html(tag, values)
        if tag not in VOID:
            self.stack.append(tag)
            if (values.get("lang") or "").startswith("en"):
                self.english.append(len(self.stack))
                self.skipping += 1
        if tag == "th":
            self.header_text = []
        if tag in SKIPPED_ELEMENTS:
            self.skipping += 1
        for name in ("href", "hx-get"):
            if values.get(name) and (tag == "a" or name == "hx-get"):
                self.links.append(values[name] or "")
        if not self.skipping:
            self.text += [values[a] or "" for a in VISIBLE_ATTRIBUTES if values.get(a)]
            if tag == "input" and values.get("type") in ("submit", "button") and values.get("value"):
                self.text.append(values["value"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED_ELEMENTS:
            self.skipping -= 1
        if tag == "th" and self.header_text is not None:
            if not "".join(self.header_text).strip():
                self.problems.add("HTML: пустой заголовок таблицы <th>")
            self.header_text = None
        if tag in self.stack:
            while self.stack.pop() != tag:
                pass
        while self.english and len(self.stack) < self.english[-1]:
            self.english.pop()
            self.skipping -= 1

    def handle_data(self, data: str) -> None:
        if self.header_text is not None:
            self.header_text.append(data)
        if not self.skipping:
            self.text.append(data)

    def check_html(self, tag: str, values: dict[str, str | None]) -> None:
        if tag == "form" and self.stack and self.stack[-1] in PHRASING:
            self.problems.add(f"HTML: <form> внутри <{self.stack[-1]}>")
        if tag == "section" and values.get("role") == "listitem":
            self.problems.add('HTML: <section role="listitem">')
        if tag == "label" and values.get("for") == "":
            self.problems.add('HTML: <label for="">')
        if values.get("id"):
            self.ids.append(values["id"] or "")
        self.described_by += (values.get("aria-describedby") or "").split()

    def html_problems(self) -> set[str]:
        problems = set(self.problems)
        duplicates = {i for i in self.ids if self.ids.count(i) > 1}
        problems |= {f"HTML: id «{i}» повторяется" for i in duplicates}
        problems |= {f"HTML: aria-describedby на несуществующий «{i}»" for i in self.described_by if i not in self.ids}
        return problems


def names_in_the_data() -> set[str]:
    """Latin words people typed or imported into free text: names of organisations, products, technologies."""
    words: set[str] = set()
    for model in apps.get_models():
        if not model.__module__.startswith("projectoffice."):
            continue
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField) and not f.choices and f.name not in NOT_NAMES
        ]
        for row in model.objects.values_list(*fields) if fields else []:
            for value in row:
                words.update(w.strip("-'’").casefold() for w in WORD.findall(ADDRESS.sub(" ", value or "")))
    return words


def foreign_words(text: str, names: set[str]) -> set[str]:
    found = set()
    for word in WORD.findall(ADDRESS.sub(" ", text)):
        word = word.strip("-'’")
        if not word or word in ALLOWED or word.casefold() in names:
            continue
        if word.upper() == word or any(ch.isdigit() for ch in word):
            continue  # abbreviations and codes: KPI, TRL, PDF, QR, BY-SA, UTF-8, v1
        found.add(word)
    return found


def wrong_plurals(text: str) -> set[str]:
    """«2 занятий», «21 мест»: a count whose noun is in the form of another count."""
    found = set()
    for count, word in COUNTED.findall(text):
        if word != plural_form(int(re.sub(r"\D", "", count)), *FORMS[word]):
            found.add(f"«{count} {word}»")
    return found


def offending(text: str, names: set[str]) -> set[str]:
    """English words and codes, ISO dates, numbers as a program prints them and counts that disagree with nouns."""
    plain = ADDRESS.sub(" ", text)
    found = foreign_words(text, names) | set(ISO_DATE.findall(plain)) | set(PROGRAM_NUMBER.findall(plain))
    return found | wrong_plurals(plain)


def shape(path: str) -> str:
    """/projects/7/?page=2&q=x → /projects/N/?page&q: pages of one shape show the same labels."""
    parts = urlsplit(path)
    if parts.path.startswith("/admin/"):
        return re.sub(r"\d+", "N", parts.path)  # the admin's sorting and filter links show the same labels
    keys = "&".join(sorted(k.split("=")[0] for k in parts.query.split("&") if k))
    return re.sub(r"\d+", "N", parts.path) + ("?" + keys if keys else "")


def walk(client: Client, names: set[str]) -> tuple[dict[str, set[str]], list[str], int]:
    """(foreign word → pages), pages that failed, pages read."""
    queue: deque[str] = deque(["/"])
    seen: set[str] = set()
    shapes: defaultdict[str, int] = defaultdict(int)
    found: dict[str, set[str]] = defaultdict(set)
    failed: list[str] = []
    while queue and len(seen) < PAGES_PER_ROLE:
        path = queue.popleft()
        if path in seen or shapes[shape(path)] >= PAGES_PER_SHAPE:
            continue
        seen.add(path)
        shapes[shape(path)] += 1
        response = client.get(path)
        if response.status_code >= 500:
            failed.append(f"{path} → {response.status_code}")
            continue
        if response.status_code in (301, 302):
            queue.append(response["Location"])
            continue
        if "text/html" not in response.get("Content-Type", ""):
            continue
        page = Page()
        page.feed(response.content.decode())
        text = " ".join(page.text)
        # Django's admin is Django's HTML (its help texts, its empty header over the row checkboxes): not checked.
        html = page.html_problems() if not path.startswith("/admin/") else set()
        for word in offending(text, names) | html:
            found[word].add(path)
        for link in page.links:
            target = urlsplit(urljoin(path, link))
            if target.scheme not in ("", "http") or target.netloc not in ("", "testserver"):
                continue
            local = target.path + (f"?{target.query}" if target.query else "")
            if not local.startswith(NOT_FOLLOWED) and local not in seen:
                queue.append(local)
    return found, failed, len(seen)


@pytest.fixture
def demo(capsys: pytest.CaptureFixture[str]) -> None:
    load_all()
    call_command("load_demo", allow_non_embedded=True)
    capsys.readouterr()


def test_no_page_of_the_demo_shows_english_words_codes_wrong_plurals_or_broken_html_to_any_role(demo: None) -> None:
    names = names_in_the_data()
    problems = []
    for role in ROLES:
        client = Client()
        if role != "anonymous":
            client.force_login(User.objects.get(username=role))
        found, failed, read = walk(client, names)
        assert read >= 10, f"{role}: only {read} pages reached"
        problems += [f"{role}: {line}" for line in failed]
        problems += [f"{role}: «{word}» on {', '.join(sorted(pages)[:3])}" for word, pages in sorted(found.items())]
    assert not problems, "\n".join(problems)


def test_the_walk_notices_an_english_label() -> None:
    page = Page()
    page.feed('<p>Вид: media <code>okved2</code> <span title="technologies">ТРЛ</span> KPI v1 https://x.ru/a</p>')
    assert foreign_words(" ".join(page.text), {"python"}) == {"media", "technologies"}
    assert offending("Дата 2022-09-14, план 150000000.00, в отчёте 0.00; ОКВЭД 62.01, 150 000 000 ₽", set()) == {
        "2022-09-14",
        "150000000.00",
        "0.00",
    }


def test_the_walk_notices_a_count_that_disagrees_with_its_noun() -> None:
    assert wrong_plurals("Курс · 2 занятий · 21 место · 5 мест · 1\u00a0000 записей · 3 проекта") == {"«2 занятий»"}
    assert wrong_plurals("43 организаций в реестре; ОКВЭД 62.01 проект") == {"«43 организаций»"}


def test_the_walk_notices_html_a_screen_reader_stumbles_on() -> None:
    page = Page()
    page.feed(
        '<span class="u"><form method="post"></form></span><table><tr><th></th><th><span>Год</span></th></tr></table>'
        '<section role="listitem"></section><label for="">Сессии</label><input id="a" aria-describedby="a_help">'
        '<input id="a">'
    )
    assert page.html_problems() == {
        "HTML: <form> внутри <span>",
        "HTML: пустой заголовок таблицы <th>",
        'HTML: <section role="listitem">',
        'HTML: <label for="">',
        "HTML: id «a» повторяется",
        "HTML: aria-describedby на несуществующий «a_help»",
    }
