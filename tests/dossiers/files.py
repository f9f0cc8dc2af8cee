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
