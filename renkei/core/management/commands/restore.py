from django.core.management.base import BaseCommand, CommandError

from renkei.core.backup import BackupError, restore


class Command(BaseCommand):
    help = ("`manage.py backup` のフォルダーを、空のデータベースとアップロードファイルのフォルダーに戻し、"
            "目録（各ファイルのハッシュ、各表の行数）と照合します。")

    def add_arguments(self, parser):
        parser.add_argument("source", help="バックアップのフォルダー")

    def handle(self, *args, source, **options):
        try:
            report = restore(source)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"戻しました（{report['taken_at']} 時点）: {report['tables']}表 {report['rows']:,}行、"
                          f"目録と一致。{report['seconds']}秒")
