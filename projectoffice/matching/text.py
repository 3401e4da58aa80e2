"""Russian text normalisation: tokens, lemmas (pymorphy3, cached) and stop words."""

from __future__ import annotations

import re
from functools import lru_cache

import pymorphy3

_TOKEN = re.compile(r"[0-9]+(?:[.,][0-9]+)*|[a-zа-яё]+(?:-[a-zа-яё]+)*", re.IGNORECASE)
MAX_TEXT_CHARS = 20_000  # longer texts are cut: a notice's subject never needs more

STOP_WORDS = frozenset(
    [
        "а",
        "и",
        "в",
        "во",
        "на",
        "по",
        "с",
        "со",
        "к",
        "ко",
        "о",
        "об",
        "от",
        "до",
        "за",
        "из",
        "из-за",
        "под",
        "над",
        "при",
        "для",
        "без",
        "про",
        "через",
        "не",
        "ни",
        "но",
        "да",
        "же",
        "ли",
        "бы",
        "или",
        "либо",
        "то",
        "это",
        "этот",
        "эта",
        "эти",
        "тот",
        "та",
        "те",
        "так",
        "также",
        "как",
        "что",
        "чтобы",
        "кто",
        "где",
        "когда",
        "который",
        "которая",
        "которые",
        "котором",
        "его",
        "ее",
        "её",
        "их",
        "им",
        "ими",
        "него",
        "неё",
        "нее",
        "них",
        "он",
        "она",
        "оно",
        "они",
        "мы",
        "вы",
        "я",
        "ты",
        "свой",
        "своя",
        "свои",
        "себя",
        "весь",
        "вся",
        "все",
        "всё",
        "всех",
        "быть",
        "являться",
        "иметь",
        "мочь",
        "должный",
        "один",
        "два",
        "три",
        "прочий",
        "иной",
        "другой",
        "такой",
        "каждый",
        "любой",
        "год",
        "г",
        "т",
        "д",
        "др",
        "пр",
        "ст",
        "п",
        "шт",
        "руб",
        "рубль",
        "тыс",
        "млн",
        "млрд",
        "ед",
        "услуга",
        "работа",
        "поставка",
        "оказание",
        "выполнение",
        "осуществление",
        "закупка",
        "нужда",
        "обеспечение",
        "основа",  # «на основе»: a compound preposition
        "предлагать",
        "демо",  # the demo data's «(демо)» mark is not a topic (pymorphy3 would take it for a verb form)
    ]
)


@lru_cache(maxsize=1)
def _morph() -> pymorphy3.MorphAnalyzer:
    return pymorphy3.MorphAnalyzer()


@lru_cache(maxsize=200_000)
def lemma(word: str) -> str:
    """The dictionary form of a lower-case word (numbers and Latin words are kept as they are)."""
    if not word.isalpha() or word.isascii():
        return word
    return _morph().parse(word)[0].normal_form.replace("ё", "е")


def tokens(text: str) -> list[str]:
    return [t.lower() for t in _TOKEN.findall(text[:MAX_TEXT_CHARS])]


def lemmas(text: str, *, keep_stop_words: bool = False) -> list[str]:
    """Lemmas of the text's words, stop words and one-letter words dropped."""
    result = []
    for token in tokens(text):
        word = lemma(token)
        if keep_stop_words or (word not in STOP_WORDS and token not in STOP_WORDS and len(word) > 1):
            result.append(word)
    return result
