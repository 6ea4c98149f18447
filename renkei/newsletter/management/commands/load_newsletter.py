from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from renkei.newsletter.records import NEWSLETTER_VOL1, SourceError, load_publication


class Command(BaseCommand):
    help = "全国連携NEWSの掲載内容（イベント・協定・災害支援・数字で見る）を記録として読み込みます。"

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(NEWSLETTER_VOL1))

    def handle(self, *args, path, **options):
        try:
            report = load_publication(Path(path))
        except (SourceError, FileNotFoundError) as error:
            raise CommandError(str(error)) from error
        for line in report.lines():
            self.stdout.write(line)
