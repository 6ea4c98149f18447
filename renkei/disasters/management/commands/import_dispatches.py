from django.core.management.base import BaseCommand, CommandError

from renkei.registry import imports


class Command(BaseCommand):
    help = ("職員派遣の記録をExcel（.xlsx）またはCSVから取り込みます。1行目は「災害, 特別区, 職種, 人数, 派遣開始日, "
            "派遣終了日, 派遣先, 派遣ルート, 状態」。--commit を付けるまでは確認だけを行います。")

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--commit", action="store_true", help="エラーがなければ登録する")

    def handle(self, *args, path, commit, **options):
        try:
            imports.import_file(path, "dispatches", commit=commit, write=self.stdout.write)
        except imports.ImportRefused as error:
            raise CommandError(str(error)) from error
