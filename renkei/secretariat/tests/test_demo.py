"""`make demo`: a scratch portal with people and work in it, every account usable at once."""

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from renkei.testing import sign_in_with_password, text

pytestmark = pytest.mark.django_db


def load_demo() -> tuple[str, str]:
    out = StringIO()
    call_command("load_demo", stdout=out)
    printed = out.getvalue()
    return printed, re.search(r"パスワード: (\S+)", printed).group(1)


def test_the_printed_accounts_sign_in_and_the_secretariat_finds_its_work_waiting(client):
    printed, password = load_demo()
    emails = re.findall(r"[\w.-]+@[\w.-]+", printed)
    assert len(emails) == 7

    code = StringIO()
    call_command("load_demo", "--code", stdout=code)
    assert sign_in_with_password(client, "jimukyoku@demo.renkei.example.jp", password).status_code == 302
    assert client.post("/accounts/two-factor/", {"token": code.getvalue().strip()}).status_code == 302
    dashboard = text(client.get("/secretariat/"))
    assert "弘前市" in text(client.get("/secretariat/applications/"))  # an application to decide
    assert "厚真町フェア in 東京" in text(client.get("/secretariat/events/"))  # an event to approve
    assert "保留" in dashboard
    assert "北海道胆振地方の地震を想定した訓練" in text(client.get("/secretariat/disasters/"))
    # Current-year news, so the portal does not look abandoned
    assert f"{timezone.localdate().year}年度 全国連携講演会" in text(Client().get("/news/"))

    member = Client()
    assert sign_in_with_password(member, "kikaku@town.atsuma.demo.example.jp", password)["Location"] == "/members/"
    board = text(member.get("/board/"))
    assert "冬の観光物産展に出展する区を募集します" in board
    assert "保健師" in text(member.get("/members/disasters/"))  # 厚真町's request, struck by the drill


def test_two_wards_answer_the_drills_enquiry_and_the_hq_sees_both(client):
    """The disaster story with two wards, from the demo's printed accounts alone."""
    printed, password = load_demo()
    answers = {"bousai@city.chiyoda.demo.example.jp": "2", "bousai@city.minato.demo.example.jp": "1"}
    for email, people in answers.items():
        ward = Client()
        assert sign_in_with_password(ward, email, password).status_code == 302
        desk = ward.get("/members/disasters/").content.decode()
        answer_url = re.search(r'href="(/members/disasters/enquiries/\d+/)"', desk).group(1)
        assert ward.post(answer_url, {"answer": "yes", "quantity": people}).status_code == 302
    code = StringIO()
    call_command("load_demo", "--code", stdout=code)
    sign_in_with_password(client, "jimukyoku@demo.renkei.example.jp", password)
    client.post("/accounts/two-factor/", {"token": code.getvalue().strip()})
    matrix = client.get(answer_url.replace("/members/disasters/", "/secretariat/disasters/")).content.decode()
    assert "回答済み" in matrix and "2/23" in re.sub(r"<[^>]+>|\s", "", matrix)


def test_it_fills_only_an_empty_database():
    load_demo()
    with pytest.raises(CommandError, match="空のデータベースにだけ"):
        call_command("load_demo", stdout=StringIO())
