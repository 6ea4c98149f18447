"""The newsletter's statements, loaded as records (the session fixture loads them once)."""

import datetime as dt

import pytest
from django.core.management import call_command

from renkei.disasters.models import Disaster, DispatchFigure, FundContribution
from renkei.newsletter.records import NEWSLETTER_VOL1, SourceError, load_publication
from renkei.portal.models import Event, NewsItem
from renkei.registry.models import Association, CorporatePartnership, WideAreaAgreement
from renkei.registry.selectors import covered_municipalities
from renkei.sources.models import Erratum, Publication
from renkei.statistics.models import Metric, PublishedFigure

pytestmark = pytest.mark.django_db

PRINTED_AGREEMENTS = [
    ("北海道町村会", dt.date(2016, 4, 26), 144),
    ("京都府市長会", dt.date(2016, 4, 26), 26),
    ("京都府町村会", dt.date(2016, 4, 26), 26),
    ("青森県市長会", dt.date(2016, 6, 25), 40),
    ("青森県町村会", dt.date(2016, 6, 25), 40),
    ("千葉県町村会", dt.date(2017, 1, 19), 17),
    ("広島県町村会", dt.date(2017, 1, 27), 9),
    ("奈良県町村会", dt.date(2018, 2, 21), 27),
    ("群馬県市長会", dt.date(2018, 4, 16), 35),
    ("群馬県町村会", dt.date(2018, 4, 16), 35),
    ("埼玉県町村会", dt.date(2018, 5, 1), 23),
]


def all_counts():
    models = [Publication, Erratum, Association, WideAreaAgreement, CorporatePartnership,
              PublishedFigure, Event, NewsItem, Disaster, FundContribution, DispatchFigure]
    return {model.__name__: model.objects.count() for model in models}


def test_the_eleven_agreements_with_their_dates():
    rows = [(a.association.name, a.signed_on, a.printed_member_count)
            for a in WideAreaAgreement.objects.select_related("association").order_by("signed_on", "id")]
    assert rows == PRINTED_AGREEMENTS


def test_agreements_cover_321_municipalities_by_reference_data():
    agreements = list(WideAreaAgreement.objects.select_related("association__prefecture"))
    assert covered_municipalities(agreements).count() == 321


@pytest.mark.parametrize("day,count", [
    (dt.date(2015, 10, 1), 0), (dt.date(2016, 10, 1), 210), (dt.date(2017, 10, 1), 236),
    (dt.date(2018, 10, 1), 321),
])
def test_agreement_coverage_grows_as_the_newsletter_prints(day, count):
    from renkei.statistics.figures import figures_as_of

    assert figures_as_of(day)["agreement_municipalities"] == count


def test_association_members_follow_the_reference_data():
    assert Association.objects.get(name="北海道町村会").members().count() == 144
    assert Association.objects.get(name="京都府市長会").members().count() == 15
    assert Association.objects.get(name="京都府町村会").members().count() == 11


def test_corporate_partnership_has_six_fields_in_order():
    partnership = CorporatePartnership.objects.get()
    assert partnership.company == "第一生命保険株式会社"
    assert partnership.signed_on == dt.date(2018, 8, 23)
    fields = [f.title for f in partnership.fields_of_cooperation.order_by("position")]
    assert len(fields) == 6
    assert fields[0] == "産業振興に関すること"
    assert fields[-1] == "その他地域社会の活性化及び発展に関すること"


def test_three_events():
    events = {e.title: e for e in Event.objects.all()}
    assert len(events) == 3
    aomori = events["青森の魅力発信！"]
    assert (aomori.starts_on, aomori.ends_on) == (dt.date(2019, 1, 8), dt.date(2019, 2, 14))
    assert {a.name for a in aomori.associations.all()} == {"青森県市長会", "青森県町村会"}
    assert events["東京23区から全国の魅力再発見！"].associations.count() == 11
    assert events["地域活性のカギ「関係人口」について"].fiscal_year == 2018


def test_statistics_are_kept_as_published_with_their_source():
    figures = {(f.fiscal_year, f.metric): f.value for f in PublishedFigure.objects.all()}
    assert len(figures) == 16
    assert [figures[(fy, Metric.EXCHANGE)] for fy in range(2015, 2019)] == [574, 641, 675, 694]
    assert [figures[(fy, Metric.MEMBER)] for fy in range(2015, 2019)] == [149, 197, 237, 261]
    assert [figures[(fy, Metric.AGREEMENT)] for fy in range(2015, 2019)] == [None, 210, 236, 321]
    assert [figures[(fy, Metric.TOTAL)] for fy in range(2015, 2019)] == [660, 878, 926, 984]
    assert {f.source.slug for f in PublishedFigure.objects.select_related("source")} == {
        "zenkoku-renkei-news-vol1"
    }


