"""manage.py disaster_mode on|off|drill|status — 災害モード from the shell (and for scripts)."""

from django.core.management.base import BaseCommand, CommandError

from renkei.core.dates import wareki_time
from renkei.portal import disaster_mode
from renkei.portal.models import SiteMode

WORDS = {"on": SiteMode.Mode.ON, "off": SiteMode.Mode.OFF, "drill": SiteMode.Mode.DRILL}


class Command(BaseCommand):
    help = ("災害モードを切り替えます: on（軽量版を公開）、drill（訓練: 作るが公開しない）、off（通常）、"
            "status（いまの状態）。on/drill のときは軽量版を作り直します。")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["on", "off", "drill", "status", "render"],
                            help="render: 記録から軽量版を作り直す（いまの状態のまま）")

    def handle(self, *args, action, **options):
        if action in WORDS:
            disaster_mode.set_mode(mode=WORDS[action], actor=None)
            if disaster_mode.state() != WORDS[action]:  # not yet published by the commit (inside a transaction)
                disaster_mode.publish(force=True)
        elif action == "render":
            disaster_mode.publish(force=True)
        row = disaster_mode.current()
        published = disaster_mode.state()
        self.stdout.write(f"表示: {row.get_mode_display()} ({row.mode})")
        if row.changed_at:
            self.stdout.write(f"切り替え: {wareki_time(row.changed_at, seconds=True)}")
        if published != row.mode:
            raise CommandError(f"公開中のファイルが表示モードと合っていません（ファイル: {published}）。"
                               "manage.py disaster_mode render で作り直してください。")
        if published != SiteMode.Mode.OFF:
            folder = (disaster_mode.root() / ("live" if published == SiteMode.Mode.ON else "drill")).resolve()
            pages = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.html"))
            self.stdout.write(f"軽量版: {folder}（{len(pages)}ページ）")
            for page in pages:
                self.stdout.write(f"  {page}")
