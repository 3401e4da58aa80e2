"""Validation of attachments by their content, not their name: type, size, and a structure hiding nothing.

A file is accepted as what its bytes say it is, and only when it is that and nothing more; polyglots (a
file that is also a web page, an archive or a program) are refused:
- PDF: `%PDF-` at offset 0 and nothing but whitespace after the last `%%EOF`; read by a real parser
  (pypdf), with pages, not password-protected; no object anywhere (referenced or not) that runs or carries
  something: JavaScript, Launch actions, embedded files and file attachments, rich media; no program, ZIP
  archive or web page lying in its bytes.
- DOCX, XLSX: a ZIP with nothing before its first entry or after its end record; no macros (VBA), ActiveX
  controls or OLE objects; no member that is a program or named like one; no link to an outside template
  or object; embedded Office documents (charts' data) are checked the same way.
- JPEG, PNG: the image's structure is walked to its end; an archive, a program, a PDF or a web page
  appended after it is refused (cameras' own trailers are not).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

import filetype
from defusedxml import ElementTree
from defusedxml.ElementTree import ParseError
from django.conf import settings
from django.core.exceptions import ValidationError
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, PdfObject

from projectoffice.lib.upload_limits import size_text

OFFICE_MARKERS = {"docx": "word/", "xlsx": "xl/"}
EXECUTABLE_SIGNATURES = (b"MZ", b"\x7fELF", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"#!")
DEFAULT_TYPES = ["pdf", "docx", "xlsx", "jpg", "png"]
TYPE_LABELS = {
    "pdf": "PDF",
    "docx": "DOCX",
    "xlsx": "XLSX",
    "jpg": "JPEG",
    "png": "PNG",
    "zip": "ZIP-архив",
    "exe": "исполняемый файл",
    "unknown": "неизвестный формат",
}

PDF_WHITESPACE = b"\x00\t\n\x0c\r "
# Names that make a PDF run something or carry another file; keys and values are both checked.
PDF_ACTIVE_NAMES = {
    "/JavaScript": "JavaScript",
    "/JS": "JavaScript",
    "/Launch": "запуск программы (Launch)",
    "/EmbeddedFiles": "вложенные файлы",
    "/EmbeddedFile": "вложенные файлы",
    "/FileAttachment": "вложенные файлы",
    "/GoToE": "переход во вложенный файл",
    "/RichMedia": "встроенное мультимедиа (RichMedia)",
}
# Signatures looked for anywhere in the bytes, strict enough that compressed data never matches by chance.
_PE_HEADER = re.compile(rb"MZ")
_ELF_HEADER = re.compile(rb"\x7fELF[\x01\x02][\x01\x02]\x01")
_ZIP_ENTRY = re.compile(rb"PK\x03\x04[\x0a-\x3f]\x00.{20}[\x01-\xff]\x00", re.DOTALL)
_HTML = re.compile(rb"<\s*(?:html|script|iframe|!doctype\s+html)\b", re.IGNORECASE)
HIDDEN_PHRASES = {"exe": "спрятан исполняемый файл", "zip": "спрятан ZIP-архив", "html": "спрятана HTML-страница"}

OFFICE_EMBEDDED_OK = {"docx", "xlsx", "pptx", "png", "jpg", "jpeg", "gif", "emf", "wmf", "bmp", "tif", "tiff"}
EXECUTABLE_EXTENSIONS = {
    "exe", "dll", "com", "scr", "pif", "cpl", "msi", "msp", "bat", "cmd", "ps1", "vbs", "vbe", "js", "jse",
    "wsf", "wsh", "hta", "jar", "lnk", "sh", "elf", "so", "dylib", "app", "apk", "reg",
}  # fmt: skip
OFFICE_EXTERNAL_FORBIDDEN = ("/attachedTemplate", "/oleObject", "/frame", "/subDocument", "/package")
OFFICE_MAX_NESTING = 2
MACROS = "в документе есть макросы (VBA): сохраните его как обычный .docx или .xlsx без макросов."
OFFICE_PART_MAX = 4 * 1024 * 1024  # [Content_Types].xml and relationships are a few kilobytes
_ZIP_END = b"PK\x05\x06"


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
        except (zipfile.BadZipFile, ValueError, OSError):
            return "unknown"
        if "[Content_Types].xml" in names:
            for office, marker in OFFICE_MARKERS.items():
                if any(name.startswith(marker) for name in names):
                    return office
        return "zip"
    return {"jpeg": "jpg"}.get(kind.extension, kind.extension)


def _label(kind: str) -> str:
    return TYPE_LABELS.get(kind, kind.upper())


def validate_upload(data: bytes, filename: str, allowed: list[str] | None) -> str:
    """The detected type, or a ValidationError saying what is wrong in Russian."""
    allowed = allowed or DEFAULT_TYPES
    limit = settings.UPLOAD_MAX_BYTES
    if len(data) > limit:
        raise ValidationError(f"Файл больше допустимых {size_text(limit)}.")
    if not data:
        raise ValidationError("Файл пуст.")
    detected = detect_type(data)
    if detected == "unknown" and b"%PDF-" in data[:1024]:
        detected = "pdf"  # a PDF with something before its header: refused below by the structure check
    if detected == "exe":
        raise ValidationError("Исполняемые файлы не принимаются, даже переименованные.")
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    extension = {"jpeg": "jpg"}.get(extension, extension)
    if detected not in allowed:
        formats = ", ".join(_label(kind) for kind in allowed)
        raise ValidationError(f"Допустимые форматы: {formats}; файл «{filename}» — {_label(detected)}.")
    if extension != detected:
        raise ValidationError(f"Расширение «.{extension}» не совпадает с содержимым файла ({_label(detected)}).")
    problem = structure_problem(data, detected)
    if problem:
        raise ValidationError(f"Файл «{filename}» не принят: {problem}")
    return detected


def structure_problem(data: bytes, kind: str) -> str | None:
    """What the file hides or breaks beyond its type (a sentence in Russian), or None when it is clean."""
    if kind == "pdf":
        return _pdf_problem(data)
    if kind in OFFICE_MARKERS:
        return _office_problem(data, depth=0)
    if kind == "png":
        return _image_problem(data, _png_end(data))
    if kind == "jpg":
        return _image_problem(data, _jpeg_end(data))
    return None


# --- PDF ---------------------------------------------------------------------------------------------------


def _pdf_problem(data: bytes) -> str | None:
    if not data.startswith(b"%PDF-"):
        return "PDF должен начинаться с заголовка «%PDF-», а перед ним дописаны другие данные."
    end = data.rfind(b"%%EOF")
    if end < 0:
        return "у PDF нет метки конца файла (%%EOF): файл обрезан или это не PDF."
    if data[end + len(b"%%EOF") :].strip(PDF_WHITESPACE):
        return "после конца PDF (%%EOF) дописаны другие данные."
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not _opens_without_password(reader):
            return "PDF защищён паролем: приложите копию без защиты."
        if len(reader.pages) == 0:
            return "в PDF нет ни одной страницы."
        for obj in _pdf_objects(reader):
            for name in _pdf_names(obj, depth=0):
                if name in PDF_ACTIVE_NAMES:
                    return (
                        f"в PDF есть {PDF_ACTIVE_NAMES[name]}. Сохраните документ заново без таких элементов "
                        "(например, через «Печать в PDF»)."
                    )
    except Exception:  # any failure of the parser on hostile bytes means: not a readable PDF
        return "PDF не читается: файл повреждён или это не PDF."
    hidden = hidden_payload(data)  # also in objects nothing refers to, which the parser never reads
    if hidden:
        return f"внутри PDF {HIDDEN_PHRASES[hidden]}."
    return None


def _opens_without_password(reader: PdfReader) -> bool:
    try:
        return bool(reader.decrypt(""))
    except Exception:  # an unsupported cipher is the same as a password we do not have
        return False


def hidden_payload(data: bytes) -> str:
    """exe, zip or html when the raw bytes hold a program, a ZIP archive or a web page anywhere; else ""."""
    if _program_at(data):
        return "exe"
    if _ZIP_ENTRY.search(data):
        return "zip"
    if _HTML.search(data):
        return "html"
    return ""


def _program_at(data: bytes) -> bool:
    """A Windows (MZ with its PE header) or Linux (ELF) program anywhere in the bytes."""
    for match in _PE_HEADER.finditer(data):
        offset = int.from_bytes(data[match.start() + 0x3C : match.start() + 0x40], "little")
        if 0x40 <= offset <= 4096 and data[match.start() + offset : match.start() + offset + 4] == b"PE\x00\x00":
            return True
    return _ELF_HEADER.search(data) is not None


def _pdf_objects(reader: PdfReader) -> list[PdfObject]:
    """Every object the cross-reference tables list, referenced from the document or not, and the trailer."""
    objects: list[PdfObject] = [reader.trailer]
    numbers = {(number, generation) for generation, table in reader.xref.items() for number in table}
    numbers |= {(number, 0) for number in reader.xref_objStm}
    for number, generation in sorted(numbers):
        if number == 0:
            continue  # the head of the free list, never an object
        obj = reader.get_object(IndirectObject(number, generation, reader))
        if obj is not None:
            objects.append(obj)
    return objects


def _pdf_names(obj: object, depth: int) -> list[str]:
    """The names among an object's keys and values, nested direct objects included (not following references)."""
    if depth > 64:
        raise ValueError("PDF nested too deeply")
    names: list[str] = []
    if isinstance(obj, DictionaryObject):
        for key, value in obj.items():
            names.append(str(key))
            names.extend(_pdf_names(value, depth + 1))
    elif isinstance(obj, ArrayObject):
        for value in obj:
            names.extend(_pdf_names(value, depth + 1))
    elif isinstance(obj, NameObject):
        names.append(str(obj))
    return names


