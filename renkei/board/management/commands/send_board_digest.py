from django.core.management.base import BaseCommand

from renkei.board.tasks import send_digests


class Command(BaseCommand):
    help = "掲示板の新着を1日1回のまとめメールで送ります（cron で毎朝実行してください）。"

    def handle(self, *args, **options):
        self.stdout.write(f"まとめメール: {send_digests()}件")
