from django.core.management.base import BaseCommand

from renkei.core.emails import retry_unsent


class Command(BaseCommand):
    help = "送信待ち・送信失敗のメールを再送します（cron などで定期的に実行してください）。"

    def handle(self, *args, **options):
        sent, failed = retry_unsent()
        self.stdout.write(f"送信: {sent}件, 失敗: {failed}件")