# --- DOCX and XLSX -----------------------------------------------------------------------------------------


def _office_problem(data: bytes, depth: int) -> str | None:
    problem = _zip_framing_problem(data)
    if problem:
        return problem
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        total = sum(info.file_size for info in archive.infolist())
        if total > settings.UPLOAD_MAX_BYTES * 40 or len(archive.infolist()) > 5000:
            return "документ разворачивается в слишком большой объём: это похоже на архив-бомбу."
        for info in archive.infolist():
            problem = _office_member_problem(archive, info, depth)
            if problem:
                return problem
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, RuntimeError, NotImplementedError, ParseError):
        return "документ повреждён: архив внутри не читается."
    return None


def _zip_framing_problem(data: bytes) -> str | None:
    """Nothing before the first entry, nothing after the end record, and the directory where the end says."""
    if not data.startswith(b"PK\x03\x04"):
        return "перед документом дописаны другие данные."
    end = data.rfind(_ZIP_END)
    if end < 0 or len(data) < end + 22:
        return "документ обрезан: нет конца архива."
    directory_size = int.from_bytes(data[end + 12 : end + 16], "little")
    directory_offset = int.from_bytes(data[end + 16 : end + 20], "little")
    comment_length = int.from_bytes(data[end + 20 : end + 22], "little")
    if end + 22 + comment_length != len(data):
        return "после документа дописаны другие данные."
    if directory_offset + directory_size != end:
        return "в документ вклеен другой архив или дописаны другие данные."
    return None


