"""The needs service's operations in a browser: the enterprise answers the survey on a phone by the e-mailed link;
the office looks at needs by age (one-click reminder), the landscape of demand and the statistics."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from projectoffice.needs import outcomes
from projectoffice.needs.models import SatisfactionSurvey
from tests.browser.conftest import login, shot
from tests.factories import UserFactory
from tests.needs.ops_factories import closed_need, sent_need

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "browser-pass-123"


def test_the_enterprise_answers_the_survey_on_a_phone(page) -> None:  # type: ignore[no-untyped-def]
    need = closed_need(11)
    outcomes.send_surveys()
    link = re.search(r"https?://[^/\s]+(/needs/survey/[^\s]+/)", mail.outbox[-1].body).group(1)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(page.base_url + link)
    page.wait_for_selector("text=Как прошла работа по вашей потребности?")
    page.check("input[name=contacted][value=yes]")
    page.check("input[name=useful][value=yes]")
    page.check("input[name=outcome][value=chose_solution]")
    page.select_option("select[name=rating]", "5")
    page.fill("textarea[name=comment]", "Выбрали систему диспетчеризации, начинаем пилот")
    shot(page, "60-needs-survey-phone")
    page.click("button:has-text('Отправить ответ')")
    page.wait_for_selector("text=Ваш ответ получен")
    shot(page, "61-needs-survey-thanks")
    survey = SatisfactionSurvey.objects.get(need=need)
    assert survey.useful is True and survey.outcome == "chose_solution" and survey.rating == 5
    page.goto(page.base_url + link)
    page.wait_for_selector("text=Вы уже ответили")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_staff_see_needs_by_age_the_landscape_and_the_statistics(page) -> None:  # type: ignore[no-untyped-def]
    waiting = sent_need(12)
    closed_need(0.1)
    UserFactory(username="olga", role="staff", password=PASSWORD)
    login(page, "olga", PASSWORD)
    page.goto(page.base_url + "/needs/ages/")
    page.wait_for_selector("text=Потребности по возрасту")
    page.click(f"form[action='/needs/ages/{waiting.pk}/remind/'] button")
    page.wait_for_selector("text=напоминание отправлено")
    shot(page, "62-needs-ages")
    page.goto(page.base_url + "/needs/landscape/staff/")
    page.wait_for_selector("text=Ландшафт спроса на цифровизацию")
    shot(page, "63-needs-landscape-staff")
    page.goto(page.base_url + "/needs/landscape/")
    page.wait_for_selector("text=Только количества")
    page.goto(page.base_url + "/needs/stats/")
    page.wait_for_selector("text=По экспертам")
    shot(page, "64-needs-stats")


def test_on_a_phone_the_landscape_labels_never_run_into_their_bars(page) -> None:  # type: ignore[no-untyped-def]
    from tests.needs.factories import SubjectFactory, ThemeFactory

    security = SubjectFactory(theme=ThemeFactory(name="Безопасность"), name="Кибербезопасность")
    import_ = SubjectFactory(theme=ThemeFactory(name="Управление предприятием"), name="Импортозамещение ПО")
    for subject in (security, import_):
        for _ in range(3):
            closed_need(1, subject=subject)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(page.base_url + "/needs/landscape/")
    page.wait_for_selector("text=Кибербезопасность")
    overlaps = page.evaluate(
        """() => [...document.querySelectorAll('.bars li')].filter(li => {
            const text = document.createRange();
            text.selectNodeContents(li.querySelector('.bar-label'));
            const label = text.getBoundingClientRect();  // the words themselves, even when they overflow their box
            const bar = li.querySelector('.bar-track').getBoundingClientRect();
            const sideBySide = label.right > bar.left && label.left < bar.right;
            const stacked = label.bottom > bar.top && label.top < bar.bottom;
            return sideBySide && stacked;
        }).map(li => li.querySelector('.bar-label').textContent)"""
    )
    assert overlaps == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
