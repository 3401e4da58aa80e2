"""Shared by the materials tests: a project with its materials filled in."""

from __future__ import annotations

from typing import Any

from projectoffice.materials.models import SECTIONS, Document, Lang, SectionKey
from projectoffice.materials.services import section_save

RU: dict[str, str] = {
    SectionKey.TITLE: "Цифровой двойник насосной станции",
    SectionKey.SUMMARY: "Платформа предиктивного обслуживания насосов.",
    SectionKey.PROBLEM: "Аварии насосов стоят водоканалам миллионы.",
    SectionKey.SOLUTION: "Датчики вибрации и модель отказов.",
    SectionKey.MARKET: "1 200 водоканалов России.",
    SectionKey.TEAM: "Инженеры СамГТУ и разработчики.",
    SectionKey.TRACTION: "Пилот на двух станциях.",
    SectionKey.FINANCIALS: "Нужно 60 млн ₽ на три года.",
    SectionKey.USE_OF_FUNDS: "Разработка 60 %, внедрение 40 %.",
    SectionKey.RISKS: "Длинный цикл продаж.",
}
EN: dict[str, str] = {
    SectionKey.TITLE: "Digital twin of a pumping station",
    SectionKey.SUMMARY: "A predictive maintenance platform for pumps.",
    SectionKey.PROBLEM: "Pump failures cost water utilities millions.",
    SectionKey.SOLUTION: "Vibration sensors and a failure model.",
    SectionKey.MARKET: "1,200 water utilities in Russia.",
    SectionKey.TEAM: "Samara Polytech engineers and developers.",
    SectionKey.TRACTION: "A pilot at two stations.",
    SectionKey.FINANCIALS: "RUB 60 million over three years.",
    SectionKey.USE_OF_FUNDS: "Development 60%, roll-out 40%.",
    SectionKey.RISKS: "A long sales cycle.",
}


def fill(actor: Any, project: Any, lang: str = Lang.RU, texts: dict[str, str] | None = None,
         documents: tuple[str, ...] = (Document.TEASER, Document.MEMO)) -> None:  # fmt: skip
    chosen: dict[str, str] = texts if texts is not None else (RU if lang == Lang.RU else EN)
    for document in documents:
        for key in SECTIONS[Document(document)]:
            if key in chosen:
                section_save(actor=actor, project=project, document=document, key=key, lang=lang, text=chosen[key])