@dataclass(frozen=True)
class _Member:
    """A member of a DOCX/XLSX package: its name as written, its path in lower case from the root, its extension."""

    name: str
    path: str
    extension: str

    @classmethod
    def of(cls, info: zipfile.ZipInfo) -> _Member:
        name = info.filename.replace("\\", "/")
        base = name.lower().rsplit("/", 1)[-1]
        return cls(name, f"/{name.lower()}", base.rsplit(".", 1)[-1] if "." in base else "")

    @property
    def base(self) -> str:
        return self.path.rsplit("/", 1)[-1]

    @property
    def embedded(self) -> bool:
        return "/embeddings/" in self.path


def _office_member_problem(archive: zipfile.ZipFile, info: zipfile.ZipInfo, depth: int) -> str | None:
    """What one member hides, by its name, its first bytes, the package's own XML, and the documents inside it."""
    member = _Member.of(info)
    return (
        _member_name_problem(member)
        or _member_program_problem(archive, info, member)
        or _package_xml_problem(archive, info, member)
        or _embedded_document_problem(archive, info, member, depth)
    )


def _member_name_problem(member: _Member) -> str | None:
    """Macros, ActiveX controls, programs and OLE objects, known by where they lie and what they are named."""
    if member.base in ("vbaproject.bin", "vbadata.xml") or member.base.startswith("vbaproject"):
        return MACROS
    if "/activex/" in member.path:
        return "в документе есть элементы ActiveX: такие документы не принимаются."
    if member.extension in EXECUTABLE_EXTENSIONS:
        return f"внутри документа спрятан исполняемый файл «{member.name}»."
    if member.embedded and member.extension not in OFFICE_EMBEDDED_OK:
        return "в документе есть встроенные объекты (OLE): вставьте их содержимое как текст, таблицу или рисунок."
    return None


