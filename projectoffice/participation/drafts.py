"""A strategy draft's Markdown: split into sections and paragraphs with stable anchors, rendered safely, compared.

Markdown is rendered by markdown-it-py in CommonMark mode with raw HTML switched off (tags typed into the text
come out as text), and the result goes through nh3 (the ammonia sanitiser) with a short list of tags, so neither
a script nor an event handler nor a `javascript:` link can reach the page. A paragraph's anchor is made from its
text («p-» and ten hex digits of its SHA-1), so a paragraph that did not change between versions keeps its
anchor, and links to it and remarks on it stay valid; a section's anchor is its number («r-2»).
"""

from __future__ import annotations

import difflib
import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache

import nh3
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

ALLOWED_TAGS = {"p", "em", "strong", "ul", "ol", "li", "a", "code", "blockquote", "br", "table", "thead", "tbody",
                "tr", "th", "td", "h3", "h4"}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}


@lru_cache(maxsize=1)
def _md() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")


def render(markdown: str) -> str:
    """Safe HTML of a piece of Markdown."""
    html = _md().render(markdown)
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes={"http", "https", "mailto"})


@dataclass(frozen=True)
class Block:
    section_anchor: str
    section_title: str
    anchor: str
    number: str
    text: str
    html: str


def _anchor(text: str, taken: set[str]) -> str:
    normalised = " ".join(text.split()).lower()
    base = "p-" + hashlib.sha1(normalised.encode("utf-8")).hexdigest()[:10]  # noqa: S324 - an anchor, not a secret
    anchor, n = base, 2
    while anchor in taken:
        anchor, n = f"{base}-{n}", n + 1
    taken.add(anchor)
    return anchor


def split(markdown: str) -> list[Block]:
    """The text's paragraphs (any top-level block: a paragraph, a list, a table, a quote) under their sections
    (level 1 and 2 headings); text before the first heading is the preamble."""
    lines = markdown.splitlines()
    blocks: list[Block] = []
    section_no, section_title, in_section, taken = 0, "Преамбула", 0, set[str]()
    tokens = _md().parse(markdown)
    for i, token in enumerate(tokens):
        if token.level != 0 or token.nesting == -1 or token.map is None:
            continue
        source = "\n".join(lines[token.map[0] : token.map[1]]).strip()
        if token.type == "heading_open" and token.tag in {"h1", "h2"}:
            section_no += 1
            section_title = tokens[i + 1].content.strip()[:300]
            in_section = 0
            continue
        if not source:
            continue
        in_section += 1
        blocks.append(
            Block(
                section_anchor=f"r-{section_no}",
                section_title=section_title,
                anchor=_anchor(source, taken),
                number=f"{section_no}.{in_section}",
                text=source,
                html=render(source),
            )
        )
    return blocks


@dataclass(frozen=True)
class Change:
    kind: str  # "same", "added", "removed", "changed"
    number_before: str
    number_after: str
    html: SafeString  # the paragraph, escaped, with <del> and <ins> around the words that changed


_WORDS = re.compile(r"\s+|[^\s]+")


def _word_diff(before: str, after: str) -> SafeString:
    a, b = _WORDS.findall(before), _WORDS.findall(after)
    out: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(escape("".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(f"<del>{escape(''.join(a[i1:i2]))}</del>")
        if j2 > j1:
            out.append(f"<ins>{escape(''.join(b[j1:j2]))}</ins>")
    return mark_safe("".join(out))  # noqa: S308 - every piece of text in it went through escape()


def _marked(tag: str, text: str) -> SafeString:
    return format_html("<{}>{}</{}>", tag, text, tag)


def compare(before: list[tuple[str, str]], after: list[tuple[str, str]]) -> list[Change]:
    """Paragraph by paragraph, (number, text) pairs of two versions: which stayed, which went, which came, and in
    a changed paragraph which words."""
    changes: list[Change] = []
    matcher = difflib.SequenceMatcher(None, [t for _, t in before], [t for _, t in after], autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            changes += [Change("same", before[i][0], after[j1 + k][0], escape(before[i][1]))
                        for k, i in enumerate(range(i1, i2))]  # fmt: skip
            continue
        pairs = min(i2 - i1, j2 - j1) if op == "replace" else 0
        for k in range(pairs):
            old, new = before[i1 + k], after[j1 + k]
            changes.append(Change("changed", old[0], new[0], _word_diff(old[1], new[1])))
        changes += [Change("removed", before[i][0], "", _marked("del", before[i][1])) for i in range(i1 + pairs, i2)]
        changes += [Change("added", "", after[j][0], _marked("ins", after[j][1])) for j in range(j1 + pairs, j2)]
    return changes
