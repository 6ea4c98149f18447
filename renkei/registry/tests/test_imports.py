"""Importing relations from Excel and CSV: clean files go in whole, broken ones not at all."""

import datetime as dt
import functools
import io
import random
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from renkei.core import imports
from renkei.core.models import AuditEntry, ImportBatch
from renkei.registry.imports import RelationsImport
from renkei.registry.models import Relation
from renkei.testing import sign_in

pytestmark = pytest.mark.django_db
HEADER = ["特別区", "自治体", "種別", "分野", "開始日", "終了日", "備考"]


def xlsx(rows, header=HEADER) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


GOOD_ROWS = [
    ["千代田区", "北海道厚真町", "友好都市・姉妹都市", "観光、文化・芸術", dt.datetime(2015, 4, 1), None, "Excelの日付"],  # noqa: DTZ001 (Excel cells are naive)
    ["中央区", "012025", "災害時相互応援協定", "防災・災害支援", "平成28年4月1日", "", ""],
    ["港区", "あおもりし", "交流事業", "", "2017/10/1", "2019-03-31", "よみで指定"],
]


def upload(client, data: bytes, name="交流一覧.xlsx"):
    return client.post("/secretariat/registry/import/", {"file": SimpleUploadedFile(name, data)})


def test_an_excel_file_with_japanese_names_imports_after_confirmation(client, world):
    sign_in(client, world.secretariat)
    response = upload(client, xlsx(GOOD_ROWS))
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    preview = client.get(response["Location"]).content.decode()
    assert "3行中 3行を確認しました" in preview and "北海道厚真町" in preview
    assert all(f'<th scope="col">{heading}</th>' in preview for heading in HEADER)  # this kind's columns
    assert not Relation.objects.exists()  # nothing written before confirmation

    assert client.post(f"/secretariat/registry/import/{batch.pk}/confirm/").status_code == 302
    relations = Relation.objects.select_related("ward", "municipality").order_by("started_on")
    assert [(r.ward.name, r.municipality.code, r.started_on) for r in relations] == [
        ("千代田区", "015814", dt.date(2015, 4, 1)), ("中央区", "012025", dt.date(2016, 4, 1)),
        ("港区", "022012", dt.date(2017, 10, 1))]
    assert {f.name for f in relations[0].fields.all()} == {"観光", "文化・芸術"}
    assert relations[2].ended_on == dt.date(2019, 3, 31)
    assert AuditEntry.objects.filter(action="registry.relations.imported", actor=world.secretariat).exists()
    # each relation is audited as one typed in, its fields named
    created = AuditEntry.objects.filter(action="registry.relation.created", actor=world.secretariat)
    assert sorted(int(e.object_id) for e in created) == sorted(r.pk for r in relations)
    assert sorted(created.get(object_id=str(relations[0].pk)).changes["fields"][1]) == ["文化・芸術", "観光"]
    again = client.post(f"/secretariat/registry/import/{batch.pk}/confirm/", follow=True)
    assert "実行できません" in again.content.decode() and Relation.objects.count() == 3


def test_a_broken_file_is_refused_with_row_level_messages(client, world):
    sign_in(client, world.secretariat)
    rows = [
        GOOD_ROWS[0],
        ["千代田区", "架空村", "交流事業", "", "2018-04-01", "", ""],  # unknown municipality
        ["千代田区", "府中市", "交流事業", "", "2018-04-01", "", ""],  # ambiguous: 東京都 and 広島県
        ["千代田区", "函館市", "交流事業", "", "平成30年13月1日", "", ""],  # bad date
        ["千代田区", "函館市", "交流事業", "", "2018-04-01", "2017-04-01", ""],  # end before start
        ["千代田区", "北海道厚真町", "友好都市・姉妹都市", "", "2015-04-01", "", ""],  # duplicate of row 2
        ["札幌市", "函館市", "お祭り", "宇宙", "2018-04-01", "", ""],  # not a ward, unknown kind and field
    ]
    response = upload(client, xlsx(rows))
    page = client.get(response["Location"]).content.decode()
    assert "エラーがあるため取り込めません" in page
    expected = [("3", "自治体", "架空村"), ("4", "自治体", "複数あります"),
                ("5", "開始日", "平成30年13月1日は存在しない日付です"),
                ("6", "終了日", "開始日より後の日付に"), ("7", "自治体", "2行目と重複"),
                ("8", "特別区", "札幌市は特別区（東京23区）ではありません"),
                ("8", "種別", "お祭り"), ("8", "分野", "宇宙")]
    batch = ImportBatch.objects.get()
    found = [(str(e["row"]), e["column"], e["message"]) for e in batch.errors]
    for row, column, fragment in expected:
        assert any(r == row and c == column and fragment in m for r, c, m in found), (row, column, fragment)
    assert "東京都府中市" in page and "広島県府中市" in page
    assert client.post(f"/secretariat/registry/import/{batch.pk}/confirm/").status_code == 302
    assert not Relation.objects.exists()


