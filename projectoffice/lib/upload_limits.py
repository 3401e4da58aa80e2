"""Uploads over UPLOAD_MAX_BYTES are refused while the request is read, never after it was read whole.

`LimitedUploadHandler` stands first in FILE_UPLOAD_HANDLERS. When the declared Content-Length already
exceeds the limit (plus room for the form's small fields), the upload stops as soon as its first file
starts, before a byte of it is read; otherwise it stops the moment the bytes received pass the limit.
Nothing is kept: the partial file is dropped, the rest of the body is not read, and the request carries
a Russian message that views show (`upload_refusal`). The form fields sent before the file (the CSRF
token among them) stay readable, so the page can answer with the message instead of a CSRF failure.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest

from projectoffice.lib import formats

# The multipart headers and the form's small fields (CSRF token, a document id, a comment) besides the file.
FORM_FIELDS_ALLOWANCE = 1024 * 1024
_REFUSAL = "upload_refusal_message"


def size_text(size: int) -> str:
    """«5 МБ», «1,5 МБ», «256 КБ», «900 байт»: a size as a person reads it."""
    if size < 1024:
        return formats.plural(size, "байт", "байта", "байт")
    if size < 1024 * 1024:
        return f"{size // 1024} КБ"
    megabytes = size / (1024 * 1024)
    return f"{formats.number(megabytes, 0 if megabytes.is_integer() or megabytes >= 10 else 1)} МБ"


def too_large_message() -> str:
    return f"Файл больше допустимых {size_text(settings.UPLOAD_MAX_BYTES)}: он не загружен."


def upload_refusal(request: HttpRequest) -> str | None:
    """The message when the request's upload was refused for its size, else None (parses the body if needed)."""
    request.FILES  # noqa: B018  (reading FILES parses the body; the handler marks a refusal on the request)
    return getattr(request, _REFUSAL, None)


class LimitedUploadHandler(FileUploadHandler):
    """Stops an upload whose declared or received size passes UPLOAD_MAX_BYTES; hands chunks on otherwise."""

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.declared_too_large = False
        self.received = 0  # file bytes of the whole request, over all its files

    def handle_raw_input(
        self, input_data: Any, META: dict[str, Any], content_length: int, boundary: str, encoding: str | None = None
    ) -> None:
        self.declared_too_large = content_length > settings.UPLOAD_MAX_BYTES + FORM_FIELDS_ALLOWANCE
        return None  # the parsing itself is left to Django

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        if self.declared_too_large:
            self._refuse()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > settings.UPLOAD_MAX_BYTES:
            self._refuse()
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler (memory or temporary file) builds the uploaded file

    def _refuse(self) -> None:
        if self.request is not None:
            setattr(self.request, _REFUSAL, too_large_message())
        raise StopUpload(connection_reset=True)  # stop reading: the rest of the body is never consumed
