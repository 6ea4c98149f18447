from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from renkei.core.backup import BackupError, backup


class Command(BaseCommand):
    help = "データベース（稼働したまま、ある一時点の写し）とアップロードファイルを、目録付きでフォルダーに書き出します。"

    def add_arguments(self, parser):
        parser.add_argument("target", nargs="?", help="書き出すフォルダー（新しく作られます）。"
                            "省くと var/backups/<日時>/")

    def handle(self, *args, target=None, **options):
        folder = Path(target) if target else (Path(settings.BASE_DIR) / "var" / "backups"
                                              / timezone.localtime().strftime("%Y%m%d-%H%M%S"))
        try:
            manifest = backup(folder)
        except BackupError as error:
            raise CommandError(str(error)) from None
        size = sum(f["bytes"] for f in manifest["files"].values())
        self.stdout.write(f"バックアップを書き出しました: {folder}\n"
                          f"  {len(manifest['tables'])}表 {manifest['rows']:,}行、{size / 1024 / 1024:.1f}MB、"
                          f"{manifest['seconds']}秒")
