"""Photos for public pages: checked by their content, turned upright, stripped, resized twice.

A 12-megapixel phone photo (~5 MB) becomes a ~1280 px JPEG for the page and a ~480 px one
for lists and phones; the upload itself is not kept, so its camera and GPS metadata go too.
"""

import io
from dataclasses import dataclass

from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

from renkei.core.images import too_many_pixels

MAX_UPLOAD = 10 * 1024 * 1024
LARGE, SMALL = 1280, 480
FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}


class PhotoError(Exception):
    """A photo refused, with a message for the person who sent it."""


@dataclass
class Rendition:
    data: bytes
    width: int
    height: int


def _resized(image: Image.Image, box: int) -> Rendition:
    copy = image.copy()
    copy.thumbnail((box, box), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    copy.save(out, "JPEG", quality=82, optimize=True, progressive=True)
    return Rendition(out.getvalue(), copy.width, copy.height)


def renditions(upload, name: str = "") -> tuple[Rendition, Rendition]:
    """The large and small JPEG forms of an uploaded image, or PhotoError saying what is wrong."""
    label = f"「{name or getattr(upload, 'name', '')}」"
    if upload.size > MAX_UPLOAD:
        raise PhotoError(f"{label}は大きすぎます（{upload.size / 1024 / 1024:.1f}MB）。10MBまでの写真にしてください。")
    try:
        with Image.open(upload) as image:
            if image.format not in FORMATS:
                raise PhotoError(f"{label}は写真として読めません。JPEG・PNG・WebP・GIFの画像を選んでください。")
            if too_many_pixels(image):
                raise PhotoError(f"{label}は画素数が多すぎます（{image.width}×{image.height}）。4,000万画素までにしてください。")
            image.load()
            upright = ImageOps.exif_transpose(image).convert("RGB")
    except PhotoError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise PhotoError(f"{label}は画像として読めません。拡張子ではなく中身で判定しています。"
                         "JPEG・PNG・WebP・GIFの写真を選んでください。") from None
    return _resized(upright, LARGE), _resized(upright, SMALL)


def attach(photo, large: Rendition, small: Rendition, stem: str) -> None:
    """Store the renditions on an unsaved Photo (the caller saves it)."""
    photo.width, photo.height = large.width, large.height
    photo.small_width, photo.small_height = small.width, small.height
    photo.large.save(f"{stem}-l.jpg", ContentFile(large.data), save=False)
    photo.small.save(f"{stem}-s.jpg", ContentFile(small.data), save=False)
