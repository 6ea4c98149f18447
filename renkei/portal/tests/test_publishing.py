"""The secretariat publishes news and events; members submit events and edit their PR page."""

import datetime as dt
import io
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from renkei.core.models import AuditEntry, OutgoingEmail
from renkei.portal.models import Event, NewsItem, Photo, Profile, Status
from renkei.testing import count_queries, jpeg, sample_photo, sign_in, text

pytestmark = pytest.mark.django_db


def news_data(**overrides):
    return {"title": "交流会を開きます", "lead": "", "body": "本文です。\n\n- 一つ目\n- 二つ目", "publishing": "now",
            "publish_at": "", "photo_alt_1": "", "photo_caption_1": "", **overrides}


def event_data(**overrides):
    return {"title": "厚真町フェア", "series": "", "kind": "fair", "starts_on": "2030-05-10", "starts_at_time": "10:00",
            "ends_on": "2030-05-11", "ends_at_time": "16:00", "venue": "東京区政会館 1階", "organisers": "厚真町",
            "url": "", "description": "特産品を販売します。", "report": "", "participant_names": "北海道厚真町\n上川町",
            "publishing": "now", "publish_at": "", "photo_alt_1": "", "photo_caption_1": "", **overrides}


def test_news_goes_from_draft_to_published(client, world):
    sign_in(client, world.secretariat)
    response = client.post("/secretariat/news/new/", news_data(publishing="draft"))
    item = NewsItem.objects.get(title="交流会を開きます")
    assert response.status_code == 302 and item.status == Status.DRAFT and item.publish_at is None
    anonymous = client.__class__()
    assert "交流会を開きます" not in text(anonymous.get("/news/"))
    assert anonymous.get(item.get_absolute_url()).status_code == 404
    preview = client.get(item.get_absolute_url())
    assert preview.status_code == 200 and "プレビュー" in text(preview)

    client.post(f"/secretariat/news/{item.pk}/", news_data())
    item.refresh_from_db()
    assert item.is_public()
    page = text(anonymous.get(item.get_absolute_url()))
    assert "<li>一つ目</li>" in page  # the light markup became a list
    assert "交流会を開きます" in text(anonymous.get("/news/"))
    entry = AuditEntry.objects.filter(action="portal.news.changed").latest("at")
    assert entry.changes["status"] == ["draft", "published"]


def test_scheduled_news_appears_at_its_time_without_anyone_saving(client, world):
    sign_in(client, world.secretariat)
    when = timezone.localtime() + dt.timedelta(hours=2)
    client.post("/secretariat/news/new/", news_data(publishing="scheduled", publish_at=when.strftime("%Y-%m-%dT%H:%M")))
    item = NewsItem.objects.get(title="交流会を開きます")
    assert item.state_label == "公開予約"
    anonymous = client.__class__()
    assert "交流会を開きます" not in text(anonymous.get("/news/"))
    assert "交流会を開きます" not in text(anonymous.get("/"))
    later = timezone.now() + dt.timedelta(hours=3)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert "交流会を開きます" in text(anonymous.get("/news/"))  # the cached page was not served
        assert "交流会を開きます" in text(anonymous.get("/search/?q=交流会"))


def test_a_schedule_in_the_past_is_refused(client, world):
    sign_in(client, world.secretariat)
    response = client.post("/secretariat/news/new/", news_data(publishing="scheduled", publish_at="2020-01-01T09:00"))
    assert response.status_code == 400 and "公開日時が過去です" in text(response)
    assert not NewsItem.objects.filter(title="交流会を開きます").exists()


