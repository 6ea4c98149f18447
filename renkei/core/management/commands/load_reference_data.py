from django.core.management.base import BaseCommand
from django.db import transaction

from renkei.core import reference_data


class Command(BaseCommand):
    help = "参照データ（全国の地方公共団体、交流の種別・分野、掲示板のカテゴリなど）を読み込みます。"

    def handle(self, *args, **options):
        with transaction.atomic():
            lines = reference_data.load_all()
        for line in lines:
            self.stdout.write(line)
