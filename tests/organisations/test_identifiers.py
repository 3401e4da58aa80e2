import pytest
from django.core.exceptions import ValidationError

from projectoffice.organisations.identifiers import is_valid_inn, is_valid_ogrn, validate_inn, validate_ogrn

# Published identifiers of well-known companies (from their public disclosures and the state register).
REAL_INNS = [
    "7707083893",  # ПАО Сбербанк
    "7736207543",  # ООО «Яндекс»
    "7736050003",  # ПАО «Газпром»
    "7830002293",  # ПАО «Ростелеком»
    "500100732259",  # 12-digit INN of an individual, the usual published example
]
REAL_OGRNS = [
    "1027700132195",  # ПАО Сбербанк
    "1027700229193",  # ООО «Яндекс»
    "1027700070518",  # ПАО «Газпром»
    "1027700198767",  # ПАО «Ростелеком»
    "304500116000157",  # 15-digit OGRNIP, the usual published example
]


@pytest.mark.parametrize("inn", REAL_INNS)
def test_real_inns_are_valid(inn: str) -> None:
    assert is_valid_inn(inn)
    validate_inn(inn)


@pytest.mark.parametrize("ogrn", REAL_OGRNS)
def test_real_ogrns_are_valid(ogrn: str) -> None:
    assert is_valid_ogrn(ogrn)
    validate_ogrn(ogrn)


@pytest.mark.parametrize(
    ("inn", "code"),
    [
        ("7707083894", "inn_checksum"),  # last digit changed
        ("500100732258", "inn_checksum"),
        ("770708389", "inn_length"),
        ("77070838931", "inn_length"),
        ("77070838A3", "inn_format"),
        ("７７０７０８３８９３", "inn_format"),  # full-width digits are not ASCII digits
        ("", "inn_format"),
    ],
)
def test_broken_inns_are_refused_with_a_reason(inn: str, code: str) -> None:
    assert not is_valid_inn(inn)
    with pytest.raises(ValidationError) as error:
        validate_inn(inn)
    assert error.value.code == code


@pytest.mark.parametrize(
    ("ogrn", "code"),
    [
        ("1027700132196", "ogrn_checksum"),
        ("304500116000158", "ogrn_checksum"),
        ("102770013219", "ogrn_length"),
        ("10277001321951", "ogrn_length"),
        ("10277OO132195", "ogrn_format"),
    ],
)
def test_broken_ogrns_are_refused_with_a_reason(ogrn: str, code: str) -> None:
    assert not is_valid_ogrn(ogrn)
    with pytest.raises(ValidationError) as error:
        validate_ogrn(ogrn)
    assert error.value.code == code
