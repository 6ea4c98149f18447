import sys

from django.core.management.base import BaseCommand

from renkei.replies.services import receive


class Command(BaseCommand):
    help = ("メールを1通、標準入力から受け取ります（Postfix の pipe から呼ばれます: deploy/postfix/）。"
            "回答を記録するか、受け付けない理由を差出人に返します。")

    def handle(self, *args, **options):
        mail = receive(sys.stdin.buffer.read())
        self.stdout.write(f"{mail.get_outcome_display()}: {mail.message_id}")
