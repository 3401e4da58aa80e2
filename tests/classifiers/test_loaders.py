import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from projectoffice.classifiers.loaders import load_all, load_regions
from projectoffice.classifiers.models import OkpdCode, OkvedCode, Region
from tests.conftest import client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded() -> None:
    load_all()


def test_the_shipped_classifiers_load_in_full(loaded: None) -> None:
    assert OkvedCode.objects.count() == 2899
    assert OkpdCode.objects.count() == 20328
    assert Region.objects.count() == 86
    samara = Region.objects.get(iso_code="RU-SAM")
    assert (samara.okato, samara.tax_code, samara.federal_district) == ("36000000000", "63", "Приволжский")


def test_codes_know_their_parents_sections_and_levels(loaded: None) -> None:
    software = OkvedCode.objects.get(code="62.01")
    assert (software.section, software.parent_code) == ("J", "62.0")
    assert OkvedCode.objects.get(code="62").parent_code == "J"
    kind = OkpdCode.objects.get(code="01.11.11.111")
    assert (kind.parent_code, kind.section) == ("01.11.11.110", "A")
    assert OkpdCode.objects.get(code="62.01.11.000").parent_code == "62.01.11"


def test_reloading_changes_nothing_and_a_changed_row_is_updated(loaded: None) -> None:
    results = load_all()
    assert all(r.created == 0 and r.updated == 0 for r in results)
    Region.objects.filter(iso_code="RU-SAM").update(name="испорчено")
    assert load_regions().updated == 1
    assert Region.objects.get(iso_code="RU-SAM").name == "Самарская"


def test_the_command_prints_progress_and_a_summary(capsys) -> None:  # type: ignore[no-untyped-def]
    call_command("load_classifiers")
    out = capsys.readouterr().out
    assert "ОКПД2: добавлено 20328 из 20328" in out
    assert "Справочники загружены" in out


def test_search_by_code_prefix_and_by_words_in_any_case(loaded: None) -> None:
    assert list(OkvedCode.objects.search("62.0").values_list("code", flat=True))[:3] == ["62.0", "62.01", "62.02"]
    names = OkvedCode.objects.search("РАЗРАБОТКА программного").values_list("code", flat=True)
    assert "62.01" in names
    with_yo = set(OkpdCode.objects.search("ёлки").values_list("code", flat=True))
    assert with_yo and with_yo == set(OkpdCode.objects.search("елки").values_list("code", flat=True))


def test_picker_suggests_codes_by_words(loaded: None) -> None:
    client = client_for(UserFactory())
    body = client.get(
        reverse("classifiers:suggest", args=["okved2"]), {"q": "программного обеспечения"}
    ).content.decode()
    assert 'data-code="62.01"' in body
    body = client.get(reverse("classifiers:suggest", args=["okpd2"]), {"q": "62.01.1"}).content.decode()
    assert 'data-code="62.01.11"' in body


def test_picker_for_an_unknown_scheme_is_404(client: Client, db) -> None:  # type: ignore[no-untyped-def]
    client.force_login(UserFactory())
    assert client.get(reverse("classifiers:suggest", args=["okato"]), {"q": "1"}).status_code == 404
