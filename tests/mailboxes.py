"""A test mail backend that refuses chosen recipients, as an SMTP server refuses a mailbox it does not have."""

from __future__ import annotations

import os
import smtplib
from collections.abc import Sequence
from typing import ClassVar

from django.core.mail import EmailMessage
from django.core.mail.backends import locmem
from django.core.mail.backends.base import BaseEmailBackend


class RefusingBackend(locmem.EmailBackend):
    """Delivers to mail.outbox like the locmem backend, but raises for a message to a refused address."""

    refused: ClassVar[set[str]] = set()

    def send_messages(self, messages: Sequence[EmailMessage]) -> int:
        for message in messages:
            bad = set(message.recipients()) & self.refused
            if bad:
                raise smtplib.SMTPRecipientsRefused({address: (550, b"5.1.1 mailbox unavailable") for address in bad})
        return super().send_messages(messages)


class AppendingFileBackend(BaseEmailBackend):
    """Appends one line per message (recipients, tab, subject) to the file named by the MAIL_LOG variable.

    For the multi-node test, whose e-mails are sent by other processes: every process appends to one file.
    """

    def send_messages(self, messages: Sequence[EmailMessage]) -> int:
        lines = "".join(f"{','.join(m.recipients())}\t{m.subject}\n" for m in messages)
        with open(os.environ["MAIL_LOG"], "a", encoding="utf-8") as log:
            log.write(lines)
        return len(messages)
