import pytest
from django.core.management import call_command
from django.test import Client

from projectoffice.classifiers.loaders import load_all
from projectoffice.demo.participation import SLUG
from projectoffice.participation.models import Answer, CaseState, ModerationCase, Process, Proposal, Remark, Visibility

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo() -> None:
    load_all()
    call_command("load_demo", allow_non_embedded=True)


def test_the_demo_strategy_process_is_in_its_consultation_phase_with_two_versions_and_remarks(demo: None) -> None:
    process = Process.objects.get(slug=SLUG)
    assert process.status() == "open"
    assert process.phases.count() == 2
    assert list(process.draft.versions.values_list("number", flat=True)) == [1, 2]
    remarks = Remark.objects.filter(paragraph__version__draft__process=process)
    assert remarks.count() == 5
    assert sorted(remarks.exclude(disposition="").values_list("disposition", flat=True)) == [
        "accepted",
        "partial",
        "rejected",
    ]


def test_the_demo_has_answers_a_project_from_a_proposal_and_a_reported_comment_in_the_queue(demo: None) -> None:
    assert Answer.objects.filter(published_at__isnull=False).count() == 2
    accepted = Proposal.objects.get(title__startswith="Открыть данные об общественном транспорте")
    assert accepted.project is not None and accepted.supports_count == 5
    case = ModerationCase.objects.get()
    assert (case.state, case.reports_count) == (CaseState.PENDING, 2)
    assert case.content.visibility == Visibility.VISIBLE


def test_loading_the_demo_twice_adds_no_participation_rows(demo: None) -> None:
    before = (Proposal.objects.count(), Remark.objects.count(), ModerationCase.objects.count())
    call_command("load_demo", allow_non_embedded=True)
    assert (Proposal.objects.count(), Remark.objects.count(), ModerationCase.objects.count()) == before


def test_the_demo_pages_of_participation_open_for_a_visitor(demo: None) -> None:
    client = Client()
    for path in (
        "/participation/",
        f"/participation/{SLUG}/",
        f"/participation/{SLUG}/draft/",
        f"/participation/{SLUG}/draft/diff/?b=2",
        f"/participation/{SLUG}/register/",
        "/participation/goals/",
    ):
        assert client.get(path).status_code == 200, path


def test_the_demo_remark_has_a_discussion_votes_and_the_office_sees_statistics(demo: None) -> None:
    from projectoffice.participation.models import DigestSetting
    from tests.conftest import client_for
    from tests.factories import UserFactory

    remark = Remark.objects.get(text__startswith="Добавить программы переподготовки")
    assert (remark.up, remark.down, remark.comments.count()) == (2, 1, 2)
    page = Client().get(f"/participation/remarks/{remark.pk}/").content.decode()
    assert "заводам нужны инженеры" in page
    assert DigestSetting.objects.filter(frequency="daily").count() == 1
    staff_page = client_for(UserFactory(role="staff")).get(f"/participation/{SLUG}/").content.decode()
    assert "Статистика участия" in staff_page
    assert client_for(UserFactory(role="staff")).get(f"/participation/{SLUG}/manage/").status_code == 200
