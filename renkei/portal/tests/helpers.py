import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def jpeg(width=3000, height=2000, name="photo.jpg", exif=True) -> SimpleUploadedFile:
    """A camera-sized JPEG, with a GPS tag in its metadata."""
    image = Image.new("RGB", (width, height), (200, 120, 40))
    out = io.BytesIO()
    if exif:
        data = Image.Exif()
        data[0x8825] = {1: "N", 2: (35.0, 41.0, 0.0)}  # GPSInfo
        data[0x010F] = "CameraMaker"
        image.save(out, "JPEG", exif=data.tobytes())
    else:
        image.save(out, "JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def text(response) -> str:
    return response.content.decode()
