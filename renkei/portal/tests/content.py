"""A portal in use, for the browser checks and screenshots: photos, a report, a PR page."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from renkei.portal import photos
from renkei.portal.models import Event, NewsItem, Photo, Profile, Status


def picture(seed: int, size=(2400, 1600)) -> SimpleUploadedFile:
    """A photo-like image (gradients and shapes compress like a photo, not like a flat colour)."""
    image = Image.linear_gradient("L").resize(size).convert("RGB")
    draw = ImageDraw.Draw(image)
    for i in range(40):
        x, y = (seed * 97 + i * 131) % size[0], (seed * 53 + i * 71) % size[1]
        draw.ellipse((x, y, x + 200, y + 140), fill=((i * 37 + seed * 11) % 256, (i * 91) % 256, (seed * 29 + i) % 256))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return SimpleUploadedFile(f"photo{seed}.jpg", out.getvalue(), content_type="image/jpeg")


def _photo(seed: int, alt: str, **owner) -> Photo:
    large, small = photos.renditions(picture(seed))
    photo = Photo(alt=alt, **owner)
    photos.attach(photo, large, small, f"sample{seed}")
    photo.save()
    return photo


def dress_the_portal(world):
    event = Event.objects.get(title="青森の魅力発信！")
    event.report = "会期中、多くの方にご来場いただきました。\n\n- 三内丸山遺跡の紹介\n- 祭りと温泉のパネル展示"
    event.venue, event.organisers = "東京区政会館 1階エントランス", "特別区長会"
    event.save()
    event.participants.set(["022012", "022039"])
    for i in range(2):
        _photo(i, f"青森の展示の様子 {i + 1}", event=event)
    for i in range(4):
        _photo(10 + i, f"来場者でにぎわう会場 {i + 1}", event=event, in_report=True)
    profile = Profile.objects.create(
        local_government_id="015814", catchphrase="ハスカップと厚真米の町",
        introduction="厚真町は北海道の南西部、胆振地方にある町です。\n\n**ハスカップ**の作付面積は日本一です。",
        specialities="ハスカップ\n厚真米\n厚真産の和牛", sights="浜厚真海岸\n厚真ダム",
        links="厚真町 https://www.town.atsuma.lg.jp/", contact="産業経済課 0145-27-2321", updated_by=world.member)
    for i in range(3):
        _photo(20 + i, f"厚真町の風景 {i + 1}", profile=profile)
    news = NewsItem.objects.create(title="青森の展示を開催しました", body="ご来場ありがとうございました。",
                                   status=Status.PUBLISHED, publish_at=timezone.now())
    _photo(30, "展示会場の入口", news=news)
    return news, event
