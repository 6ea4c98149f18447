from django.core.management.base import BaseCommand, CommandError

from renkei.core.audit import seal, verify
from renkei.core.models import AuditEntry


class Command(BaseCommand):
    help = "監査ログの鎖（各記録のハッシュと連番）をたどり、書き換えや削除がないか確かめます。"

    def add_arguments(self, parser):
        parser.add_argument("--seal", action="store_true", help="確かめる前に、まだ封印されていない記録を封印する")

    def handle(self, *args, **options):
        if options.get("seal"):
            seal()
        problems = verify()
        sealed = AuditEntry.objects.filter(seq__isnull=False).count()
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError(f"監査ログに {len(problems)}件の問題があります（封印済み {sealed:,}件を確認）。")
        self.stdout.write(f"監査ログは無傷です: 封印済み {sealed:,}件の鎖がつながっています。")
