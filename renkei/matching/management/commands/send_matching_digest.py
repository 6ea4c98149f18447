from django.core.management.base import BaseCommand

from renkei.matching.services import send_digests


class Command(BaseCommand):
    help = "連携マッチングの週1回のお知らせを、前回から7日たった人に送ります（毎日実行してかまいません）。"

    def handle(self, *args, **options):
        self.stdout.write(f"連携マッチングのお知らせ: {send_digests()}件")