def test_disasters_and_their_support():
    assert Disaster.objects.count() == 13
    kumamoto = Disaster.objects.get(name="平成28年熊本地震")
    fund = kumamoto.funds.get()
    assert fund.amount_yen == 55_000_000
    assert [r.local_government.name for r in fund.recipients.order_by("position")] == ["熊本県", "大分県"]
    dispatch = kumamoto.figures.get()
    assert (dispatch.people, dispatch.as_of) == (421, dt.date(2018, 4, 1))
    assert dispatch.roles == ["保健師", "技術職員", "事務職員"]

    east = Disaster.objects.get(name="東日本大震災")
    assert east.figures.get().people == 7030
    assert east.funds.get(kind="donation").amount_yen == 1_000_000_000
    assert east.funds.get(kind="recovery_fund").recipients.count() == 6

    iburi = Disaster.objects.get(name="平成30年北海道胆振東部地震")
    assert iburi.funds.get().amount_yen == 20_000_000
    assert [d.code for d in iburi.figures.get().destinations.all()] == ["015814"]  # 厚真町

    rain = Disaster.objects.get(name="平成30年7月豪雨")
    assert rain.date_precision == "month"
    assert rain.funds.get().recipients.count() == 9
    assert rain.funds.get().amount_yen == 76_000_000

    iwate_miyagi = Disaster.objects.get(name="平成20年岩手・宮城内陸地震")
    recipients = iwate_miyagi.funds.get().recipients.order_by("position")
    assert [r.association.name for r in recipients] == ["岩手県市長会", "宮城県市長会"]


def test_slips_are_corrected_and_the_printed_value_kept():
    errata = {e.field: e for e in Erratum.objects.all()}
    assert len(errata) == 2
    name = errata["団体名"]
    assert (name.printed, name.corrected) == ("京都市市長会", "京都府市長会")
    assert name.record.association.name == "京都府市長会"
    date = errata["発災時期"]
    assert (date.printed, date.corrected) == ("平成30年10月21日", "平成29年10月21日")
    assert date.record.started_on == dt.date(2017, 10, 21)


def test_the_grounds_for_a_correction_read_in_the_polite_style_of_the_site():
    # Each sentence of a 根拠 ends in です・ます like every other text the portal prints.
    for erratum in Erratum.objects.all():
        sentences = [s for s in erratum.reason.split("。") if s]
        assert sentences, erratum.field
        for sentence in sentences:
            assert sentence.endswith(("です", "ます", "ました", "でした", "ません")), sentence


def test_loading_again_changes_nothing():
    before = all_counts()
    report = load_publication()
    assert all_counts() == before
    assert len(report.errata) == 2


def test_loading_again_restores_an_edited_record():
    WideAreaAgreement.objects.filter(printed_member_count=144).update(printed_member_count=1)
    load_publication()
    assert WideAreaAgreement.objects.filter(printed_member_count=144).count() == 1


def test_an_installation_loaded_before_gets_vol1_as_printed_on_the_next_load():
    """Loaded by an earlier records file: the 第一生命 story under another title and paraphrased,
    the partnerships section printed, no closing words, a period past the issue date, a kept PDF.
    The next load words it as printed, composes it again and lets it be printed again."""
    from django.core.files.base import ContentFile

    from renkei.newsletter.models import Issue

    story = NewsItem.objects.get(title="第一生命と包括連携協定締結")
    NewsItem.objects.filter(pk=story.pk).update(title="第一生命と包括連携協定を締結", body="言い換えた本文")
    issue = Issue.objects.get(volume=1)
    issue.sections.update(closing="", included=True)
    Issue.objects.filter(pk=issue.pk).update(period_end=dt.date(2019, 3, 31))
    issue.pdf.save("vol-1.pdf", ContentFile(b"%PDF-1.4 old"))
    issues = Issue.objects.count()

    load_publication()
    issue.refresh_from_db()
    story.refresh_from_db()
    assert story.title == "第一生命と包括連携協定締結" and "稲垣精二" in story.body
    assert NewsItem.objects.filter(title__startswith="第一生命と包括連携協定").count() == 1
    assert issue.period_end == dt.date(2019, 3, 15) and not issue.pdf and Issue.objects.count() == issues
    assert not issue.sections.get(kind="partnerships").included
    (news,) = [s for s in issue.snapshot["sections"] if s["kind"] == "news"]
    assert "昭和22年5月1日に設立" in news["closing"] and "稲垣精二" in news["items"][0]["text"]
    published_at = issue.published_at
    load_publication()  # and a load after that changes nothing
    issue.refresh_from_db()
    assert issue.published_at == published_at and issue.snapshot["sections"][0]["closing"] == news["closing"]


def test_the_command_prints_the_report_with_the_errata():
    from io import StringIO

    out = StringIO()
    call_command("load_newsletter", stdout=out)
    text = out.getvalue()
    assert "正誤: 2件" in text
    assert "「京都市市長会」→「京都府市長会」" in text
    assert "「平成30年10月21日」→「平成29年10月21日」" in text


def test_an_unknown_body_writes_nothing(tmp_path):
    broken = NEWSLETTER_VOL1.read_text(encoding="utf-8").replace(
        'recipients = ["大阪府"]', 'recipients = ["架空県"]'
    )
    path = tmp_path / "broken.toml"
    path.write_text(broken.replace("zenkoku-renkei-news-vol1", "broken-copy"), encoding="utf-8")
    with pytest.raises(SourceError, match="架空県"):
        load_publication(path)
    assert not Publication.objects.filter(slug="broken-copy").exists()


def test_the_command_turns_errors_into_a_message(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("load_newsletter", str(tmp_path / "missing.toml"))


def test_every_printed_member_count_is_computed_from_the_reference_data():
    from renkei.registry.selectors import member_counts

    agreements = list(WideAreaAgreement.objects.select_related("association__prefecture"))
    member_counts(agreements)
    assert [(a.prefecture_count, a.printed_member_count) for a in agreements] == [
        (a.printed_member_count, a.printed_member_count) for a in agreements]
    kyoto = next(a for a in agreements if a.association.name == "京都府市長会")
    assert kyoto.member_count == 15 and kyoto.prefecture_count == 26
