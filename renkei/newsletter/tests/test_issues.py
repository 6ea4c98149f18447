"""全国連携NEWS from the records: vol.1 rebuilt (web page and PDF), a new issue composed, checked,
refused while a printed section is empty, published, frozen, announced and mailed."""

import datetime as dt
import os
import re
import subprocess

import pytest
from django.core import mail
from django.core.management import call_command
from django.db.models import Value
from django.db.models.functions import Concat
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings

from renkei.core.models import AuditEntry, OutgoingEmail
from renkei.disasters.models import DispatchFigure
from renkei.newsletter.forms import NO_MARKUP
from renkei.newsletter.models import Issue, Subscription
from renkei.portal.models import NewsItem
from renkei.registry.models import Association
from renkei.statistics.models import Metric, PublishedFigure
from renkei.testing import get_within, pasted_text, pdf_info, pdf_text, poppler, sample_draft_issue, sign_in, text

pytestmark = pytest.mark.django_db

# Every figure of the seed's tables and highlights, as the printed vol.1 shows them.
SEED_FIGURES = [
    "574", "641", "675", "694", "+120", "149", "197", "237", "261", "+112", "210", "236", "321", "+321",
    "660", "878", "926", "984", "+324",
    "144", "26", "40", "17", "9", "27", "35", "23",
    "421人", "7,030人", "111人", "28人", "5,500万円", "10億円", "7,600万円", "2,000万円",
    "平成30年4月1日現在", "03-5210-9747", "03-5210-9910", "03-5210-9738", "平成31年3月15日",
]
ASSOCIATIONS = ["北海道町村会", "京都府市長会", "京都府町村会", "青森県市長会", "青森県町村会", "千葉県町村会",
                "広島県町村会", "奈良県町村会", "群馬県市長会", "群馬県町村会", "埼玉県町村会"]
DISASTERS = ["平成20年岩手・宮城内陸地震", "東日本大震災", "平成25年台風26号（伊豆大島土砂災害）", "平成28年熊本地震",
             "平成28年台風10号", "平成28年鳥取県中部を震源とする地震", "平成29年7月九州北部豪雨",
             "平成29年7月22日からの梅雨前線に伴う大雨", "平成29年台風18号", "平成29年台風21号",
             "平成30年大阪府北部を震源とする地震", "平成30年7月豪雨", "平成30年北海道胆振東部地震"]


def flat(value: str) -> str:
    """Text without the spaces and line breaks layout puts in (a table cell may wrap)."""
    return re.sub(r"\s+", "", value)


def missing(needles, haystack: str) -> list[str]:
    haystack = flat(haystack)
    return [needle for needle in needles if flat(needle) not in haystack]


def words(response) -> str:
    """A page's text without its tags."""
    return re.sub(r"<[^>]+>", "", response.content.decode())


def secretariat(world) -> Client:
    client = Client()
    sign_in(client, world.secretariat)
    return client


def test_vol1_is_rebuilt_from_the_records_as_a_tagged_a4_pdf_and_a_page(tmp_path):
    out, html = tmp_path / "vol1.pdf", tmp_path / "vol1.html"
    call_command("newsletter", "build", "--volume", "1", "--out", str(out), "--html", str(html))
    printed = out.read_bytes()
    said = pdf_text(printed)
    assert missing(SEED_FIGURES + ASSOCIATIONS + DISASTERS, said) == []
    # The errata are applied (the corrected name and date are printed) and listed.
    assert "京都府市長会" in flat(said) and "「京都市市長会」は「京都府市長会」の誤りでした" in flat(said)
    assert "平成29年10月21日" in said
    assert len(printed) < 2_000_000
    info = pdf_info(printed)
    assert info["Tagged"] == "yes" and info["Page size"].startswith("595.") and int(info["Pages"]) >= 2
    assert info["Title"] == "全国連携NEWS vol.1"
    fonts = subprocess.run([poppler("pdffonts"), str(out)], capture_output=True, check=True, text=True).stdout.splitlines()[2:]
    assert fonts and all(" yes yes yes " in f for f in fonts), fonts  # embedded, subset, with a Unicode map
    assert any("NotoSansCJK" in f.replace("-", "") for f in fonts)
    assert missing(SEED_FIGURES + DISASTERS, html.read_text(encoding="utf-8")) == []