def test_a_photo_is_resized_stripped_and_needs_alternative_text(client, world):
    sign_in(client, world.secretariat)
    response = client.post("/secretariat/news/new/", news_data(photo_1=jpeg()))
    assert response.status_code == 400 and "代替テキストが必要です" in text(response)
    assert not NewsItem.objects.filter(title="交流会を開きます").exists()

    client.post("/secretariat/news/new/", news_data(photo_1=jpeg(), photo_alt_1="会場に並ぶ特産品"))
    photo = Photo.objects.get(news__title="交流会を開きます")
    assert (photo.width, photo.height) == (1280, 853) and (photo.small_width, photo.small_height) == (480, 320)
    with Image.open(photo.large) as large:
        assert not large.getexif()  # camera and GPS metadata are gone
    assert photo.large.size < 200_000 and photo.small.size < 40_000
    page = text(client.__class__().get(photo.news.get_absolute_url()))
    assert 'alt="会場に並ぶ特産品"' in page and 'width="480" height="320"' in page and "1280w" in page


@pytest.mark.parametrize("upload,message", [
    (SimpleUploadedFile("fake.jpg", b"%PDF-1.4 not a photo" * 50, content_type="image/jpeg"), "画像として読めません"),
    (SimpleUploadedFile("huge.jpg", b"\xff\xd8" + b"\0" * (10 * 1024 * 1024 + 1), content_type="image/jpeg"), "大きすぎます"),
])
def test_bad_photos_get_a_message_and_write_nothing(client, world, upload, message):
    sign_in(client, world.secretariat)
    response = client.post("/secretariat/news/new/", news_data(photo_1=upload, photo_alt_1="写真"))
    assert response.status_code == 400 and message in text(response)
    assert not NewsItem.objects.filter(title="交流会を開きます").exists() and not Photo.objects.exists()


def test_a_decompression_bomb_is_refused(client, world):
    out = io.BytesIO()
    Image.new("1", (9000, 9000)).save(out, "PNG")  # 81 megapixels in a few kilobytes
    sign_in(client, world.secretariat)
    response = client.post("/secretariat/news/new/", news_data(
        photo_1=SimpleUploadedFile("bomb.png", out.getvalue(), content_type="image/png"), photo_alt_1="写真"))
    assert response.status_code == 400 and "画素数が多すぎます" in text(response)


def test_html_in_a_title_is_refused_and_in_the_body_shown_as_text(client, world):
    sign_in(client, world.secretariat)
    response = client.post("/secretariat/news/new/", news_data(title="<b>速報</b>"))
    assert response.status_code == 400 and "HTMLのタグは使えません" in text(response)
    client.post("/secretariat/news/new/", news_data(body='<script>alert(1)</script> [x](javascript:alert(1))'))
    page = text(client.get(NewsItem.objects.get(title="交流会を開きます").get_absolute_url()))
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page and 'href="javascript:' not in page


def test_an_event_ending_before_it_starts_is_refused(client, world):
    sign_in(client, world.secretariat)
    response = client.post("/secretariat/events/new/", event_data(ends_on="2030-05-09"))
    assert response.status_code == 400 and "終了日が開始日より前" in text(response)
    response = client.post("/secretariat/events/new/", event_data(ends_on="2030-05-10", ends_at_time="09:00"))
    assert response.status_code == 400 and "終了時刻が開始時刻より前" in text(response)
    response = client.post("/secretariat/events/new/", event_data(participant_names="府中市"))
    assert response.status_code == 400 and "複数あります" in text(response)
    assert not Event.objects.filter(title="厚真町フェア").exists()


def test_an_event_with_times_venue_participants_and_a_report(client, world):
    sign_in(client, world.secretariat)
    client.post("/secretariat/events/new/", event_data())
    event = Event.objects.get(title="厚真町フェア")
    assert {lg.code for lg in event.participants.all()} == {"015814", "014575"}
    data = event_data(report="多くの方に来ていただきました。", photo_1=jpeg(), photo_alt_1="販売の様子", in_report="on")
    client.post(f"/secretariat/events/{event.pk}/", data)
    page = text(client.__class__().get(event.get_absolute_url()))
    assert "10:00～16:00" in page and "東京区政会館 1階" in page and "開催報告" in page
    assert 'href="/local-governments/015814/"' in page and 'alt="販売の様子"' in page
    # the participant's own page lists the event
    assert "厚真町フェア" in text(client.__class__().get("/local-governments/014575/"))


