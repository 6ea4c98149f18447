from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from renkei.core.audit import purge


class Command(BaseCommand):
    help = "保存期間（AUDIT_RETENTION_DAYS、既定730日、1年以上）を過ぎた監査ログを削除します。鎖は残る記録から確かめられます。"

    def handle(self, *args, **options):
        try:
            deleted = purge(days=settings.AUDIT_RETENTION_DAYS)
        except ValueError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"{settings.AUDIT_RETENTION_DAYS}日より前の監査ログ {deleted:,}件を削除しました。")
