import sys

from django.core.management.base import BaseCommand

from renkei.replies.services import receive


class Command(BaseCommand):
    help = ("保存したメールを1通、標準入力から受け取ります（例: manage.py receive_mail < reply.eml）。"
            "回答を記録するか、受け付けない理由を差出人に返します。届くメールは mail_listener が受けます。")

    def handle(self, *args, **options):
        mail = receive(sys.stdin.buffer.read())
        self.stdout.write(f"{mail.get_outcome_display()}: {mail.message_id}")
