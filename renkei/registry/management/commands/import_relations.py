from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from renkei.registry import imports


class Command(BaseCommand):
    help = "交流をExcel（.xlsx）またはCSVから取り込みます。--commit を付けるまでは確認だけを行います。"

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--commit", action="store_true", help="エラーがなければ登録する")
        parser.add_argument("--kind", choices=sorted(imports.KINDS), default="relations",
                            help="relations（交流）または association_members（団体の構成自治体）")

    def handle(self, *args, path, commit, kind, **options):
        check_rows, apply_rows = imports.KINDS[kind]
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"ファイル {path} がありません。")
        try:
            checked = check_rows(imports.read_table(file.name, file.read_bytes()))
        except imports.ImportRefused as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"{checked.total:,}行を確認: 取り込める行 {len(checked.rows):,}、エラー {len(checked.errors):,}件")
        for error in checked.errors:
            self.stdout.write(f"  {error.row}行目 [{error.column}] {error.message}")
        if checked.errors:
            raise CommandError("エラーがあるため取り込みませんでした。")
        if commit:
            count = apply_rows(checked.rows, actor=None, filename=file.name)
            self.stdout.write(f"{count:,}件を取り込みました。")
        else:
            self.stdout.write("確認のみ行いました。登録するには --commit を付けてください。")
