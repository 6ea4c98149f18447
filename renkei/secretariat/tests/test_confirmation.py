"""Destructive actions ask first, on their own page, and only the form sent from it acts."""

import pytest

from renkei.portal.models import NewsItem
from renkei.testing import sample_post, sign_in, text

pytestmark = pytest.mark.django_db


def test_deleting_a_news_item_asks_first_and_says_what_goes(client, world):
    item = NewsItem.objects.order_by("pk").first()
    sign_in(client, world.secretariat)
    edit = text(client.get(f"/secretariat/news/{item.pk}/"))
    assert f'href="/secretariat/news/{item.pk}/delete/"' in edit  # a link to the question, not a button that deletes
    page = text(client.get(f"/secretariat/news/{item.pk}/delete/"))
    assert item.title in page and "30日間、事務局が「削除したもの」の画面から元に戻せます" in page
    assert "button-danger" in page
    assert NewsItem.objects.filter(pk=item.pk).exists()  # asking removed nothing
    client.post(f"/secretariat/news/{item.pk}/delete/")
    assert not NewsItem.objects.filter(pk=item.pk).exists()


def test_removing_a_colleague_names_them_and_what_follows(client, world):
    sign_in(client, world.member)
    page = text(client.get(f"/members/staff/{world.colleague.pk}/remove/"))
    assert world.colleague.email in page and "ログインできなくなります" in page
    world.colleague.refresh_from_db()
    assert world.colleague.is_active


def test_deleting_a_board_post_asks_its_author_first(client, world):
    post = sample_post()
    sign_in(client, world.member)
    page = text(client.get(f"/board/posts/{post.pk}/delete/"))
    assert "観光連携の相手を探しています" in page and "取り消せません" in page
    post.refresh_from_db()
    assert not post.is_deleted
