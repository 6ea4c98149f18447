"""Anonymous public pages are cached and revalidated; an editor's change shows at once."""

import pytest

from renkei.core import caching
from renkei.core.models import ContentVersion
from renkei.portal.models import NewsItem, Status
from renkei.testing import sign_in

pytestmark = pytest.mark.django_db


def test_an_anonymous_page_is_public_with_a_validator(client):
    response = client.get("/news/")
    assert response["Cache-Control"] == "public, max-age=0, must-revalidate"
    assert response["ETag"] and "Cookie" in response["Vary"] and "Accept-Language" in response["Vary"]
    assert not response.cookies
    again = client.get("/news/", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304 and again["ETag"] == response["ETag"]


def test_a_cached_page_costs_one_query(client, django_assert_num_queries):
    first = client.get("/agreements/")
    with django_assert_num_queries(1):  # the content version
        second = client.get("/agreements/")
    assert first.status_code == second.status_code == 200 and "北海道町村会" in second.content.decode()
    assert second.content == first.content and second["Content-Type"] == first["Content-Type"]


def test_publishing_replaces_the_cached_page_at_once(client, world):
    before = client.get("/news/")
    editor = client.__class__()
    sign_in(editor, world.secretariat)
    editor.post("/secretariat/news/new/", {"title": "速報のお知らせ", "lead": "", "body": "本文", "publishing": "now",
                                           "publish_at": "", "photo_alt_1": "", "photo_caption_1": ""})
    after = client.get("/news/", HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200 and after["ETag"] != before["ETag"]
    assert "速報のお知らせ" in after.content.decode()
    # taking it down is as quick
    item = NewsItem.objects.get(title="速報のお知らせ")
    editor.post(f"/secretariat/news/{item.pk}/", {"title": item.title, "lead": "", "body": "本文", "publishing": "draft",
                                                  "publish_at": "", "photo_alt_1": "", "photo_caption_1": ""})
    assert "速報のお知らせ" not in client.get("/news/").content.decode()


def test_languages_are_cached_apart(client):
    japanese = client.get("/news/").content.decode()
    client.cookies["django_language"] = "en"
    english = client.get("/news/").content.decode()
    assert 'lang="ja"' in japanese and 'lang="en"' in english


def test_signed_in_pages_and_forms_are_not_shared(client, world):
    contact = client.get("/contact/")  # carries a CSRF token
    assert contact.get("Cache-Control") != caching.PUBLIC_HEADERS and "ETag" not in contact
    sign_in(client, world.member)
    response = client.get("/news/")
    assert response["Cache-Control"] == "private, no-cache" and "ETag" not in response


def test_the_version_moves_with_registry_changes_and_not_with_private_records(world):
    stamp = caching.current()
    from renkei.inquiries.models import Inquiry

    Inquiry.objects.create(desk="project", name="x", email="x@example.jp", subject="s", body="b", sender_key="k")
    assert caching.current() == stamp
    NewsItem.objects.create(title="x", body="y", status=Status.DRAFT)
    assert caching.current() != stamp
    assert ContentVersion.objects.count() == 1


def test_the_language_link_sets_the_cookie_and_stays_on_the_site(client):
    response = client.get("/language/en/?next=/events/")
    assert response.status_code == 302 and response["Location"] == "/events/"
    assert response.cookies["django_language"].value == "en"
    assert client.get("/language/ja/?next=https://evil.example/")["Location"] == "/"
    assert client.get("/language/fr/").status_code == 404