def test_a_member_submits_an_event_that_the_secretariat_approves(client, world):
    sign_in(client, world.member)
    response = client.post("/members/events/new/", event_data())
    event = Event.objects.get(title="厚真町フェア")
    assert response.status_code == 302 and event.status == Status.SUBMITTED and event.organization_id == "015814"
    assert OutgoingEmail.objects.filter(to=world.secretariat.email, subject__contains="承認待ち").exists()
    assert client.__class__().get(event.get_absolute_url()).status_code == 404
    assert client.get(event.get_absolute_url()).status_code == 200  # its own staff preview it

    other = client.__class__()
    sign_in(other, world.other_member)
    assert other.get(f"/members/events/{event.pk}/").status_code == 404
    assert other.post(f"/members/events/{event.pk}/", event_data(title="乗っ取り")).status_code == 404
    assert other.post(f"/members/events/{event.pk}/withdraw/").status_code == 404

    secretariat = client.__class__()
    sign_in(secretariat, world.secretariat)
    response = secretariat.post(f"/secretariat/events/{event.pk}/review/", {"decision": "reject", "note": ""})
    event.refresh_from_db()
    assert event.status == Status.SUBMITTED  # a rejection needs its reason
    secretariat.post(f"/secretariat/events/{event.pk}/review/", {"decision": "approve"})
    event.refresh_from_db()
    assert event.is_public()
    assert OutgoingEmail.objects.filter(to=world.member.email, subject__contains="公開しました").exists()
    assert "厚真町フェア" in text(client.__class__().get("/events/"))
    again = secretariat.post(f"/secretariat/events/{event.pk}/review/", {"decision": "approve"}, follow=True)
    assert "承認待ちではありません" in text(again)

    # a member's change goes back for approval and leaves the public calendar until then
    client.post(f"/members/events/{event.pk}/", event_data(venue="別の会場"))
    event.refresh_from_db()
    assert event.status == Status.SUBMITTED and not event.is_public()


def test_members_edit_their_own_pr_page_and_it_is_audited(client, world):
    assert "自治体PR" not in text(client.get("/local-governments/015814/"))
    sign_in(client, world.member)
    response = client.post("/members/profile/", {
        "catchphrase": "北の大地の米どころ", "introduction": "厚真町は**ハスカップ**の町です。",
        "specialities": "ハスカップ\n厚真米",
        "sights": "浜厚真海岸", "links": "厚真町観光協会 https://www.example.jp/atsuma/", "contact": "産業経済課 0145-27-2321",
        "photo_1": jpeg(), "photo_alt_1": "ハスカップの実", "photo_caption_1": ""})
    assert response.status_code == 302
    page = text(client.__class__().get("/local-governments/015814/"))
    assert "北の大地の米どころ" in page and "<strong>ハスカップ</strong>" in page and "厚真米" in page
    assert 'href="https://www.example.jp/atsuma/"' in page and 'alt="ハスカップの実"' in page
    assert AuditEntry.objects.get(action="portal.profile.created").actor == world.member

    for links in ("観光協会 javascript:alert(1)", "観光協会 http://www.example.jp/atsuma/"):
        response = client.post("/members/profile/", {"catchphrase": "x", "introduction": "", "specialities": "",
                                                     "sights": "", "links": links, "contact": ""})
        assert response.status_code == 400 and "URLは https:// から" in text(response), links
    assert Profile.objects.get(pk="015814").catchphrase == "北の大地の米どころ"


def test_only_members_have_pr_pages(client, world):
    sign_in(client, world.ward)
    assert client.get("/members/profile/").status_code == 403
    secretariat = client.__class__()
    sign_in(secretariat, world.secretariat)
    assert secretariat.get("/secretariat/profiles/012025/").status_code == 403  # 函館市 is not a member
    assert secretariat.get("/secretariat/profiles/015814/").status_code == 200
    Profile.objects.create(local_government_id="012025", catchphrase="函館の夜景")
    assert "函館の夜景" not in text(client.__class__().get("/local-governments/012025/"))