def test_every_page_of_the_pdf_draws(tmp_path):
    from PIL import Image

    out = tmp_path / "vol1.pdf"
    call_command("newsletter", "build", "--volume", "1", "--out", str(out))
    pages = int(pdf_info(out.read_bytes())["Pages"])
    subprocess.run([poppler("pdftoppm"), "-r", "30", "-png", str(out), str(tmp_path / "page")], check=True)
    drawn = sorted(tmp_path.glob("page-*.png"))
    assert len(drawn) == pages
    for png in drawn:
        image = Image.open(png).convert("L")
        assert abs(image.height / image.width - 297 / 210) < 0.01
        inked = sum(image.histogram()[:200]) / (image.width * image.height)
        assert inked > 0.02, f"{png.name} is nearly blank"


def test_the_published_issue_is_a_public_page_and_a_pdf(client):
    page = get_within(client, "/newsletter/vol-1/", queries=3, contains="全国連携NEWS")
    assert missing(SEED_FIGURES + DISASTERS + ASSOCIATIONS, text(page)) == []
    index = client.get("/newsletter/")
    assert 'href="/newsletter/vol-1/"' in index.content.decode() and 'href="/newsletter/vol-1.pdf"' in index.content.decode()
    response = client.get("/newsletter/vol-1.pdf")
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    assert "7,030人" in pdf_text(response.content)
    assert Issue.objects.get(volume=1).pdf.name == "newsletter/vol-1.pdf"  # printed once, then kept
    assert client.get("/newsletter/vol-2/").status_code == 404


def test_a_published_issue_keeps_its_figures_when_the_records_change(client, world):
    DispatchFigure.objects.filter(disaster__name="東日本大震災").update(people=8000)
    assert "7,030人" in text(client.get("/newsletter/vol-1/"))
    assert "8,000人" not in text(client.get("/newsletter/vol-1/"))
    assert "7,030人" in pdf_text(client.get("/newsletter/vol-1.pdf").content)
    _new_issue(secretariat(world), period_start="2016-04-01", period_end="2019-03-31", issued_on="2019-03-31")
    # a draft composes from the records as they are now (東日本大震災's figure is of 平成30年4月1日, in its period)
    assert "8,000人" in text(secretariat(world).get("/secretariat/newsletter/vol-2/preview/"))


def _new_issue(client, **changes):
    data = {"volume": "2", "title": "全国連携NEWS", "period_label": "令和元年度", "period_start": "令和元年５月１日",
            "period_end": "２０２０／３／３１", "issued_on": "2020-03-31", "foreword": "", **changes}
    return client.post("/secretariat/newsletter/new/", data)


def _sections_post(issue, **overrides) -> dict:
    data = {"title": issue.title, "period_label": issue.period_label, "period_start": issue.period_start.isoformat(),
            "period_end": issue.period_end.isoformat(), "issued_on": issue.issued_on.isoformat(), "foreword": ""}
    for section in issue.sections.all():
        data[f"{section.kind}-position"] = str(section.position)
        if section.included:
            data[f"{section.kind}-included"] = "on"
        data[f"{section.kind}-lead"] = section.lead
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_a_new_issue_is_drafted_from_the_period_and_follows_the_records_until_published(world):
    client = secretariat(world)
    # full-width and 和暦 dates typed as the secretariat types them
    response = _new_issue(client, period_label="平成27～30年度", period_start="平成２７年４月１日", issued_on="2019-03-31",
                          period_end="２０１９／３／３１")
    assert response.status_code == 302 and response["Location"] == "/secretariat/newsletter/vol-2/"
    issue = Issue.objects.get(volume=2)
    assert issue.period_start == dt.date(2015, 4, 1) and not issue.is_published
    assert AuditEntry.objects.filter(action="newsletter.issue.created").count() == 1
    # The draft shows the figures of the records now, and says what changed since they were checked.
    assert "984" in text(client.get("/secretariat/newsletter/vol-2/preview/"))
    assert client.post("/secretariat/newsletter/vol-2/checked/").status_code == 302
    figure = PublishedFigure.objects.get(fiscal_year=2018, metric=Metric.EXCHANGE)
    figure.value = 700
    figure.save()
    edit = words(client.get("/secretariat/newsletter/vol-2/"))
    assert "数字で見る交流自治体数の推移／平成30年度／各区の交流自治体: 694 → 700" in edit
    assert "数字で見る交流自治体数の推移／増加数／各区の交流自治体: +120 → +126" in edit
    assert "合計: 984" not in edit  # the published total stands as published
    assert "700" in words(client.get("/secretariat/newsletter/vol-2/preview/"))


