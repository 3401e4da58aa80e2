"""The procurement readers: OCDS releases streamed one at a time, buyers and items read from them."""

import io
import json

import pytest

from projectoffice.opportunities.procurement import SourceError, read_ocds


def _package(*releases: dict) -> io.BytesIO:
    return io.BytesIO(json.dumps({"releases": list(releases)}).encode())


def test_an_ocds_release_without_a_tender_id_or_an_ocid_is_refused() -> None:
    releases = read_ocds(_package({"date": "2024-01-01T00:00:00Z", "tender": {"title": "Без номера"}}))
    with pytest.raises(SourceError) as refused:
        next(releases)
    assert refused.value.reason == "в выпуске OCDS нет tender.id и ocid"


def test_the_customer_and_its_inn_come_from_the_party_in_the_buyer_role() -> None:
    release = {
        "ocid": "ocds-1",
        "parties": [
            {"name": "ООО «Поставщик»", "roles": ["supplier"], "identifier": {"scheme": "RU-INN", "id": "7700000000"}},
            {"name": "ГБУ «Заказчик»", "roles": ["buyer"], "identifier": {"scheme": "ru-inn-id", "id": "6316000012"}},
        ],
        "tender": {
            "items": [
                {"description": "Ноутбук", "quantity": "3", "classification": {"scheme": "CPV", "id": "30213100"}},
                {"classification": {"scheme": "OKPD2", "id": "26.20.11.110", "description": "Компьютеры"}},
            ]
        },
    }
    position, record = next(read_ocds(_package(release)))
    assert position == "releases[0]"
    assert (record.registry_number, record.customer_name, record.customer_inn) == (
        "ocds-1",
        "ГБУ «Заказчик»",
        "6316000012",
    )
    assert [(item.okpd2_code, item.scheme, item.name, item.quantity) for item in record.items] == [
        ("30213100", "CPV", "Ноутбук", 3),  # a CPV code stays a CPV code, never an OKPD2 one
        ("26.20.11.110", "OKPD2", "Компьютеры", None),
    ]


def test_ocds_is_streamed_from_a_file_like_object() -> None:
    payload = (
        b'{"releases": ['
        + b",".join(
            b'{"date": "2024-01-01T00:00:00Z", "buyer": {"name": "X"}, "tender": {"id": "%d", "title": "t"}}' % n
            for n in range(1000)
        )
        + b"]}"
    )
    records = read_ocds(io.BytesIO(payload))
    assert next(records)[1].registry_number == "0"
    assert sum(1 for _ in records) == 999
