from django.core.management.base import BaseCommand, CommandError

from renkei.core import imports


class Command(BaseCommand):
    help = ("Excel（.xlsx）またはCSVの記録を取り込みます（交流、団体の構成自治体、職員派遣、支援金）。"
            "--commit を付けるまでは確認だけを行います。")
    kind = None  # the kind of a shortcut command (import_relations, import_dispatches)

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--commit", action="store_true", help="エラーがなければ登録する")
        parser.add_argument("--kind", choices=sorted(imports.KINDS), default=self.kind, required=self.kind is None,
                            help="、".join(f"{k.key}（{k.label}）" for k in imports.KINDS.values()))

    def handle(self, *args, path, commit, kind, **options):
        try:
            imports.import_file(path, kind, commit=commit, write=self.stdout.write)
        except imports.ImportRefused as error:
            raise CommandError(str(error)) from error
