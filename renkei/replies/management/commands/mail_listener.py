import time

from django.core.management.base import BaseCommand

from renkei.replies.listener import start


class Command(BaseCommand):
    help = ("返信メールを受け取る SMTP（ループバック）。本番は Postfix が返信用ドメインのメールをここへ中継します"
            "（deploy/postfix/, renkei-mail.service）。make run も起動します。")

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=2525)

    def handle(self, *args, **options):
        controller = start(options["host"], options["port"])
        self.stdout.write(f"返信メールを smtp://{options['host']}:{options['port']} で受け付けます。")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
        finally:
            controller.stop()