def test_a_cp932_csv_imports(client, world):
    sign_in(client, world.secretariat)
    text = "特別区,自治体,種別,分野,開始日,終了日,備考\r\n品川区,北海道厚真町,交流事業,観光,H30.4.1,,\r\n"
    response = upload(client, text.encode("cp932"), "交流.csv")
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and batch.errors == [] and len(batch.rows) == 1
    assert batch.rows[0]["values"]["started_on"] == "2018-04-01"


@pytest.mark.parametrize("name,data,fragment", [
    ("photo.xlsx", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "Excelファイルとして読めません"),
    ("data.csv", b"\x00\x01\x02binary", "CSVファイルではありません"),
    ("empty.csv", b"", "空です"),
    ("nocolumns.csv", "名前,住所\r\n田中,東京\r\n".encode(), "1行目に列名がありません"),
    ("fake.xlsx", b"PK\x03\x04" + b"\x00" * 200, "Excelファイルとして読めません"),
])
def test_files_that_are_not_spreadsheets_are_refused(client, world, name, data, fragment):
    sign_in(client, world.secretariat)
    response = upload(client, data, name)
    assert response.status_code == 400 and fragment in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_a_zip_bomb_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * (200 * 1024 * 1024))
    data = buffer.getvalue()
    assert len(data) < imports.MAX_BYTES
    with pytest.raises(imports.ImportRefused, match="圧縮爆弾"):
        imports.read_table("bomb.xlsx", data)


@functools.cache
def dense_rows(rows: int, columns: int) -> str:
    """`rows` × `columns` numbers as sheet XML, varied as real figures are (so the file compresses
    about 11:1, as the one that stalled the import did, not like a zip bomb)."""
    rng = random.Random(7)
    return "".join("<row>" + "".join(f"<c><v>{rng.randrange(10, 100)}</v></c>" for _ in range(columns)) + "</row>"
                   for _ in range(rows))