def test_publishing_refuses_empty_sections_then_freezes_announces_and_mails(world, django_capture_on_commit_callbacks):
    client = secretariat(world)
    _new_issue(client)
    issue = Issue.objects.get(volume=2)
    Subscription.objects.create(user=world.member)
    refused = client.post("/secretariat/newsletter/vol-2/publish/", {"notify": "on"})
    assert refused.status_code == 400
    assert "次の欄には対象期間の記録がありません" in text(refused) and "イベント" in text(refused)
    assert "災害支援" in text(refused)  # vol.1's disasters are not news of 令和元年度
    assert Issue.objects.get(volume=2).status == Issue.Status.DRAFT and OutgoingEmail.objects.count() == 0
    # The secretariat leaves out what 令和元年度 has no records for, and moves 数字で見る first.
    saved = client.post("/secretariat/newsletter/vol-2/", _sections_post(
        issue, **{"events-included": None, "news-included": None, "partnerships-included": None,
                  "disasters-included": None, "figures-position": "1", "news-position": "5",
                  "figures-lead": "連携の輪は広がり続けています。"}))
    assert saved.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        published = client.post("/secretariat/newsletter/vol-2/publish/", {"notify": "on"})
    assert published.status_code == 302 and published["Location"] == "/newsletter/vol-2/"
    issue.refresh_from_db()
    assert issue.is_published and issue.pdf.name == "newsletter/vol-2.pdf"
    assert [s["kind"] for s in issue.snapshot["sections"] if s["included"]][0] == "figures"
    page = text(Client().get("/newsletter/vol-2/"))
    assert "連携の輪は広がり続けています。" in page and 'id="nl-figures"' in page and 'id="nl-events"' not in page
    # Only its period's figures: 平成30年度's are vol.1's, so it says there are none for 令和元年度.
    assert "この期間の数字はありません。" in page and "984" not in page
    # Frozen: a record changed afterwards leaves the issue as it was.
    Association.objects.filter(name="北海道町村会").update(name="北海道町村会（改称）")
    assert "改称" not in text(Client().get("/newsletter/vol-2/"))
    assert client.post("/secretariat/newsletter/vol-2/", _sections_post(issue)).status_code == 400
    # Announced in the news (and so in the Atom feed), mailed as plain text to those who asked.
    news = NewsItem.objects.public().get(newsletter_issue=issue)
    assert "vol.2" in news.title and news.title in Client().get("/news/feed.atom").content.decode()
    (message,) = OutgoingEmail.objects.filter(kind="newsletter-published")
    assert message.to == world.member.email and message.body_html == ""
    assert "/newsletter/vol-2/" in message.body_text and "/newsletter/vol-2.pdf" in message.body_text
    assert [m.to for m in mail.outbox if "vol.2" in m.subject] == [[world.member.email]]
    assert AuditEntry.objects.filter(action="newsletter.issue.published").count() == 1
    printed = pdf_text(Client().get("/newsletter/vol-2.pdf").content)
    assert "この期間の数字はありません。" in printed and "北海道町村会" in printed
    # Nothing of vol.1's period: not its figures, disasters or errata.
    assert "984" not in printed and "7,030人" not in printed and "京都市市長会" not in printed


