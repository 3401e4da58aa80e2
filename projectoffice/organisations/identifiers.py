"""Russian company identifiers: INN and OGRN/OGRNIP with the Federal Tax Service's check digits."""

from __future__ import annotations

from django.core.exceptions import ValidationError

_INN10 = (2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN12_11 = (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN12_12 = (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)


def _check_digit(digits: str, weights: tuple[int, ...]) -> int:
    return sum(int(d) * w for d, w in zip(digits, weights, strict=False)) % 11 % 10


def inn_check_digits(prefix: str) -> str:
    """The check digit(s) that complete a 9-digit (legal entity) or 10-digit (person) INN prefix."""
    if len(prefix) == 9:
        return str(_check_digit(prefix, _INN10))
    if len(prefix) == 10:
        first = str(_check_digit(prefix, _INN12_11))
        return first + str(_check_digit(prefix + first, _INN12_12))
    raise ValueError("INN prefix must have 9 or 10 digits")


def is_valid_inn(value: str) -> bool:
    if not value.isdigit() or len(value) not in (10, 12) or not value.isascii():
        return False
    return value[len(value) - (1 if len(value) == 10 else 2) :] == inn_check_digits(
        value[: 9 if len(value) == 10 else 10]
    )


def ogrn_check_digit(prefix: str) -> str:
    """The check digit that completes a 12-digit OGRN or 14-digit OGRNIP prefix."""
    if len(prefix) == 12:
        return str(int(prefix) % 11 % 10)
    if len(prefix) == 14:
        return str(int(prefix) % 13 % 10)
    raise ValueError("OGRN prefix must have 12 or 14 digits")


def is_valid_ogrn(value: str) -> bool:
    if not value.isdigit() or len(value) not in (13, 15) or not value.isascii():
        return False
    return value[-1] == ogrn_check_digit(value[:-1])


def validate_inn(value: str) -> None:
    """Django validator for an INN (10 digits for organisations, 12 for individuals)."""
    if not value.isdigit() or not value.isascii():
        raise ValidationError("ИНН должен состоять только из цифр.", code="inn_format")
    if len(value) not in (10, 12):
        raise ValidationError("ИНН должен содержать 10 цифр (организация) или 12 (ИП).", code="inn_length")
    if not is_valid_inn(value):
        raise ValidationError("Неверная контрольная сумма ИНН: проверьте цифры.", code="inn_checksum")


def validate_ogrn(value: str) -> None:
    """Django validator for an OGRN (13 digits) or OGRNIP (15 digits)."""
    if not value.isdigit() or not value.isascii():
        raise ValidationError("ОГРН должен состоять только из цифр.", code="ogrn_format")
    if len(value) not in (13, 15):
        raise ValidationError("ОГРН содержит 13 цифр, ОГРНИП — 15.", code="ogrn_length")
    if not is_valid_ogrn(value):
        raise ValidationError("Неверная контрольная цифра ОГРН: проверьте цифры.", code="ogrn_checksum")
