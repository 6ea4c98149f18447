from django.core.management.base import BaseCommand

from renkei.municipalities.services import load_local_governments


class Command(BaseCommand):
    help = "全国の地方公共団体（47都道府県・1,741市区町村）の参照データを読み込みます。"

    def handle(self, *args, **options):
        from renkei.registry.services import load_reference_lists

        result = load_local_governments()
        kinds, fields = load_reference_lists()
        from renkei.board.services import load_categories

        categories = load_categories()
        self.stdout.write(
            f"地方公共団体: 新規 {result.created}件, 更新 {result.updated}件, 変更なし {result.unchanged}件"
        )
        self.stdout.write(f"交流の種別: 新規 {kinds}件, 分野: 新規 {fields}件, 掲示板のカテゴリ: 新規 {categories}件")
