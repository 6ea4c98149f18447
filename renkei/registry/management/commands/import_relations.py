from django.core.management.base import BaseCommand, CommandError

from renkei.registry import imports


class Command(BaseCommand):
    help = "交流などをExcel（.xlsx）またはCSVから取り込みます。--commit を付けるまでは確認だけを行います。"

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--commit", action="store_true", help="エラーがなければ登録する")
        parser.add_argument("--kind", choices=sorted(imports.KINDS), default="relations",
                            help="、".join(f"{k.key}（{k.label}）" for k in imports.KINDS.values()))

    def handle(self, *args, path, commit, kind, **options):
        try:
            imports.import_file(path, kind, commit=commit, write=self.stdout.write)
        except imports.ImportRefused as error:
            raise CommandError(str(error)) from error
