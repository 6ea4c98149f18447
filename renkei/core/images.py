"""What every uploaded image is held to before it is decoded (photos, board attachments)."""

MAX_PIXELS = 40_000_000  # a 40-megapixel photo is the largest a camera sends; more is a bomb


def too_many_pixels(image) -> bool:
    """Read from the header: Pillow knows the size before it decodes a pixel."""
    return image.width * image.height > MAX_PIXELS
