"""Addresses the back office had before: bookmarks and old forms still arrive."""

import pytest

from renkei.testing import sample_thread, sign_in

pytestmark = pytest.mark.django_db


def test_a_page_that_moved_redirects_for_good_with_its_query(client, world):
    response = client.get("/board/moderation/?page=1")
    assert response.status_code == 301 and response["Location"] == "/secretariat/board/?page=1"
    response = client.get("/registry/import/7/")
    assert response.status_code == 301 and response["Location"] == "/secretariat/registry/import/7/"


def test_a_form_sent_to_an_old_address_keeps_its_method_and_arrives(client, world):
    thread = sample_thread()
    sign_in(client, world.secretariat)
    response = client.post(f"/board/threads/{thread.pk}/moderate/", {"action": "pin"}, follow=True)
    assert response.redirect_chain[0] == (f"/secretariat/board/threads/{thread.pk}/moderate/", 308)
    thread.refresh_from_db()
    assert thread.is_pinned


def test_the_new_address_still_guards_what_the_old_one_did(client, world):
    thread = sample_thread()
    sign_in(client, world.member)
    response = client.post(f"/board/threads/{thread.pk}/moderate/", {"action": "hide"}, follow=True)
    assert response.status_code == 403
    thread.refresh_from_db()
    assert not thread.is_hidden
