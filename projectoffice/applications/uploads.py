"""Validation of attachments by their content, not their name: type, size, and no executables."""

from __future__ import annotations

import io
import zipfile

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError

OFFICE_MARKERS = {"docx": "word/", "xlsx": "xl/"}
EXECUTABLE_SIGNATURES = (b"MZ", b"\x7fELF", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"#!")
DEFAULT_TYPES = ["pdf", "docx", "xlsx", "jpg", "png"]


def detect_type(data: bytes) -> str:
    """pdf, docx, xlsx, jpg, png, exe or unknown — from the bytes."""
    if data.startswith(EXECUTABLE_SIGNATURES):
        return "exe"
    kind = filetype.guess(data)
    if kind is None:
        return "unknown"
    if kind.extension in ("zip", "docx", "xlsx"):
        try:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except zipfile.BadZipFile:
            return "unknown"
        if "[Content_Types].xml" in names:
            for office, marker in OFFICE_MARKERS.items():
                if any(name.startswith(marker) for name in names):
                    return office
        return "zip"
    return {"jpeg": "jpg"}.get(kind.extension, kind.extension)


def validate_upload(data: bytes, filename: str, allowed: list[str] | None) -> str:
    """The detected type, or a ValidationError saying what is wrong in Russian."""
    allowed = allowed or DEFAULT_TYPES
    limit = settings.UPLOAD_MAX_BYTES
    if len(data) > limit:
        raise ValidationError(f"Файл больше допустимых {limit // (1024 * 1024)} МБ.")
    if not data:
        raise ValidationError("Файл пуст.")
    detected = detect_type(data)
    if detected == "exe":
        raise ValidationError("Исполняемые файлы не принимаются, даже переименованные.")
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    extension = {"jpeg": "jpg"}.get(extension, extension)
    if detected not in allowed:
        kind = "формат не распознан" if detected == "unknown" else detected.upper()
        raise ValidationError(f"Допустимые форматы: {', '.join(allowed)}; файл «{filename}» — {kind}.")
    if extension != detected:
        raise ValidationError(f"Расширение «.{extension}» не совпадает с содержимым файла ({detected}).")
    return detected
