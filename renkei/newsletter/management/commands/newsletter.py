import time
from pathlib import Path

from django.contrib.staticfiles import finders
from django.core.management.base import BaseCommand, CommandError
from django.template.loader import render_to_string

from renkei.newsletter import services
from renkei.newsletter.compose import compose, included
from renkei.newsletter.models import Issue


class Command(BaseCommand):
    help = ("全国連携NEWSの号を記録から組み立て、印刷用PDF（A4）とHTMLを書き出します。"
            "発行済みの号は発行時の数字で、下書きは今の記録で組み立てます。")

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True)
        build = commands.add_parser("build", help="PDFとHTMLを書き出す")
        build.add_argument("--volume", type=int, required=True, help="号数（vol.）")
        build.add_argument("--out", type=Path, help="PDFの書き出し先")
        build.add_argument("--html", type=Path, help="HTMLの書き出し先（スタイルを含む1つのファイル）")
        build.add_argument("--fresh", action="store_true", help="発行済みの号も、今の記録から組み立てる")
        commands.add_parser("announce", help="発行日が来た号を、希望した会員にメールで知らせる（毎日の定期処理）")

    def handle(self, *args, action, **options):
        if action == "announce":
            self.stdout.write(f"発行のお知らせのメール: {services.announce_due()}件")
            return
        self.build(**options)

    def build(self, *, volume, out, html, fresh, **options):
        if not out and not html:
            raise CommandError("--out（PDF）か --html のどちらかを指定してください。")
        issue = Issue.objects.filter(volume=volume).first()
        if issue is None:
            raise CommandError(f"vol.{volume} はありません。"
                               "load_newsletter で記録を読み込むか、事務局の画面で号をつくってください。")
        started = time.perf_counter()
        composition = issue.snapshot if issue.is_published and not fresh else compose(issue)
        if out:
            out.write_bytes(services.print_issue(composition))
            self.stdout.write(f"PDF: {out}（{out.stat().st_size:,}バイト）")
        if html:
            css = Path(finders.find("css/renkei.css")).read_text(encoding="utf-8")
            html.write_text(render_to_string("newsletter/standalone.html", {
                "composition": composition, "sections": included(composition), "css": css,
            }), encoding="utf-8")
            self.stdout.write(f"HTML: {html}")
        state = "発行時の数字" if issue.is_published and not fresh else "今の記録"
        self.stdout.write(f"{issue}（{state}）: {time.perf_counter() - started:.1f}秒")
