from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_working_pages_stay_russian_whatever_the_browser_asks() -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    client.cookies["django_language"] = "en"
    response = client.post("/accounts/login/", {"username": "", "password": ""})
    assert response["Content-Language"] == "ru"
    assert "Обязательное поле." in response.content.decode()


def test_public_pages_under_en_are_english() -> None:
    response = Client(HTTP_ACCEPT_LANGUAGE="ru").get("/en/showcase/")
    assert response.status_code == 200
    assert response["Content-Language"] == "en"
    assert '<html lang="en">' in response.content.decode()
    assert Client().get("/showcase/")["Content-Language"] == "ru"
