"""The national goals and the national project every install starts with; regional goals are entered by staff.

Sources: Указ Президента Российской Федерации от 07.05.2024 № 309 «О национальных целях развития Российской
Федерации на период до 2030 года и на перспективу до 2036 года» (seven goals); the national project «Экономика
данных и цифровая трансформация государства» (passport approved by the Presidential
Council for Strategic Development and National Projects, 2024).
"""

from __future__ import annotations

DECREE = "Указ Президента РФ от 07.05.2024 № 309"

NATIONAL_GOALS = [
    ("ng-1", "Сохранение населения, укрепление здоровья и повышение благополучия людей, поддержка семьи"),
    ("ng-2", "Реализация потенциала каждого человека, развитие его талантов, воспитание патриотичной и социально "
             "ответственной личности"),
    ("ng-3", "Комфортная и безопасная среда для жизни"),
    ("ng-4", "Экологическое благополучие"),
    ("ng-5", "Устойчивая и динамичная экономика"),
    ("ng-6", "Технологическое лидерство"),
    ("ng-7", "Цифровая трансформация государственного и муниципального управления, экономики и социальной сферы"),
]  # fmt: skip

NATIONAL_PROJECT = ("np-data-economy", "Национальный проект «Экономика данных и цифровая трансформация государства»",
                    "Паспорт национального проекта, 2024")  # fmt: skip

ANSWER_STATES = [
    # name, is_accepted, needs_justification
    ("На рассмотрении", False, False),
    ("Принято", True, False),
    ("Принято частично", True, True),
    ("Отклонено", False, True),
]


def goal_rows() -> list[dict[str, object]]:
    rows: list[dict[str, object]] = [
        {"code": code, "kind": "national", "name": name, "source": DECREE, "order": i}
        for i, (code, name) in enumerate(NATIONAL_GOALS, 1)
    ]
    code, name, source = NATIONAL_PROJECT
    rows.append({"code": code, "kind": "national_project", "name": name, "source": source, "order": 1})
    return rows