def dense_sheet(rows: int, columns: int, *, dimension: bool = True) -> bytes:
    """An .xlsx of `rows` × `columns` numbers, written as a spreadsheet program writes one."""
    from openpyxl.utils import get_column_letter

    body = dense_rows(rows, columns)
    size = f'<dimension ref="A1:{get_column_letter(columns)}{rows}"/>' if dimension else ""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    relations = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'))
        archive.writestr("_rels/.rels", (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{relations}/officeDocument" Target="xl/workbook.xml"/></Relationships>'))
        archive.writestr("xl/workbook.xml", (
            f'<workbook xmlns="{main}" xmlns:r="{relations}"><sheets>'
            '<sheet name="交流" sheetId="1" r:id="rId1"/></sheets></workbook>'))
        archive.writestr("xl/_rels/workbook.xml.rels", (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{relations}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'))
        archive.writestr("xl/worksheets/sheet1.xml", f'<worksheet xmlns="{main}">{size}<sheetData>{body}</sheetData></worksheet>')
    return buffer.getvalue()


@pytest.mark.once
@pytest.mark.parametrize("dimension", [True, False])
def test_a_dense_sheet_is_refused_before_it_is_read(dimension):
    """20,000 rows × 300 cells (the size that ran half a minute into the server's timeout) passes
    the size and zip checks; it is refused by its width, whether or not it states its size."""
    data = dense_sheet(20_000, 300, dimension=dimension)
    archive = zipfile.ZipFile(io.BytesIO(data))
    unzipped = sum(entry.file_size for entry in archive.infolist())
    assert len(data) < imports.MAX_BYTES and unzipped < imports.MAX_UNZIPPED
    assert unzipped / sum(entry.compress_size for entry in archive.infolist()) < imports.MAX_RATIO
    with pytest.raises(imports.ImportRefused, match="列が多すぎます（300列）"):
        imports.read_table("dense.xlsx", data)


@pytest.mark.once
def test_a_sheet_of_many_narrow_rows_is_refused_from_its_first_rows():
    data = dense_sheet(400_000, 4, dimension=False)  # 400,000 rows, no stated size
    with pytest.raises(imports.ImportRefused, match="行が多すぎます"):
        imports.read_table("long.xlsx", data)


@pytest.mark.once
def test_20000_rows_of_a_sheet_without_its_size_are_read():
    rows = imports.read_table("plain.xlsx", dense_sheet(20_000, 8, dimension=False))
    assert len(rows) == 20_000 and len(rows[0]) == 8


def test_a_file_over_10_mb_is_refused(client, world):
    sign_in(client, world.secretariat)
    response = upload(client, b"a,b\r\n" * (2_200_000), "big.csv")
    assert response.status_code == 400 and "10MBまで" in response.content.decode()


def test_formula_cells_are_refused():
    data = xlsx([["千代田区", "北海道厚真町", "交流事業", "", "=TODAY()", "", ""]])
    checked = imports.check(RelationsImport(), imports.read_table("f.xlsx", data))
    assert checked.errors[0].column == "開始日" and "数式" in checked.errors[0].message


def test_5000_rows_go_through(world):
    from renkei.municipalities.models import LocalGovernment

    wards = list(LocalGovernment.objects.special_wards().values_list("name", flat=True))
    towns = list(LocalGovernment.objects.filter(kind="town").values_list("code", flat=True)[:250])
    rows = [[wards[i % 23], towns[i % 250], "交流事業", "観光", f"{2000 + i // 250}-04-01", "", ""] for i in range(5000)]
    checked = imports.check(RelationsImport(), imports.read_table("big.xlsx", xlsx(rows)))
    assert checked.errors == [] and len(checked.rows) == 5000
    batch = ImportBatch.objects.create(kind="relations", filename="big.xlsx", uploaded_by=world.secretariat,
                                       total=checked.total, rows=checked.stored_rows())
    assert imports.apply_batch(actor=world.secretariat, batch_pk=batch.pk)[1] == 5000
    assert Relation.objects.count() == 5000
    assert AuditEntry.objects.filter(action="registry.relation.created").count() == 5000


def test_the_command_checks_then_commits(tmp_path, capsys):
    path = tmp_path / "交流.xlsx"
    path.write_bytes(xlsx(GOOD_ROWS))
    call_command("import_relations", str(path))
    assert not Relation.objects.exists()
    call_command("import_relations", str(path), "--commit")
    assert Relation.objects.count() == 3
    with pytest.raises(CommandError, match="エラー"):
        call_command("import_relations", str(path), "--commit")  # now every row is a duplicate


def test_association_members_import_for_listed_associations(client, world):
    from renkei.registry.models import Association, AssociationMember, WideAreaAgreement
    from renkei.statistics import figures

    association = Association.objects.create(name="東北市町村広域連携協議会", prefecture_id="020001",
                                             membership_rule=Association.MembershipRule.EDITED)
    WideAreaAgreement.objects.create(association=association, signed_on=dt.date(2019, 4, 1))
    sign_in(client, world.secretariat)
    data = xlsx([["東北市町村広域連携協議会", "岩手県盛岡市", "2019-04-01", ""],
                 ["東北市町村広域連携協議会", "宮城県仙台市", "令和元年5月1日", "2020-03-31"],
                 ["北海道町村会", "北海道厚真町", "2019-04-01", ""]],  # its members follow the rule
                header=["団体", "自治体", "加入日", "脱退日"])
    client.post("/secretariat/registry/import/", {"kind": "association_members", "file": SimpleUploadedFile("構成.xlsx", data)})
    batch = ImportBatch.objects.get()
    assert [(e["row"], e["column"]) for e in batch.errors] == [(4, "団体")]
    fixed = xlsx([["東北市町村広域連携協議会", "岩手県盛岡市", "2019-04-01", ""],
                  ["東北市町村広域連携協議会", "宮城県仙台市", "令和元年5月1日", "2020-03-31"]],
                 header=["団体", "自治体", "加入日", "脱退日"])
    client.post("/secretariat/registry/import/", {"kind": "association_members", "file": SimpleUploadedFile("構成.xlsx", fixed)})
    batch = ImportBatch.objects.latest("pk")
    client.post(f"/secretariat/registry/import/{batch.pk}/confirm/")
    assert AssociationMember.objects.filter(association=association).count() == 2
    # Listed members count among the municipalities covered by an agreement in force.
    before = figures.figures_as_of(dt.date(2019, 10, 1))["agreement_municipalities"]
    after_leaving = figures.figures_as_of(dt.date(2020, 10, 1))["agreement_municipalities"]
    assert before - after_leaving == 1
