"""Files citizens send, made on the fly: phone photos (with EXIF), PDFs, bad files."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def photo(
    name: str = "anh.jpg", *, size=(1200, 800), orientation: int | None = None, color="white"
) -> SimpleUploadedFile:
    img = Image.new("RGB", size, color)
    # A dark band on the left edge, to see where the top of the page went after rotation.
    for x in range(40):
        for y in range(size[1]):
            img.putpixel((x, y), (0, 0, 0))
    buf = io.BytesIO()
    kwargs = {}
    if orientation:
        exif = Image.Exif()
        exif[0x0112] = orientation
        kwargs["exif"] = exif.tobytes()
    img.save(buf, "JPEG", quality=85, **kwargs)
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/jpeg")


def png(name: str = "anh.png") -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", (300, 400), "blue").save(buf, "PNG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/png")


def pdf(name: str = "giay-to.pdf", pages: int = 1) -> SimpleUploadedFile:
    buf = io.BytesIO()
    images = [Image.new("RGB", (600, 800), "white") for _ in range(pages)]
    images[0].save(buf, "PDF", save_all=True, append_images=images[1:])
    return SimpleUploadedFile(name, buf.getvalue(), content_type="application/pdf")


def executable_named_pdf() -> SimpleUploadedFile:
    elf = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + b"\x00" * 200
    return SimpleUploadedFile("to-khai.pdf", elf, content_type="application/pdf")


def corrupt_jpeg() -> SimpleUploadedFile:
    good = photo().read()
    return SimpleUploadedFile("hong.jpg", good[:600] + b"\x00" * 50, content_type="image/jpeg")


def corrupt_pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("hong.pdf", b"%PDF-1.7\n1 0 obj <<>> garbage", content_type="application/pdf")


# --- hostile files (tests/dossiers/test_upload_security.py) ------------------------------


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def jpeg_bytes(size=(800, 600), color="white", **save) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, "JPEG", quality=85, **save)
    return buf.getvalue()


def png_bytes(size=(300, 400)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, "blue").save(buf, "PNG")
    return buf.getvalue()


def pdf_bytes(pages: int = 1) -> bytes:
    return pdf(pages=pages).read()


def zip_bytes(member: str = "payload.html", data: bytes = b"<html><script>alert(1)</script></html>") -> bytes:
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(member, data)
    return buf.getvalue()


def jpeg_with_segment(marker: int, data: bytes) -> bytes:
    """A JPEG with one more APPn/COM segment right after SOI."""
    good = jpeg_bytes()
    return good[:2] + bytes([0xFF, marker]) + (len(data) + 2).to_bytes(2, "big") + data + good[2:]


def png_chunk(kind: bytes, data: bytes) -> bytes:
    import struct
    import zlib

    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_with_chunk(kind: bytes, data: bytes) -> bytes:
    """A PNG with one more chunk right after IHDR."""
    good = png_bytes()
    ihdr_end = 8 + 25
    return good[:ihdr_end] + png_chunk(kind, data) + good[ihdr_end:]


def png_declaring(width: int, height: int) -> bytes:
    """A real PNG (1-bit grey, all black) of the given size: a few hundred KB on disk for
    30000×30000, 900 MB once Pillow decodes it (one byte a pixel)."""
    import struct
    import zlib

    row = b"\x00" * (1 + (width + 7) // 8)
    packer = zlib.compressobj(9)
    block = row * max(1, min(height, (4 << 20) // len(row)))
    rows_per_block = len(block) // len(row)
    parts, done = [], 0
    while done + rows_per_block <= height:
        parts.append(packer.compress(block))
        done += rows_per_block
    parts.append(packer.compress(row * (height - done)))
    parts.append(packer.flush())
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", b"".join(parts)) + png_chunk(b"IEND", b"")
    )


def jpeg_declaring(width: int, height: int) -> bytes:
    """A small real JPEG whose frame header (SOF0) claims another size."""
    good = bytearray(jpeg_bytes((64, 64)))
    sof = good.index(b"\xff\xc0")
    good[sof + 5 : sof + 9] = height.to_bytes(2, "big") + width.to_bytes(2, "big")
    return bytes(good)


def mpo_bytes() -> bytes:
    """A multi-picture JPEG (MPO), as some phones and cameras write: pictures after the first EOI."""
    buf = io.BytesIO()
    first, second = Image.new("RGB", (400, 300), "white"), Image.new("RGB", (400, 300), "red")
    first.save(buf, "MPO", save_all=True, append_images=[second])
    return buf.getvalue()


# PDFs with active content, built with pypdf itself.


def _pdf_writer():
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(pdf_bytes())))
    return writer


def _written(writer) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def hostile_pdf(kind: str) -> bytes:
    """A one-page PDF carrying ``kind`` of active content (or a benign feature)."""
    from pypdf.generic import (
        ArrayObject,
        DictionaryObject,
        FloatObject,
        NameObject,
        NumberObject,
        TextStringObject,
    )

    writer = _pdf_writer()
    root = writer._root_object
    page = writer.pages[0]

    def action(**entries) -> DictionaryObject:
        return DictionaryObject({NameObject(k): v for k, v in entries.items()})

    if kind == "javascript":  # a document-level script (the /Names /JavaScript tree)
        script = writer._add_object(
            action(**{"/S": NameObject("/JavaScript"), "/JS": TextStringObject("app.alert('xin chao');")})
        )
        tree = action(**{"/Names": ArrayObject([TextStringObject("chao"), script])})
        root[NameObject("/Names")] = action(**{"/JavaScript": writer._add_object(tree)})
    elif kind == "open_javascript":
        root[NameObject("/OpenAction")] = writer._add_object(
            action(**{"/S": NameObject("/JavaScript"), "/JS": TextStringObject("app.launchURL('http://x');")})
        )
    elif kind == "launch":
        root[NameObject("/OpenAction")] = action(
            **{"/S": NameObject("/Launch"), "/F": TextStringObject("C:\\Windows\\System32\\calc.exe")}
        )
    elif kind == "page_aa":  # a page's additional action when it opens
        page[NameObject("/AA")] = action(
            **{"/O": action(**{"/S": NameObject("/URI"), "/URI": TextStringObject("http://tracker.example/")})}
        )
    elif kind == "embedded":
        writer.add_attachment("hoa-don.exe", b"MZ\x90\x00 not really a program")
    elif kind == "xfa":
        root[NameObject("/AcroForm")] = writer._add_object(
            action(**{"/Fields": ArrayObject(), "/XFA": TextStringObject("<xdp:xdp></xdp:xdp>")})
        )
    elif kind == "open_destination":  # benign: open at page 1, fit to window
        root[NameObject("/OpenAction")] = ArrayObject([page.indirect_reference, NameObject("/Fit")])
    elif kind == "link":  # benign: a clickable link on the page
        rect = ArrayObject([FloatObject(10), FloatObject(10), FloatObject(100), FloatObject(30)])
        annotation = action(
            **{
                "/Type": NameObject("/Annot"),
                "/Subtype": NameObject("/Link"),
                "/Rect": rect,
                "/Border": ArrayObject([NumberObject(0)] * 3),
                "/A": action(**{"/S": NameObject("/URI"), "/URI": TextStringObject("https://dichvucong.gov.vn")}),
            }
        )
        page[NameObject("/Annots")] = ArrayObject([writer._add_object(annotation)])
    else:
        raise ValueError(kind)
    return _written(writer)


def with_object_streams(pdf_content: bytes) -> bytes:
    """The same PDF rewritten as PDF 1.5 tools write it: every object that is not a stream
    compressed inside one object stream (/ObjStm), the cross-reference as a compressed
    stream. A byte search for /JavaScript or /OpenAction finds nothing in the result."""
    import struct
    import zlib

    from pypdf import PdfReader
    from pypdf.generic import StreamObject

    reader = PdfReader(io.BytesIO(pdf_content))
    objects = {}
    for num in range(1, int(reader.trailer["/Size"])):
        obj = reader.get_object(num)
        if obj is not None:
            objects[num] = obj

    def serial(obj) -> bytes:
        buf = io.BytesIO()
        obj.write_to_stream(buf)
        return buf.getvalue()

    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets, packed = {}, []
    for num, obj in objects.items():
        if isinstance(obj, StreamObject):
            offsets[num] = out.tell()
            out.write(b"%d 0 obj\n" % num + serial(obj) + b"\nendobj\n")
        else:
            packed.append(num)
    bodies = [serial(objects[num]) for num in packed]
    header, body, at = [], b"", 0
    for num, data in zip(packed, bodies, strict=True):
        header.append(b"%d %d" % (num, at))
        body += data + b"\n"
        at += len(data) + 1
    head = b" ".join(header) + b"\n"
    stm_num = max(objects) + 1
    data = zlib.compress(head + body)
    offsets[stm_num] = out.tell()
    out.write(
        b"%d 0 obj\n<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>\nstream\n"
        % (stm_num, len(packed), len(head), len(data))
        + data
        + b"\nendstream\nendobj\n"
    )
    xref_num = stm_num + 1
    offsets[xref_num] = out.tell()
    rows = [struct.pack(">BIH", 0, 0, 65535)]
    for num in range(1, xref_num + 1):
        if num in offsets:
            rows.append(struct.pack(">BIH", 1, offsets[num], 0))
        elif num in packed:
            rows.append(struct.pack(">BIH", 2, stm_num, packed.index(num)))
        else:
            rows.append(struct.pack(">BIH", 0, 0, 0))
    table = zlib.compress(b"".join(rows))
    root = reader.trailer.raw_get("/Root")
    out.write(
        b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root %d 0 R /Filter /FlateDecode /Length %d >>\nstream\n"
        % (xref_num, xref_num + 1, root.idnum, len(table))
        + table
        + b"\nendstream\nendobj\n"
    )
    out.write(b"startxref\n%d\n%%%%EOF\n" % offsets[xref_num])
    return out.getvalue()


EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
