"""A disaster's numbered report (第N報): what the 23 wards are doing, from the records, as of the
moment the secretariat confirms the report.

`compose(decision)` returns plain data (kept on the decision when it is confirmed, so the report
says forever what it said that day); the public page and the one-page PDF are both drawn from it,
by the same printing machinery as the newsletter (renkei.core.pdf).
"""

from pathlib import Path

from django.core.files.base import ContentFile
from django.db.models.fields.files import FieldFile
from django.utils import timezone, translation

from renkei.core import pdf
from renkei.core.dates import wareki, wareki_time
from renkei.core.templatetags.renkei import yen
from renkei.disasters import selectors
from renkei.disasters.models import Decision
from renkei.disasters.selectors import COMPUTED, UNKNOWN

ISSUER = "特別区長会事務局"
LAYOUT = Path(__file__).resolve().parent / "print" / "report.typ"


def compose(decision: Decision, at=None) -> dict:
    """The report's content from the disaster's records as they stand at `at` (now)."""
    at = at or decision.confirmed_at or timezone.now()
    day = timezone.localdate(at)
    disaster = decision.disaster
    with translation.override("ja"):
        summary = selectors.dispatch_summary(disaster, day)
        known = summary.basis != UNKNOWN
        dispatch = {
            "people": f"{summary.total.people:,}人" if summary.total.people is not None else "不明",
            "as_of": f"{wareki(summary.as_of)}現在" if summary.as_of else "",
            "basis": {COMPUTED: "記録から集計", UNKNOWN: "人数は公表されていません"}.get(summary.basis, "公表値"),
            "on_duty": f"{summary.total.on_duty:,}人" if summary.total.on_duty is not None else "",
            "planned": f"{summary.total.planned:,}人" if summary.total.planned else "",
            "person_days": f"{summary.total.person_days:,}人日" if summary.total.person_days is not None else "",
            "by_role": [[role or "（職種なし）", f"{counts.people:,}人", f"{counts.on_duty:,}人", f"{counts.planned:,}人"]
                        for role, counts in sorted(summary.by_role.items(), key=lambda kv: -kv[1].people)] if known else [],
        }
        funds = [{"kind": fund.get_kind_display(), "amount": yen(fund.amount_yen) if fund.amount_yen else "",
                  "recipients": "／".join(r.name for r in fund.recipients.all())} for fund in selectors.funds(disaster)]
        return {
            "number": decision.report_number,
            "title": f"{disaster.name}に係る特別区の対応について（第{decision.report_number}報）",
            "subject": decision.title,
            "issued_label": wareki_time(timezone.localtime(at)),
            "issuer": ISSUER,
            "text": decision.text,
            "disaster": {
                "name": disaster.name, "when": disaster.when_label(), "state": disaster.get_state_display(),
                "summary": disaster.summary,
                "affected": [lg.full_name for lg in disaster.affected.select_related("prefecture").order_by("code")],
                "hq": wareki_time(timezone.localtime(disaster.activated_at)) if disaster.activated_at else "",
                "contact": disaster.hq_contact,
            },
            "dispatch": dispatch,
            "funds": funds,
            "supplies": [{"item": item, "unit": unit, "sent": f"{sent:,}", "received": f"{received:,}"}
                         for item, unit, sent, received in selectors.supplies_by_item(disaster)],
        }


def print_report(report: dict) -> bytes:
    return pdf.render(LAYOUT, report)


def printed(decision: Decision) -> FieldFile:
    """The confirmed report's PDF, printed once and kept (a report never changes once confirmed):
    at confirmation, or on the first request for a report confirmed before files were kept."""
    if not decision.report_pdf:
        name = f"disaster-{decision.disaster_id}-report-{decision.report_number}.pdf"
        decision.report_pdf.save(name, ContentFile(print_report(decision.report)), save=False)
        # Two first requests at once print twice; the file kept first stays the report's.
        if not Decision.objects.filter(pk=decision.pk, report_pdf="").update(report_pdf=decision.report_pdf.name):
            decision.report_pdf.delete(save=False)
            decision.refresh_from_db(fields=["report_pdf"])
    return decision.report_pdf


def etag(decision: Decision) -> str:
    """A confirmed report never changes: its number and the moment it was confirmed name it."""
    return f'"report-{decision.pk}-{decision.confirmed_at.timestamp():.0f}"'
