"""Columns shared by the registry's CSV/XLSX export and import."""

from __future__ import annotations

# (key, header): the export writes these headers and the import reads them back.
COLUMNS: list[tuple[str, str]] = [
    ("inn", "ИНН"),
    ("ogrn", "ОГРН"),
    ("name", "Полное наименование"),
    ("short_name", "Краткое наименование"),
    ("kind", "Тип"),
    ("region", "Регион"),
    ("main_okved", "Основной ОКВЭД2"),
    ("extra_okveds", "Дополнительные ОКВЭД2"),
    ("founded_on", "Дата регистрации"),
    ("it_accredited", "Аккредитация ИТ"),
    ("technologies", "Технологии"),
    ("competencies", "Компетенции"),
    ("website", "Сайт"),
    ("email", "Эл. почта"),
    ("phone", "Телефон"),
    ("address", "Адрес"),
    ("description", "Описание"),
]
EXPORT_ONLY: list[tuple[str, str]] = [
    ("size_category", "Категория МСП"),
    ("year", "Год показателей"),
    ("revenue", "Выручка, руб."),
    ("headcount", "Численность"),
]