def test_bad_input_gets_a_clear_message_and_writes_nothing(world):
    client = secretariat(world)
    empty = _new_issue(client, period_start="2000-04-01", period_end="2001-03-31", issued_on="2001-03-31")
    assert empty.status_code == 400 and "載せられる記録" in text(empty) and "一件もありません" in text(empty)
    backwards = _new_issue(client, period_start="2020-03-31", period_end="2019-04-01")
    assert backwards.status_code == 400 and "末日が初日より前です" in text(backwards)
    taken = _new_issue(client, volume="1")
    assert taken.status_code == 400 and "vol.1 はすでにあります" in text(taken)
    assert not Issue.objects.filter(volume=2).exists()
    _new_issue(client)
    issue = Issue.objects.get(volume=2)
    before = list(issue.sections.values_list("kind", "position", "lead"))
    markup = client.post("/secretariat/newsletter/vol-2/", _sections_post(issue, **{"join-lead": "<b>ぜひ</b>ご登録を"}))
    assert markup.status_code == 400 and NO_MARKUP in text(markup)
    twice = client.post("/secretariat/newsletter/vol-2/", _sections_post(issue, **{"join-position": "1"}))
    assert twice.status_code == 400 and "順番が重なっています" in text(twice)
    assert list(issue.sections.values_list("kind", "position", "lead")) == before


def test_members_choose_whether_to_be_mailed(world):
    client = Client()
    sign_in(client, world.member)
    assert "メールで受け取る" in text(client.get("/newsletter/"))
    assert client.post("/newsletter/subscription/", {"wanted": "on"}).status_code == 302
    assert Subscription.objects.filter(user=world.member).exists()
    assert "メールでのお知らせをやめる" in text(client.get("/newsletter/"))
    client.post("/newsletter/subscription/", {"wanted": ""})
    assert not Subscription.objects.filter(user=world.member).exists()
    assert list(AuditEntry.objects.filter(action__startswith="newsletter.").values_list("action", flat=True)
                .order_by("pk")) == ["newsletter.subscribed", "newsletter.unsubscribed"]
    assert "メールで受け取る" not in text(Client().get("/newsletter/"))


def test_photos_of_the_period_are_printed_with_their_text(tmp_path):
    from renkei.newsletter.compose import compose
    from renkei.newsletter.services import print_issue
    from renkei.testing import sample_photo

    photo = sample_photo()  # on the first news item, 第一生命との協定 (平成30年8月23日)
    photo.caption = "協定書にサインする両代表"
    photo.save(update_fields=["caption"])
    composition = compose(Issue.objects.get(volume=1))
    (news,) = [s for s in composition["sections"] if s["kind"] == "news"]
    assert news["items"][0]["photos"][0]["alt"] == "会場の様子"
    out = tmp_path / "with-photo.pdf"
    out.write_bytes(print_issue(composition))
    images = subprocess.run([poppler("pdfimages"), "-list", str(out)], capture_output=True, check=True,
                            text=True).stdout.splitlines()[2:]
    assert len(images) == 1 and f" {photo.small_width} " in images[0]
    assert "協定書にサインする両代表" in pdf_text(out.read_bytes())
    # A photo whose file is gone is left out, its caption kept; the issue still prints.
    photo.small.storage.delete(photo.small.name)
    out.write_bytes(print_issue(compose(Issue.objects.get(volume=1))))
    assert subprocess.run([poppler("pdfimages"), "-list", str(out)], capture_output=True, check=True,
                          text=True).stdout.splitlines()[2:] == []
    said = pdf_text(out.read_bytes())
    assert "第一生命と包括連携協定締結" in said and "協定書にサインする両代表" in said


def test_what_people_paste_into_a_disasters_name_or_the_foreword_never_stops_the_printing(world):
    """An emoji and a control character in every public disaster's name, Thai and a non-character
    in the foreword: the preview prints, with 〓 where no font has the character."""
    from renkei.disasters.models import Disaster

    client = secretariat(world)
    assert _new_issue(client, foreword="ご挨拶🙂\x07 ภาษาไทย\ufffe").status_code == 302
    Disaster.objects.public().update(name=Concat("name", Value("🌀\x1b")))
    response = client.get("/secretariat/newsletter/vol-2/preview.pdf")
    assert response.status_code == 200
    said = "".join(pdf_text(response.content).split())
    assert "ภาษาไทย" in said and "\x1b" not in said and "\x07" not in said
    assert Issue.objects.get(volume=2).foreword == "ご挨拶🙂 ภาษาไทย"  # controls removed where the form came in


PASTED = pasted_text()


