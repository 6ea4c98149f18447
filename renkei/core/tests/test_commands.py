"""manage.py load_reference_data: every app's shipped reference data, loaded again at each start."""

import io

import pytest
from django.core.management import call_command

from renkei.board.models import Category
from renkei.disasters.models import Population, Role
from renkei.matching.models import Rule
from renkei.municipalities.models import LocalGovernment
from renkei.registry.models import RelationKind

pytestmark = pytest.mark.django_db


def load() -> list[str]:
    out = io.StringIO()
    call_command("load_reference_data", stdout=out)
    return out.getvalue().splitlines()


def test_loading_again_changes_nothing_and_says_so():
    assert load() == ["地方公共団体: 新規 0件, 更新 0件, 変更なし 1788件",
                      "交流の種別: 新規 0件, 分野: 新規 0件",
                      "サイト内検索（自治体）: 新規 0件",
                      "掲示板のカテゴリ: 新規 0件",
                      "職種: 新規 0件, 派遣ルート: 新規 0件, 区の人口: 新規 0件",
                      "連携の形: 新規 0件, マッチングの規則: 新規 0件"]


def test_what_is_missing_comes_back_and_a_changed_name_is_mended():
    Category.objects.filter(slug="sport").delete()
    Role.objects.filter(name="保健師").delete()
    Population.objects.filter(local_government_id="131016").delete()
    Rule.objects.filter(key="region").delete()
    RelationKind.objects.order_by("pk").last().delete()
    LocalGovernment.objects.filter(code="015814").update(name="厚真")
    assert load() == ["地方公共団体: 新規 0件, 更新 1件, 変更なし 1787件",
                      "交流の種別: 新規 1件, 分野: 新規 0件",
                      "サイト内検索（自治体）: 新規 0件",
                      "掲示板のカテゴリ: 新規 1件",
                      "職種: 新規 1件, 派遣ルート: 新規 0件, 区の人口: 新規 1件",
                      "連携の形: 新規 0件, マッチングの規則: 新規 1件"]
    assert LocalGovernment.objects.get(code="015814").name == "厚真町"
    assert Category.objects.filter(slug="sport").exists()


def test_the_secretariats_own_categories_stay():
    Category.objects.create(slug="ours", name="事務局のカテゴリ", position=99)
    load()
    assert Category.objects.filter(slug="ours", name="事務局のカテゴリ").exists()
