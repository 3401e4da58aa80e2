"""A test mail backend that refuses chosen recipients, as an SMTP server refuses a mailbox it does not have."""

from __future__ import annotations

import smtplib
from collections.abc import Sequence
from typing import ClassVar

from django.core.mail import EmailMessage
from django.core.mail.backends import locmem


class RefusingBackend(locmem.EmailBackend):
    """Delivers to mail.outbox like the locmem backend, but raises for a message to a refused address."""

    refused: ClassVar[set[str]] = set()

    def send_messages(self, messages: Sequence[EmailMessage]) -> int:
        for message in messages:
            bad = set(message.recipients()) & self.refused
            if bad:
                raise smtplib.SMTPRecipientsRefused({address: (550, b"5.1.1 mailbox unavailable") for address in bad})
        return super().send_messages(messages)
