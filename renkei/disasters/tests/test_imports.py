"""Past records from the secretariat's spreadsheets: dispatches and funds, all rows or none."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from renkei.core.models import AuditEntry, ImportBatch
from renkei.disasters.models import Disaster, Dispatch, FundContribution
from renkei.disasters.selectors import dispatch_counts
from renkei.testing import sign_in

pytestmark = pytest.mark.django_db
DISPATCH = ["災害", "特別区", "職種", "人数", "派遣開始日", "派遣終了日", "派遣先", "派遣ルート", "状態"]
CHANNEL = "特別区長会の共同派遣"
KUMAMOTO = "平成28年熊本地震"


def xlsx(rows, header) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


ROWS = [
    [KUMAMOTO, "千代田区", "保健師", 2, dt.datetime(2016, 4, 28), dt.datetime(2016, 5, 4), "熊本県熊本市", CHANNEL, "派遣済"],  # noqa: DTZ001
    [KUMAMOTO, "中央区", "事務", "3人", "平成28年5月1日", "2016/5/10", "431001", CHANNEL, "派遣済"],
    [KUMAMOTO, "港区", "建築", 1, "2016-05-08", "2016-05-20", "熊本県益城町", CHANNEL, "中止"],
]


def test_a_file_of_dispatches_gives_the_three_counts_for_any_date(client, world):
    sign_in(client, world.secretariat)
    response = client.post("/secretariat/registry/import/", {"kind": "dispatches",
                                                           "file": SimpleUploadedFile("派遣.xlsx", xlsx(ROWS, DISPATCH))})
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    preview = client.get(response["Location"]).content.decode()
    assert "職員派遣" in preview and "熊本県熊本市" in preview
    # the dispatch's own columns, a cell each
    assert all(f'<th scope="col">{heading}</th>' in preview for heading in [*DISPATCH, "第N陣", "業務"])
    assert "<td>保健師</td><td>2</td>" in preview and "<td>派遣済</td>" in preview
    assert not Dispatch.objects.exists()
    kumamoto = Disaster.objects.get(name=KUMAMOTO)
    kumamoto.state = Disaster.State.COLLECTING
    kumamoto.save()
    confirmed = client.post(f"/secretariat/registry/import/{batch.pk}/confirm/")
    assert confirmed.status_code == 302 and confirmed["Location"] == f"/secretariat/disasters/{kumamoto.pk}/"
    assert Dispatch.objects.filter(disaster=kumamoto).confirmed().count() == 3
    # each dispatch audited as one typed in; support has begun (情報収集 → 支援中)
    created = AuditEntry.objects.filter(action="disasters.dispatch.created", actor=world.secretariat)
    assert sorted(int(e.object_id) for e in created) == sorted(Dispatch.objects.values_list("pk", flat=True))
    kumamoto.refresh_from_db()
    assert kumamoto.state == Disaster.State.SUPPORTING
    assert kumamoto.state_changes.filter(state=Disaster.State.SUPPORTING, by=world.secretariat).exists()
    on_may_3 = dispatch_counts(kumamoto, dt.date(2016, 5, 3)).total
    assert (on_may_3.people, on_may_3.person_days, on_may_3.on_duty) == (5, 2 * 6 + 3 * 3, 5)
    later = dispatch_counts(kumamoto, dt.date(2016, 6, 1)).total
    assert (later.people, later.person_days, later.on_duty) == (5, 2 * 7 + 3 * 10, 0)
    assert AuditEntry.objects.filter(action="disasters.dispatches.imported").exists()


def dispatch_row(**changes):
    values = dict(zip(DISPATCH, [KUMAMOTO, "千代田区", "保健師", 2, "2016-04-28", "2016-05-04", "熊本県熊本市", CHANNEL,
                                 "派遣済"], strict=True))
    return list({**values, **changes}.values())


@pytest.mark.parametrize("row,column,message", [
    (dispatch_row(職種="占い師"), "職種", "職種「占い師」はありません"),
    (dispatch_row(人数=0), "人数", "1以上"),
    (dispatch_row(人数="፩"), "人数", "半角か全角の数字"),
    (dispatch_row(人数="100000000000000000000"), "人数", "大きすぎます"),
    (dispatch_row(人数=100_000), "人数", "10,000人まで"),  # the form's bound, kept by Dispatch.clean
    (dispatch_row(派遣開始日="2016-05-04", 派遣終了日="2016-04-28"), "派遣終了日", "派遣開始日より前"),
    (dispatch_row(災害="架空の地震"), "災害", "災害「架空の地震」"),
    (dispatch_row(特別区="厚真町"), "特別区", "特別区"),
    (dispatch_row(状態="いろいろ"), "状態", "状態「いろいろ」"),
])
def test_a_bad_row_is_named_by_row_and_column_and_nothing_is_written(row, column, message, tmp_path):
    path = tmp_path / "派遣.xlsx"
    path.write_bytes(xlsx([ROWS[0], row], DISPATCH))
    out = io.StringIO()
    with pytest.raises(CommandError, match="取り込みませんでした"):
        call_command("import_dispatches", str(path), "--commit", stdout=out)
    assert f"3行目 [{column}] " in out.getvalue() and message in out.getvalue()
    assert not Dispatch.objects.exists()


def test_a_blank_dispatch_route_is_recorded_as_unknown_not_refused(tmp_path):
    path = tmp_path / "派遣.xlsx"
    path.write_bytes(xlsx([dispatch_row(派遣ルート=None)], DISPATCH))
    call_command("import_dispatches", str(path), "--commit", stdout=io.StringIO())
    assert Dispatch.objects.get().channel.name == "不明（記録なし）"


def test_the_command_checks_first_and_writes_with_commit(tmp_path):
    path = tmp_path / "派遣.csv"
    path.write_text("\n".join([",".join(DISPATCH), ",".join(str(cell) for cell in dispatch_row())]), encoding="utf-8")
    out = io.StringIO()
    call_command("import_dispatches", str(path), stdout=out)
    assert "確認のみ" in out.getvalue() and not Dispatch.objects.exists()
    call_command("import_dispatches", str(path), "--commit", stdout=out)
    assert "1件を取り込みました" in out.getvalue() and Dispatch.objects.get().persons == 2


FUND = ["災害", "種別", "総額", "提供先", "金額", "決定日"]


def test_funds_are_grouped_and_their_recipients_must_add_up(client, world):
    rows = [["平成30年7月豪雨", "復興支援金", 76_000_000, "岡山県", 40_000_000, "2018-07-30"],
            ["平成30年7月豪雨", "復興支援金", 76_000_000, "広島県", 36_000_000, ""],
            [KUMAMOTO, "復興支援金", 55_000_000, "熊本県", 50_000_000, ""]]
    sign_in(client, world.secretariat)
    client.post("/secretariat/registry/import/", {"kind": "funds", "file": SimpleUploadedFile("支援金.xlsx", xlsx(rows, FUND))})
    batch = ImportBatch.objects.get()
    assert batch.errors == [{"row": 4, "column": "金額", "message": "この支援金（4行目から）: 提供先の金額の合計が総額より"
                                                                   "5,000,000円少なくなっています（総額 55,000,000円、"
                                                                   "提供先の合計 50,000,000円）。"}]
    before = FundContribution.objects.count()
    rows[2][4] = 55_000_000
    client.post("/secretariat/registry/import/", {"kind": "funds", "file": SimpleUploadedFile("支援金.xlsx", xlsx(rows, FUND))})
    batch = ImportBatch.objects.latest("pk")
    assert batch.errors == []
    confirmed = client.post(f"/secretariat/registry/import/{batch.pk}/confirm/")
    assert confirmed["Location"] == "/secretariat/disasters/#funds"  # two disasters: the HQ's list
    assert FundContribution.objects.count() == before + 2
    assert AuditEntry.objects.filter(action="disasters.fund.created").count() == 2
    flood = FundContribution.objects.filter(disaster__name="平成30年7月豪雨", decided_on=dt.date(2018, 7, 30)).get()
    assert [(r.local_government.name, r.amount_yen) for r in flood.recipients.all()] == [
        ("岡山県", 40_000_000), ("広島県", 36_000_000)]


@pytest.mark.parametrize("typed", ["平成25年台風26号（伊豆大島土砂災害）", "平成25年台風26号(伊豆大島土砂災害)",
                                   "平成25年台風26号（伊豆大島土砂災害） ", "平成25年台風26号(伊豆大島土砂災害)　"])
def test_a_disaster_is_found_by_its_name_with_either_bracket(typed):
    from renkei.disasters.imports import Lookups, disaster

    assert disaster()(typed, Lookups()).name == "平成25年台風26号（伊豆大島土砂災害）"


@pytest.mark.parametrize("typed,code", [
    ("袖ヶ浦市", "122297"), ("千葉県袖ヶ浦市", "122297"), ("鶴ケ島市", "112411"), ("鯵ヶ沢町", "023213"),
    ("鯵ケ沢町", "023213"), ("髙山市", "212032")])
def test_a_place_is_found_however_its_variant_characters_are_typed(typed, code):
    from renkei.municipalities.names import Names

    assert Names().resolve(typed).code == code
    assert Names(preload=True).resolve(typed).code == code


def test_each_job_is_listed_once_and_old_names_still_import(world):
    """事務 and 事務職員 were two entries for one job, 土木・建築 beside 技術職員: now one list, and a
    spreadsheet that writes 事務 or 建築 imports as 事務職員 / 技術職員（建築）; an installation that
    had the old entries has them merged, their dispatches following (migration 0011)."""
    import importlib

    from django.apps import apps

    from renkei.disasters.imports import Lookups
    from renkei.disasters.models import Role
    from renkei.testing import sample_disaster

    names = list(Role.objects.values_list("name", flat=True))
    assert "事務" not in names and "土木" not in names and "建築" not in names
    assert names[:5] == ["保健師", "事務職員", "技術職員", "技術職員（土木）", "技術職員（建築）"]
    roles = Lookups().roles
    assert roles["事務"].name == "事務職員" and roles["建築"].name == "技術職員（建築）"
    migration = importlib.import_module("renkei.disasters.migrations.0011_one_name_per_job")
    old = Role.objects.create(name="事務", position=99)
    dispatch = Dispatch.objects.filter(disaster=sample_disaster()).first()
    Dispatch.objects.filter(pk=dispatch.pk).update(role=old)
    migration.forwards(apps, None)
    assert not Role.objects.filter(name="事務").exists()
    assert Dispatch.objects.get(pk=dispatch.pk).role.name == "事務職員"
