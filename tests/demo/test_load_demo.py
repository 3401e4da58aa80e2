import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from projectoffice.accounts.models import Role, User
from projectoffice.classifiers.loaders import load_all
from projectoffice.organisations.identifiers import is_valid_inn, is_valid_ogrn
from projectoffice.organisations.models import Organisation, OrganisationKind
from projectoffice.projects.models import Project, StageMove
from projectoffice.projects.stages import Stage

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(capsys) -> str:  # type: ignore[no-untyped-def]
    load_all()
    call_command("load_demo", allow_non_embedded=True)  # the test database is throwaway on any engine
    return capsys.readouterr().out


def test_demo_region_has_every_kind_of_organisation_with_valid_identifiers(demo: str) -> None:
    organisations = list(Organisation.objects.all())
    assert len(organisations) >= 40
    assert {o.kind for o in organisations} == set(OrganisationKind.values)
    assert all(o.is_demo and "демо" in o.name for o in organisations)
    assert all(is_valid_inn(o.inn) and is_valid_ogrn(o.ogrn) for o in organisations)
    assert all(o.region.iso_code == "RU-SAM" for o in organisations)


def test_demo_projects_cover_every_stage_with_their_history(demo: str) -> None:
    assert Project.objects.count() >= 25
    assert set(Project.objects.values_list("stage", flat=True)) == set(Stage.values)
    completed = Project.objects.filter(stage=Stage.COMPLETED).first()
    assert completed is not None
    assert StageMove.objects.filter(project=completed).count() == 6


def test_demo_users_log_in_with_the_demo_password(demo: str, client: Client) -> None:
    for username in ("staff", "grantor", "expert", "member", "community"):
        response = client.post("/accounts/login/", {"username": username, "password": "demo-password"})
        assert response.status_code == 302 and response.url == "/", username
        client.post("/accounts/logout/")
    assert User.objects.get(username="member").memberships.get().organisation.kind == "it_company"
    assert User.objects.get(username="grantor").role == Role.GRANTOR
    assert "staff" in demo and "demo-password" in demo


def test_loading_twice_duplicates_nothing(demo: str) -> None:
    counts = (Organisation.objects.count(), Project.objects.count(), User.objects.count(), StageMove.objects.count())
    call_command("load_demo", allow_non_embedded=True)
    assert (
        Organisation.objects.count(),
        Project.objects.count(),
        User.objects.count(),
        StageMove.objects.count(),
    ) == counts


def test_loading_into_a_configured_database_needs_the_explicit_flag(settings) -> None:  # type: ignore[no-untyped-def]
    settings.USING_EMBEDDED_DATABASE = False
    with pytest.raises(CommandError, match="--allow-non-embedded"):
        call_command("load_demo")
    assert not Organisation.objects.exists()


def test_demo_needs_the_classifiers_first() -> None:
    with pytest.raises(CommandError, match="load_classifiers"):
        call_command("load_demo", allow_non_embedded=True)
