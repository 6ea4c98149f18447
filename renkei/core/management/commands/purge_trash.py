from django.core.management.base import BaseCommand

from renkei.core import trash


class Command(BaseCommand):
    help = "削除から保管期間（TRASH_DAYS）を過ぎた記録とファイルを完全に削除します（cron で毎日実行してください）。"

    def handle(self, *args, **options):
        self.stdout.write(f"完全に削除: {trash.purge()}件")