@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "6")), deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(foreword=PASTED, title=PASTED, body=PASTED, name=PASTED)
def test_whatever_is_pasted_into_an_issues_texts_prints(world, foreword, title, body, name):
    """Any Unicode in the foreword, a news item of the period (title and text) and a public
    disaster's name, stored on this database: the issue's preview prints."""
    from renkei.disasters.models import Disaster
    from renkei.portal.models import Status

    issue = sample_draft_issue()
    Issue.objects.filter(pk=issue.pk).update(foreword=foreword)
    when = dt.datetime(2019, 6, 1, 10, 17, 23, tzinfo=dt.UTC)
    NewsItem.objects.filter(publish_at=when).delete()
    NewsItem.objects.create(title=title[:200], body=body, status=Status.PUBLISHED, publish_at=when)
    disaster = Disaster.objects.public().order_by("pk").first()
    Disaster.objects.filter(pk=disaster.pk).update(name=f"{name[:60]}{disaster.pk}")
    response = secretariat(world).get(f"/secretariat/newsletter/vol-{issue.volume}/preview.pdf")
    assert response.status_code == 200 and pdf_info(response.content)["Tagged"] == "yes"


def test_an_issue_published_ahead_of_its_date_goes_public_on_it_with_its_news_and_mail(
        world, django_capture_on_commit_callbacks):
    """発行予約: frozen and printed when the secretariat publishes, seen by readers, announced in
    the news (dated then) and mailed from the issue date's first minute in Japan, once."""
    import time_machine

    from renkei.newsletter import services

    japan = dt.timezone(dt.timedelta(hours=9))
    client = secretariat(world)
    Subscription.objects.create(user=world.member)
    with time_machine.travel(dt.datetime(2026, 12, 5, 10, 0, tzinfo=japan), tick=False):
        _new_issue(client, period_label="令和8年度上半期", period_start="2026-04-01", period_end="2026-09-30",
                   issued_on="令和８年１２月１５日")
        issue = Issue.objects.get(volume=2)
        client.post("/secretariat/newsletter/vol-2/", _sections_post(issue, **{
            f"{kind}-included": None for kind in ("events", "news", "partnerships", "disasters")}))
        published = client.post("/secretariat/newsletter/vol-2/publish/", {"notify": "on"})
        assert published.status_code == 302 and published["Location"] == "/secretariat/newsletter/vol-2/"
        issue.refresh_from_db()
        assert issue.is_published and issue.is_scheduled
        assert issue.published_at == dt.datetime(2026, 12, 15, 0, 0, tzinfo=japan)
        assert "発行予約（令和8年12月15日(火) 00:00に公開）" in text(client.get("/secretariat/newsletter/"))
        reader = Client()
        assert reader.get("/newsletter/vol-2/").status_code == 404
        assert reader.get("/newsletter/vol-2.pdf").status_code == 404
        assert "vol-2" not in text(reader.get("/newsletter/"))
        assert not NewsItem.objects.public().filter(newsletter_issue=issue).exists()
        assert OutgoingEmail.objects.filter(kind="newsletter-published").count() == 0
        assert client.get("/secretariat/newsletter/vol-2/preview/").status_code == 200  # the secretariat checks it
    with time_machine.travel(dt.datetime(2026, 12, 14, 23, 59, tzinfo=japan), tick=False):
        assert Client().get("/newsletter/vol-2/").status_code == 404
        assert services.announce_due() == 0
    with time_machine.travel(dt.datetime(2026, 12, 15, 0, 1, tzinfo=japan), tick=False):
        reader = Client()
        with django_capture_on_commit_callbacks(execute=True):
            index = reader.get("/newsletter/")  # the first visit after midnight: the pages and the mail follow
        assert 'href="/newsletter/vol-2/"' in index.content.decode()
        assert reader.get("/newsletter/vol-2/").status_code == 200
        news = NewsItem.objects.public().get(newsletter_issue=issue)
        assert timezone.localdate(news.publish_at) == dt.date(2026, 12, 15)
        (message,) = OutgoingEmail.objects.filter(kind="newsletter-published")
        assert message.to == world.member.email
        assert services.announce_due() == 0  # once
        call_command("newsletter", "announce")
        assert OutgoingEmail.objects.filter(kind="newsletter-published").count() == 1