def _member_program_problem(archive: zipfile.ZipFile, info: zipfile.ZipInfo, member: _Member) -> str | None:
    """A program under another name (an image, a part), known by its first bytes."""
    with archive.open(info) as handle:
        head = handle.read(4096)
    if _program_at(head) or head.startswith(EXECUTABLE_SIGNATURES[2:4]):
        return f"внутри документа спрятан исполняемый файл «{member.name}»."
    return None


def _package_xml_problem(archive: zipfile.ZipFile, info: zipfile.ZipInfo, member: _Member) -> str | None:
    """Macros and OLE or ActiveX declared in the content types; templates and objects fetched from the network."""
    if member.path == "/[content_types].xml":
        text = _read_part(archive, info).lower()
        if b"macroenabled" in text or b"vbaproject" in text:
            return MACROS
        if b"activex" in text or b"oleobject" in text:
            return "в документе есть встроенные объекты (OLE или ActiveX): такие документы не принимаются."
    if member.extension == "rels":
        for relation in ElementTree.fromstring(_read_part(archive, info)):
            external = relation.get("TargetMode", "").lower() == "external"
            kind = relation.get("Type", "")
            if external and kind.endswith(OFFICE_EXTERNAL_FORBIDDEN) and _remote(relation.get("Target", "")):
                return "документ подгружает шаблон или объект из сети по ссылке: такие документы не принимаются."
    return None


def _embedded_document_problem(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, member: _Member, depth: int
) -> str | None:
    """An Office document inside (a chart's data) is checked as a document of its own, not too deeply nested."""
    if not member.embedded or member.extension not in ("docx", "xlsx", "pptx"):
        return None
    if depth >= OFFICE_MAX_NESTING:
        return "в документе слишком глубоко вложены другие документы."
    return _office_problem(archive.read(info), depth + 1)


def _read_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """A small XML part of the package read whole; a huge one is a bomb, not a document."""
    if info.file_size > OFFICE_PART_MAX:
        raise ValueError("part too large")
    return archive.read(info)


def _remote(target: str) -> bool:
    """A web address or another computer's share (a local path on the author's disk is harmless)."""
    lower = target.strip().lower().replace("\\", "/")
    return lower.startswith(("http:", "https:", "ftp:", "//", "mhtml:")) or (
        lower.startswith("file://") and not lower.startswith("file:///")
    )


# --- JPEG and PNG ------------------------------------------------------------------------------------------


def _png_end(data: bytes) -> int:
    """The offset just after the IEND chunk (or the end of the data when the chunks run out)."""
    position = 8
    while position + 12 <= len(data):
        length = int.from_bytes(data[position : position + 4], "big")
        kind = data[position + 4 : position + 8]
        position += 12 + length
        if kind == b"IEND":
            return min(position, len(data))
    return len(data)


def _jpeg_end(data: bytes) -> int:
    """The offset just after the end-of-image marker, walking segments and the entropy-coded scans."""
    position = 2
    while position + 1 < len(data):
        if data[position] != 0xFF:
            return len(data)  # not a marker where one must be: treat the rest as the image
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        if marker == 0xD9:
            return position + 2
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:
            position += 2
            continue
        length = int.from_bytes(data[position + 2 : position + 4], "big")
        position += 2 + length
        if marker == 0xDA:  # start of scan: entropy-coded data runs to the next real marker
            while True:
                position = data.find(b"\xff", position)
                if position < 0 or position + 1 >= len(data):
                    return len(data)
                following = data[position + 1]
                if following == 0x00 or 0xD0 <= following <= 0xD7 or following == 0xFF:
                    position += 1 if following == 0xFF else 2
                    continue
                break
    return len(data)


def _image_problem(data: bytes, end: int) -> str | None:
    """A program, archive or page inside the image, or appended after its end (cameras' own trailers pass)."""
    rest = data[end:].strip(PDF_WHITESPACE)
    if rest.startswith(EXECUTABLE_SIGNATURES):
        return "после изображения дописан исполняемый файл."
    if rest.startswith((b"PK\x03\x04", b"Rar!", b"7z\xbc\xaf", b"\x1f\x8b")):
        return "после изображения дописан архив."
    if rest.startswith(b"%PDF"):
        return "после изображения дописан PDF."
    if rest.startswith(b"<"):
        return "после изображения дописана HTML-страница."
    hidden = hidden_payload(data)
    if hidden:
        return f"внутри изображения {HIDDEN_PHRASES[hidden]}."
    return None
