from django.core.management.base import BaseCommand

from renkei.inquiries.services import purge


class Command(BaseCommand):
    help = "保存期間を過ぎたお問い合わせ（回答済み・迷惑メールの疑い）を削除します（cron で毎日実行してください）。"

    def handle(self, *args, **options):
        counts = purge()
        self.stdout.write(f"削除: 回答済み {counts['answered']}件、保留 {counts['held']}件")
