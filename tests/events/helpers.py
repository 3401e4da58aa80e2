"""What event tests share: registering through the public page and following a link from the last e-mail."""

from __future__ import annotations

import re

from django.core import mail
from django.test import Client
from django.urls import reverse


def register(client: Client, event, email: str, meta: dict[str, str] | None = None, **extra):  # type: ignore[no-untyped-def]
    """Fill the event's registration form as a person would (the form's start time read from the page)."""
    page = client.get(reverse("events:detail", args=[event.slug]))
    started = re.search(r'name="started" value="([^"]+)"', page.content.decode()).group(1)
    data = {"full_name": "Иван Петров", "email": email, "consent": "on", "started": started, **extra}
    return client.post(reverse("events:detail", args=[event.slug]), data, **(meta or {}))


def mailed_link(pattern: str, message_index: int = -1) -> str:
    """The path of the /events/<pattern>/… link in an e-mail sent (the last one unless told)."""
    body = mail.outbox[message_index].body
    return re.search(rf"https?://[^/\s]+(/events/{pattern}/[^\s]+/)", body).group(1)
