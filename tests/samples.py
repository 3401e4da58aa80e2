"""Real files and hostile ones, generated in the test: clean PDF/DOCX/XLSX/images, polyglots, bombs."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

from docx import Document
from openpyxl import Workbook
from PIL import Image
from pypdf import PdfWriter
from pypdf.actions import JavaScript
from pypdf.generic import DictionaryObject, NameObject, StreamObject, TextStringObject
from reportlab.pdfgen import canvas

# A minimal Windows program header: «MZ», the offset of the PE header at 0x3C, «PE\0\0» there.
EXE = b"MZ" + b"\x90" * 58 + (0x80).to_bytes(4, "little") + b"\x00" * 64 + b"PE\x00\x00" + b"\x4c\x01" + b"\x00" * 400
HTML = b"<!DOCTYPE html><html><body><script>fetch('/api/v1/me')</script></body></html>"


def pdf(text: str = "Устав организации") -> bytes:
    """A real one-page PDF, as a word processor would export it."""
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, text)
    page.showPage()
    page.save()
    return buffer.getvalue()


def _pdf_from(writer: PdfWriter) -> bytes:
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pdf_with_embedded_zip_holding_an_exe() -> bytes:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("invoice.exe", EXE)
    writer = PdfWriter(clone_from=io.BytesIO(pdf()))
    writer.add_attachment("documents.zip", archive.getvalue())
    return _pdf_from(writer)


def pdf_with_javascript() -> bytes:
    writer = PdfWriter(clone_from=io.BytesIO(pdf()))
    writer.add_open_action(JavaScript("app.launchURL('https://example.invalid/', true);"))
    return _pdf_from(writer)


def pdf_with_launch_action() -> bytes:
    writer = PdfWriter(clone_from=io.BytesIO(pdf()))
    action = DictionaryObject({NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("calc.exe")})
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)
    return _pdf_from(writer)


def pdf_with_unreferenced_stream(payload: bytes) -> bytes:
    """A readable PDF carrying `payload` in a stream object that nothing refers to."""
    writer = PdfWriter(clone_from=io.BytesIO(pdf()))
    stream = StreamObject()
    stream.set_data(payload)
    writer._add_object(stream)
    return _pdf_from(writer)


def docx(text: str = "Пояснительная записка") -> bytes:
    buffer = io.BytesIO()
    document = Document()
    document.add_paragraph(text)
    document.save(buffer)
    return buffer.getvalue()


def xlsx(rows: list[list[object]] | None = None) -> bytes:
    workbook = Workbook()
    for row in rows or [["Статья", "Сумма"], ["Оборудование", 100000]]:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def office_with(package: bytes, members: dict[str, bytes], content_types: bytes | None = None) -> bytes:
    """The same DOCX/XLSX with extra members (and, if given, a replaced [Content_Types].xml)."""
    source = zipfile.ZipFile(io.BytesIO(package))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename == "[Content_Types].xml" and content_types is not None:
                target.writestr(info.filename, content_types)
            else:
                target.writestr(info, source.read(info))
        for name, data in members.items():
            target.writestr(name, data)
    return buffer.getvalue()


def docx_with_macros() -> bytes:
    """A .docm renamed .docx: a VBA project and the macro-enabled content type."""
    package = docx()
    types = zipfile.ZipFile(io.BytesIO(package)).read("[Content_Types].xml")
    types = types.replace(
        b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        b"application/vnd.ms-word.document.macroEnabled.main+xml",
    )
    return office_with(package, {"word/vbaProject.bin": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504}, types)


def xlsx_with_embedded_exe() -> bytes:
    return office_with(xlsx(), {"xl/media/setup.exe": EXE})


def docx_with_ole_object() -> bytes:
    return office_with(docx(), {"word/embeddings/oleObject1.bin": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + EXE})


def docx_with_remote_template() -> bytes:
    relations = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        b'attachedTemplate" Target="https://example.invalid/t.dotm" TargetMode="External"/></Relationships>'
    )
    return office_with(docx(), {"word/_rels/settings.xml.rels": relations})


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), "navy").save(buffer, "PNG")
    return buffer.getvalue()


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.effect_noise((120, 120), 80).convert("RGB").save(buffer, "JPEG", progressive=True)
    return buffer.getvalue()


def jpeg_with_comment(comment: bytes) -> bytes:
    """A JPEG with a comment segment (COM) right after the start-of-image marker."""
    image = jpeg()
    return image[:2] + b"\xff\xfe" + (len(comment) + 2).to_bytes(2, "big") + comment + image[2:]


def zip_of(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def deflate_bomb_zip(
    members: dict[str, bytes], bomb_name: str, head: bytes, filler: bytes, tail: bytes, size: int
) -> bytes:
    """A valid ZIP whose `bomb_name` inflates to about `size` bytes (`head`, `filler` repeated, `tail`),
    built in a fraction of a second: one block is deflated once and its bytes repeated (a full flush resets
    the compressor, so every repeat is the same) instead of compressing hundreds of megabytes."""
    block = filler * (1024 * 1024 // len(filler))
    count = (size - len(head) - len(tail)) // len(block)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    start = compressor.compress(head) + compressor.flush(zlib.Z_FULL_FLUSH)
    repeated = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    assert compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH) == repeated
    stream = start + repeated * count + compressor.compress(tail) + compressor.flush()
    crc = zlib.crc32(head)
    for _ in range(count):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(tail, crc)
    plain_size = len(head) + len(block) * count + len(tail)
    out = io.BytesIO()
    directory = []
    entries = [(name, data, None) for name, data in members.items()] + [(bomb_name, b"", (stream, crc, plain_size))]
    for name, data, raw in entries:
        encoded = name.encode()
        if raw is None:
            compressed = zlib.compressobj(6, zlib.DEFLATED, -15)
            body, crc_value, plain = compressed.compress(data) + compressed.flush(), zlib.crc32(data), len(data)
        else:
            body, crc_value, plain = raw
        offset = out.tell()
        out.write(struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0, crc_value, len(body), plain, len(encoded), 0))
        out.write(encoded + body)
        directory.append(
            struct.pack(
                "<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 8, 0, 0, crc_value, len(body), plain, len(encoded),
                0, 0, 0, 0, 0, offset,
            ) + encoded
        )  # fmt: skip
    start_of_directory = out.tell()
    for record in directory:
        out.write(record)
    size_of_directory = out.tell() - start_of_directory
    out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(entries), len(entries), size_of_directory,
                          start_of_directory, 0))  # fmt: skip
    return out.getvalue()


def xlsx_shared_strings_bomb(size: int = 885 * 1024 * 1024) -> bytes:
    """A real workbook (openpyxl's parts) whose shared strings inflate to `size` bytes: the 3 MB file with
    885 MiB of strings that once took 254 s and 2 GB to import."""
    package = zipfile.ZipFile(io.BytesIO(xlsx([["ИНН", "Полное наименование"], ["6316000000", "ООО «Бомба»"]])))
    members = {info.filename: package.read(info) for info in package.infolist()}
    members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Override PartName="/xl/sharedStrings.xml" '
        b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    )
    members["xl/_rels/workbook.xml.rels"] = members["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        b'<Relationship Id="rIdS" Target="sharedStrings.xml" '
        b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/></Relationships>',
    )
    head = (
        b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    )
    return deflate_bomb_zip(
        members, "xl/sharedStrings.xml", head, b"<si><t>" + b"A" * 1017 + b"</t></si>", b"</sst>", size
    )
