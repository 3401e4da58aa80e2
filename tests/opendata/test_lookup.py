"""Card completion by INN against a local stub that replays DaData's documented party answer (findById/party):
nothing here reaches the internet."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from projectoffice.organisations.models import Organisation
from tests.factories import OkvedFactory, RegionFactory

pytestmark = pytest.mark.django_db
KEY = "0123456789abcdef0123456789abcdef01234567"
# The shape of DaData's documented answer to findById/party (suggestions[].data), with Sberbank's public details.
PARTY = {
    "suggestions": [
        {
            "value": "ПАО СБЕРБАНК",
            "unrestricted_value": "ПАО СБЕРБАНК",
            "data": {
                "kpp": "773601001",
                "inn": "7707083893",
                "ogrn": "1027700132195",
                "ogrn_date": 1029456000000,
                "type": "LEGAL",
                "name": {
                    "full_with_opf": 'ПУБЛИЧНОЕ АКЦИОНЕРНОЕ ОБЩЕСТВО "СБЕРБАНК РОССИИ"',
                    "short_with_opf": "ПАО СБЕРБАНК",
                    "full": "СБЕРБАНК РОССИИ",
                    "short": "СБЕРБАНК",
                },
                "okved": "64.19",
                "okved_type": "2014",
                "state": {
                    "status": "ACTIVE",
                    "actuality_date": 1704067200000,
                    "registration_date": 677376000000,
                    "liquidation_date": None,
                },
                "address": {
                    "value": "г Москва, ул Вавилова, д 19",
                    "unrestricted_value": "117312, г Москва, Академический р-н, ул Вавилова, д 19",
                },
            },
        }
    ]
}


class _Stub(BaseHTTPRequestHandler):
    requests: list[tuple[str, dict, str]] = []

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        _Stub.requests.append((self.path, body, self.headers["Authorization"]))
        answer = PARTY if body["query"] == "7707083893" else {"suggestions": []}
        data = json.dumps(answer, ensure_ascii=False).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def dadata_stub(settings) -> Iterator[list]:  # type: ignore[no-untyped-def]
    server = HTTPServer(("127.0.0.1", 0), _Stub)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.DADATA_API_KEY = KEY
    settings.DADATA_SUGGESTIONS_URL = f"http://127.0.0.1:{server.server_port}/suggestions/api/4_1/rs/"
    _Stub.requests = []
    yield _Stub.requests
    server.shutdown()


def test_without_a_key_the_form_has_no_lookup_button(staff_client) -> None:  # type: ignore[no-untyped-def]
    assert "Заполнить по ИНН" not in staff_client.get("/organisations/new/").content.decode()


def test_the_lookup_fills_the_empty_fields_from_the_providers_answer_and_saves_nothing(
    dadata_stub: list, staff_client
) -> None:  # type: ignore[no-untyped-def]
    RegionFactory()
    OkvedFactory(code="64.19", name="Денежное посредничество прочее")
    page = staff_client.get("/organisations/new/").content.decode()
    assert "Заполнить по ИНН" in page
    answer = staff_client.post("/organisations/new/", {"inn": "7707083893", "short_name": "Сбер", "complete": "1"})
    page = answer.content.decode()
    assert 'value="ПУБЛИЧНОЕ АКЦИОНЕРНОЕ ОБЩЕСТВО &quot;СБЕРБАНК РОССИИ&quot;"' in page
    assert 'value="1027700132195"' in page
    assert 'value="1991-06-20"' in page
    assert "117312, г Москва, Академический р-н, ул Вавилова, д 19" in page
    assert 'value="Сбер"' in page  # typed by the person: kept
    assert "статус — действующая" in page
    assert dadata_stub == [("/suggestions/api/4_1/rs/findById/party",
                            {"query": "7707083893", "count": 1, "branch_type": "MAIN"}, f"Token {KEY}")]  # fmt: skip
    assert not Organisation.objects.exists()


def test_an_unknown_inn_or_an_unreachable_provider_says_so(dadata_stub: list, staff_client, settings) -> None:  # type: ignore[no-untyped-def]
    page = staff_client.post("/organisations/new/", {"inn": "7707083894", "complete": "1"}).content.decode()
    assert "По ИНН 7707083894 организация не найдена" in page
    settings.DADATA_SUGGESTIONS_URL = "http://127.0.0.1:9/nothing/"
    page = staff_client.post("/organisations/new/", {"inn": "7707083893", "complete": "1"}).content.decode()
    assert "Сервис DaData недоступен" in page
