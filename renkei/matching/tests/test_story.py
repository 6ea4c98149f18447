"""The matching story walked in Chromium at 1280 and 390 px (axe, width, weight at each page, as
the accessibility suite checks every page): a municipality states a wish, a ward sees it
suggested with its reasons and proposes, the municipality accepts, the relation is in /relations/
and 数字で見る counts it. Screenshots go to var/screenshots/matching-*.png."""

import re
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from renkei.core.tests.test_accessibility import browser, check_page, tab  # noqa: F401 (fixtures)
from renkei.matching.models import Proposal, Wish
from renkei.registry.models import CooperationField, Relation, RelationKind
from renkei.statistics.figures import figures_as_of
from renkei.testing import sign_in

pytestmark = [pytest.mark.django_db, pytest.mark.browser]

SHOTS = Path(__file__).resolve().parents[3] / "var" / "screenshots"


def ids(*names):
    return [str(pk) for pk in CooperationField.objects.filter(name__in=names).values_list("pk", flat=True)]


def send(client, url, data):
    page = client.get(url).content.decode()
    once = re.search(r'name="once" value="([^"]+)"', page)
    return client.post(url, {**data, **({"once": once.group(1)} if once else {})})


def test_from_a_wish_to_a_figure(tab, world):  # noqa: F811
    SHOTS.mkdir(parents=True, exist_ok=True)
    town, ward = Client(), Client()
    sign_in(town, world.member)  # 厚真町
    sign_in(ward, world.ward)  # 千代田区
    exchange = RelationKind.objects.get(name="交流事業").pk
    before = figures_as_of(timezone.localdate())["exchange_municipalities"]

    check_page(tab, town, "ja", "/members/matching/wishes/new/", persona="member",
               screenshot=str(SHOTS / "matching-1-wish-form.png"))
    assert send(town, "/members/matching/wishes/new/", {
        "title": "ハスカップと復興の物産展を区内で", "kind": exchange, "seeks": ids("観光"), "offers": ids("産業"),
        "forms": [], "regions": ["kanto"], "text": "震災からの歩みとともに、町の産品を届けたい。", "is_open": "on",
    }).status_code == 302
    assert send(ward, "/members/matching/wishes/new/", {
        "title": "商店街の物産展に出店してくれる自治体", "kind": exchange, "seeks": ids("産業"), "offers": ids("観光"),
        "regions": ["hokkaido"], "text": "", "is_open": "on",
    }).status_code == 302
    ward_wish = Wish.objects.get(body_id="131016")

    seen = check_page(tab, ward, "ja", f"/members/matching/wishes/{ward_wish.pk}/", persona="ward",
                      screenshot=str(SHOTS / "matching-2-suggestions.png"))
    assert "北海道厚真町" in seen["text"] and "こちらが求める産業を、厚真町は提供できると掲げています" in seen["text"]

    page = ward.get(f"/members/matching/wishes/{ward_wish.pk}/").content.decode()
    once = re.search(r'name="once" value="([^"]+)"', page).group(1)
    assert ward.post(f"/members/matching/wishes/{ward_wish.pk}/propose/", {
        "once": once, "recipient": "015814", "kind": exchange, "fields": ids("産業", "観光"),
        "message": "区の商店街まつりで物産展をご一緒しませんか。",
    }).status_code == 302
    proposal = Proposal.objects.get()

    seen = check_page(tab, town, "ja", "/members/matching/", persona="member",
                      screenshot=str(SHOTS / "matching-3-desk.png"))
    assert "千代田区" in seen["text"] and "回答待ち" in seen["text"]
    seen = check_page(tab, town, "ja", f"/members/matching/proposals/{proposal.pk}/", persona="member",
                      screenshot=str(SHOTS / "matching-4-proposal.png"))
    assert "受諾する" in seen["text"] and "今日の日付で交流の記録" in seen["text"]
    assert town.post(f"/members/matching/proposals/{proposal.pk}/accept/", {"confirm": "on"}).status_code == 302

    assert Relation.objects.filter(ward_id="131016", municipality_id="015814").exists()
    seen = check_page(tab, Client(), "ja", "/relations/?ward=131016", screenshot=str(SHOTS / "matching-5-relations.png"))
    assert "厚真町" in seen["text"]
    assert figures_as_of(timezone.localdate())["exchange_municipalities"] == before + 1