def test_a_withdrawn_member_s_pr_page_leaves_the_page_and_the_search(client, world):
    from renkei.membership import services as membership

    sign_in(client, world.member)
    client.post("/members/profile/", {"catchphrase": "ハスカップの町", "introduction": "紹介", "specialities": "",
                                      "sights": "", "links": "", "contact": ""})
    anonymous = client.__class__()
    found = '<a href="/local-governments/015814/">北海道厚真町</a>'
    assert found in text(anonymous.get("/search/?q=ハスカップ"))
    membership.withdraw(actor=world.member, local_government=world.member.local_government)
    assert "ハスカップの町" not in text(anonymous.get("/local-governments/015814/"))
    assert found not in text(anonymous.get("/search/?q=ハスカップ"))


def test_photos_are_served_once_what_they_show_is_public(client, world):
    sign_in(client, world.secretariat)
    client.post("/secretariat/news/new/", news_data(publishing="draft", photo_1=jpeg(), photo_alt_1="会場"))
    photo = Photo.objects.get(news__title="交流会を開きます")
    anonymous = client.__class__()
    assert anonymous.get(photo.small.url).status_code == 404
    preview = client.get(photo.small.url)
    assert preview.status_code == 200 and preview["Cache-Control"] == "private, no-cache"
    client.post(f"/secretariat/news/{photo.news_id}/", news_data())
    response = anonymous.get(photo.large.url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert "immutable" in response["Cache-Control"] and response["X-Content-Type-Options"] == "nosniff"
    assert anonymous.get("/media/photos/../../etc/passwd").status_code == 404


def _add(n: int, start: int):
    for i in range(start, start + n):
        NewsItem.objects.create(title=f"お知らせ{i}", body="本文", status=Status.PUBLISHED, publish_at=timezone.now())
        Event.objects.create(title=f"フェア{i}", kind="fair", starts_on=dt.date(2030, 1, 1), ends_on=dt.date(2030, 1, 2),
                             description="説明", organization_id="015814", status=Status.SUBMITTED)


@pytest.mark.parametrize("persona,url", [("secretariat", "/secretariat/news/"), ("secretariat", "/secretariat/events/"),
                                         ("member", "/members/events/"), ("anonymous", "/news/"),
                                         ("anonymous", "/events/"), ("anonymous", "/search/?q=フェア")])
def test_lists_cost_the_same_queries_for_2_rows_as_for_20(client, world, persona, url):
    from django.core.cache import cache

    if persona != "anonymous":
        sign_in(client, getattr(world, persona))
    _add(2, 0)
    cache.clear()
    few = count_queries(client, url)
    _add(18, 2)
    cache.clear()
    assert count_queries(client, url) == few


def test_a_photo_s_files_go_with_it_even_through_a_cascade(client, world, django_capture_on_commit_callbacks):
    """Deleted with its news item, a photo's files stay while the item can be put back, and go
    when the trash is purged; a photo deleted outside the trash takes its files at once."""
    from renkei.core import trash

    sign_in(client, world.secretariat)
    client.post("/secretariat/news/new/", news_data(photo_1=jpeg(), photo_alt_1="会場"))
    photo = Photo.objects.get(news__title="交流会を開きます")
    storage, names = photo.large.storage, [photo.large.name, photo.small.name]
    assert all(storage.exists(n) for n in names)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/secretariat/news/{photo.news_id}/delete/")
    assert not NewsItem.objects.filter(pk=photo.news_id).exists()
    assert all(storage.exists(n) for n in names)
    with django_capture_on_commit_callbacks(execute=True):
        assert trash.purge(now=timezone.now() + dt.timedelta(days=31)) == 1
    assert not any(storage.exists(n) for n in names)
    other = sample_photo()
    storage, names = other.large.storage, [other.large.name, other.small.name]
    with django_capture_on_commit_callbacks(execute=True):
        other.news.delete()
    assert not any(storage.exists(n) for n in names)


def test_the_secretariat_corrects_a_waiting_event_without_publishing_it(client, world):
    sign_in(client, world.member)
    client.post("/members/events/new/", event_data())
    event = Event.objects.get(title="厚真町フェア")
    secretariat = client.__class__()
    sign_in(secretariat, world.secretariat)
    form = text(secretariat.get(f"/secretariat/events/{event.pk}/"))
    assert 'value="keep"' in form and "今の状態（承認待ち）のまま保存する" in form
    secretariat.post(f"/secretariat/events/{event.pk}/", event_data(venue="東京区政会館 2階", publishing="keep"))
    event.refresh_from_db()
    assert event.venue == "東京区政会館 2階" and event.status == Status.SUBMITTED and not event.is_public()


def test_three_photos_at_once_each_with_its_text(client, world):
    sign_in(client, world.secretariat)
    response = client.post("/secretariat/news/new/", news_data(
        photo_1=jpeg(name="a.jpg"), photo_alt_1="一枚目", photo_2=jpeg(name="b.jpg"), photo_alt_2="",
        photo_3=jpeg(name="c.jpg"), photo_alt_3="三枚目"))
    assert response.status_code == 400 and "写真2の代替テキスト" in text(response)
    assert not Photo.objects.exists()  # one bad slot, nothing written
    client.post("/secretariat/news/new/", news_data(
        photo_1=jpeg(name="a.jpg"), photo_alt_1="一枚目", photo_2=jpeg(name="b.jpg"), photo_alt_2="二枚目",
        photo_3=jpeg(name="c.jpg"), photo_alt_3="三枚目"))
    item = NewsItem.objects.get(title="交流会を開きます")
    assert [p.alt for p in item.photos.all()] == ["一枚目", "二枚目", "三枚目"]
    entry = AuditEntry.objects.get(action="portal.news.created")
    assert entry.changes["photos"][1] == ["写真追加: 一枚目", "写真追加: 二枚目", "写真追加: 三枚目"]


def test_pr_pages_are_featured_on_the_home_page_and_listed_whole(client, world):
    Profile.objects.create(local_government_id="015814", catchphrase="ハスカップと厚真米の町", introduction="紹介")
    Profile.objects.create(local_government_id="014575", catchphrase="", introduction="")  # nothing written yet
    home = text(client.get("/"))
    assert "ハスカップと厚真米の町" in home and "北海道上川町" not in home
    listing = text(client.get("/search/?kind=profile"))
    assert "1件見つかりました" in listing and "北海道厚真町" in listing


def test_the_secretariat_deletes_an_event_and_it_leaves_every_list(client, world):
    sign_in(client, world.secretariat)
    client.post("/secretariat/events/new/", event_data())
    event = Event.objects.get(title="厚真町フェア")
    anonymous = client.__class__()
    assert "厚真町フェア" in text(anonymous.get("/search/?q=フェア"))
    assert client.post(f"/secretariat/events/{event.pk}/delete/").status_code == 302
    assert not Event.objects.filter(pk=event.pk).exists()
    assert "厚真町フェア" not in text(anonymous.get("/search/?q=フェア"))
    assert "厚真町フェア" not in text(anonymous.get("/events/"))
    assert AuditEntry.objects.get(action="portal.event.deleted").changes["title"] == ["厚真町フェア", None]


def test_a_photo_chosen_on_a_form_sent_back_with_an_error_says_it_was_not_kept(client, world):
    """The title was left empty: the page says so, and says the chosen photo must be chosen again."""
    sign_in(client, world.secretariat)
    response = client.post("/secretariat/news/new/", news_data(title="", photo_1=jpeg(), photo_alt_1="会場"))
    assert response.status_code == 400
    assert "この写真はまだ保存されていません" in text(response) and not Photo.objects.filter(alt="会場").exists()
