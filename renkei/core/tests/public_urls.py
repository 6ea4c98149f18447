"""Every route of the URL conf, derived from it, with a sample for each parameter.

Both the accessibility harness and the route-by-persona test walk these; a route added later
without a sample here makes them fail, so no page escapes the checks.
"""

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, reverse

# Routes served by libraries, checked by the persona test through explicit expectations.
LIBRARY_PREFIXES = ("admin/", "api/", "i18n/")


@dataclass(frozen=True)
class Route:
    name: str
    path: str
    rule: str | None  # the view's declared access rule; None for library routes


def _walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, route, ns)
        elif isinstance(entry, URLPattern):
            yield route, f"{namespace}{entry.name}" if entry.name else None, entry.callback


def all_routes() -> list[Route]:
    routes = {}
    for path, name, callback in _walk(get_resolver().url_patterns):
        if name is None:
            if path.startswith(LIBRARY_PREFIXES):
                continue
            raise AssertionError(f"route {path!r} has no name")
        rule = getattr(callback, "access_rule", None)
        if rule is None and not path.startswith(LIBRARY_PREFIXES):
            raise AssertionError(f"view of route {name!r} declares no access rule (@access)")
        routes[name] = Route(name, path, rule)
    return sorted(routes.values(), key=lambda r: r.name)


def own_routes() -> list[Route]:
    return [r for r in all_routes() if r.rule is not None]


def public_route_names() -> list[str]:
    from renkei.core.access import PUBLIC

    return [r.name for r in own_routes() if r.rule == PUBLIC]


def _model_pk(model_path: str, **lookup):
    def sample():
        from django.apps import apps

        return {"pk": apps.get_model(model_path).objects.get(**lookup).pk}

    return sample


def _model_pk_as(model_path: str, key: str, **lookup):
    def sample():
        from django.apps import apps

        return {key: apps.get_model(model_path).objects.get(**lookup).pk}

    return sample


def _first_pk(model_path: str):
    def sample():
        from django.apps import apps

        return {"pk": apps.get_model(model_path).objects.order_by("pk").first().pk}

    return sample


def _token(kind: str):
    def sample():
        from renkei.testing import sample_token

        return {"token": sample_token(kind)}

    return sample


def _password_link():
    from renkei.testing import sample_password_link

    return sample_password_link()


def _sample_disaster():
    from renkei.testing import sample_disaster

    return sample_disaster()


def _draft_issue():
    from renkei.testing import sample_draft_issue

    return {"volume": sample_draft_issue().volume}


def _relation():
    from renkei.testing import sample_relation

    return {"pk": sample_relation().pk}


def _import_batch():
    from renkei.testing import sample_import_batch

    return {"pk": sample_import_batch().pk}


def _board(name: str):
    import renkei.testing

    return getattr(renkei.testing, name)()


def _ward_staff_pk():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(local_government_id="131016", is_active=True).order_by("pk").first().pk


def _staff_pk():
    from renkei.testing import sample_staff_pk

    return {"user_pk": sample_staff_pk()}


def _disaster(related: str | None = None, key: str = "pk"):
    def sample():
        import renkei.testing

        disaster = renkei.testing.sample_disaster()
        if related is None:
            return {key: disaster.pk}
        return {key: getattr(disaster, related).order_by("pk").first().pk}

    return sample


def _in_disaster(related: str, key: str):
    def sample():
        import renkei.testing

        disaster = renkei.testing.sample_disaster()
        return {"pk": disaster.pk, key: getattr(disaster, related).order_by("pk").first().pk}

    return sample


SAMPLES = {
    "disasters:decision_pdf": [_disaster("decisions")],
    "api:dispatch": [_disaster(key="disaster_id"), _model_pk_as("disasters.Disaster", "disaster_id", name="平成28年熊本地震")],
    "api:funds": [_disaster(key="disaster_id")],
    "secretariat:disaster": [_disaster()],
    "secretariat:disaster_edit": [_disaster()],
    "secretariat:disaster_activate": [_disaster()],
    "secretariat:disaster_state": [_disaster()],
    "secretariat:disaster_report": [_disaster()],
    "secretariat:decision_new": [_disaster()],
    "secretariat:decision": [_disaster("decisions")],
    "secretariat:decision_confirm": [_disaster("decisions")],
    "secretariat:request_new": [_disaster()],
    "secretariat:request": [_disaster("requests")],
    "secretariat:request_move": [_disaster("requests")],
    "secretariat:enquiry_new": [_disaster()],
    "secretariat:enquiry": [_disaster("enquiries")],
    "secretariat:enquiry_remind": [_disaster("enquiries")],
    "secretariat:enquiry_close": [_disaster("enquiries")],
    "secretariat:enquiry_reopen": [_disaster("enquiries")],
    "secretariat:counterpart_new": [_disaster()],
    "secretariat:counterpart_end": [_disaster("counterparts")],
    "secretariat:dispatch_new": [_disaster()],
    "secretariat:dispatch_edit": [_in_disaster("dispatches", "dispatch_pk")],
    "secretariat:dispatch_confirm": [_disaster("dispatches")],
    "secretariat:supply_confirm": [_disaster("supply_records")],
    "secretariat:supply_new": [_disaster()],
    "secretariat:supply_edit": [_in_disaster("supply_records", "supply_pk")],
    "secretariat:fund_new": [_disaster()],
    "secretariat:fund_edit": [_in_disaster("funds", "fund_pk")],
    "secretariat:fund": [_disaster("funds")],
    "secretariat:payment": [lambda: {"pk": _board("sample_disaster").funds.get().recipients.get().pk}],
    "secretariat:disaster_contact": [lambda: {"code": "131016", "user_pk": _ward_staff_pk()}],
    "membership:disaster_contact": [_staff_pk],
    "disaster_members:answer": [_disaster("enquiries")],
    "disaster_members:dispatch_new": [_disaster()],
    "disaster_members:dispatch_edit": [_in_disaster("dispatches", "dispatch_pk")],
    "disaster_members:supply_new": [_disaster()],
    "disaster_members:supply_edit": [_in_disaster("supply_records", "supply_pk")],
    "disaster_members:request_new": [_disaster()],
    "portal:event_detail": [_first_pk("portal.Event")],
    "portal:news_detail": [_first_pk("portal.NewsItem")],
    # One with an erratum, one with every kind of support.
    "disasters:detail": [_model_pk("disasters.Disaster", name="平成29年台風21号"),
                         _model_pk("disasters.Disaster", name="東日本大震災"), _disaster()],
    "portal:prefecture": [lambda: {"prefecture_code": "13"}],
    "portal:local_government": [lambda: {"code": "131016"}, lambda: {"code": "015814"},
                              lambda: {"code": "010006"}],
    "api:get_local_government": [lambda: {"code": "131016"}],
    "opendata:download": [lambda: {"slug": "agreements", "fmt": "csv"}, lambda: {"slug": "relations", "fmt": "xlsx"},
                          lambda: {"slug": "statistics", "fmt": "json"}],
    "registry:relation_edit": [_relation],
    "registry:relation_delete": [_relation],
    "secretariat:import_preview": [_import_batch],
    "moved_import_preview": [_import_batch],
    "moved_import_confirm": [_import_batch],
    "moved_moderate_thread": [lambda: {"pk": _board("sample_thread").pk}],
    "moved_moderate_post": [lambda: {"pk": _board("sample_post").pk}],
    "secretariat:import_confirm": [_import_batch],
    "board:thread": [lambda: {"pk": _board("sample_thread").pk}],
    "matching:wish": [lambda: {"pk": _board("sample_wish").pk}],
    "replies:release": [lambda: {"pk": _board("sample_inbound_mail").pk}],
    "matching:wish_edit": [lambda: {"pk": _board("sample_wish").pk}],
    "matching:propose": [lambda: {"pk": _board("sample_wish").pk}],
    "matching:proposal": [lambda: {"pk": _board("sample_proposal").pk}],
    "matching:answer": [lambda: {"pk": _board("sample_proposal").pk, "action": "reply"}],
    "board:reply": [lambda: {"pk": _board("sample_thread").pk}],
    "board:follow_thread": [lambda: {"pk": _board("sample_thread").pk}],
    "board:answered": [lambda: {"pk": _board("sample_thread").pk}],
    "secretariat:moderate_thread": [lambda: {"pk": _board("sample_thread").pk}],
    "board:follow_category": [lambda: {"slug": "tourism"}],
    "board:post": [lambda: {"pk": _board("sample_post").pk}],
    "board:edit": [lambda: {"pk": _board("sample_post").pk}],
    "board:history": [lambda: {"pk": _board("sample_post").pk}],
    "board:delete": [lambda: {"pk": _board("sample_post").pk}],
    "board:report": [lambda: {"pk": _board("sample_post").pk}],
    "secretariat:moderate_post": [lambda: {"pk": _board("sample_post").pk}],
    "board:attachment": [lambda: {"token": _board("sample_attachment").token}],
    "board:thumbnail": [lambda: {"token": _board("sample_attachment").token}],
    "portal:prefecture_events_ics": [lambda: {"prefecture_code": "02"}],
    "portal:event_ics": [_first_pk("portal.Event")],
    "sources:publication": [lambda: {"slug": "zenkoku-renkei-news-vol1"}],
    "newsletter:issue": [lambda: {"volume": 1}],
    "disasters:report": [lambda: {"pk": _sample_disaster().pk, "number": 1}],
    "disasters:report_pdf": [lambda: {"pk": _sample_disaster().pk, "number": 1}],
    "newsletter:issue_pdf": [lambda: {"volume": 1}],
    **{f"newsletter_editing:{name}": [_draft_issue] for name in ("edit", "preview", "preview_pdf", "checked", "publish")},
    "membership:apply": [lambda: {"code": "012025"}],  # 函館市, not a member
    "membership:verify_email": [_token("verify")],
    "membership:accept_invitation": [_token("invite")],
    "accounts:password_reset_confirm": [_password_link],
    "membership:remove": [_staff_pk],
    "membership:make_lead": [_staff_pk],
    "secretariat:application": [_first_pk("membership.Application")],
    "secretariat:approve": [_first_pk("membership.Application")],
    "secretariat:reject": [_first_pk("membership.Application")],
    "secretariat:member": [lambda: {"code": "015814"}],
    "secretariat:invite": [lambda: {"code": "015814"}],
    "secretariat:withdraw": [lambda: {"code": "015814"}],
    "secretariat:resume": [lambda: {"code": "015814"}],
    "secretariat:remove": [lambda: {"code": "015814", **_staff_pk()}],
    "secretariat:make_lead": [lambda: {"code": "015814", **_staff_pk()}],
    "secretariat:resend": [_first_pk("core.OutgoingEmail")],
    "secretariat:trash_restore": [lambda: {"pk": _board("sample_trashed_item").pk}],
    "secretariat:disaster_mode_preview": [lambda: {"language": "ja", "page": "index.html"}],
    "language": [lambda: {"code": "en"}],
    "portal:photo": [lambda: {"name": _board("sample_photo").small.name.removeprefix("photos/")}],
    "secretariat:news_edit": [_first_pk("portal.NewsItem")],
    "secretariat:news_delete": [_first_pk("portal.NewsItem")],
    "secretariat:event_edit": [_first_pk("portal.Event")],
    "secretariat:event_review": [_first_pk("portal.Event")],
    "secretariat:event_delete": [_first_pk("portal.Event")],
    "secretariat:inquiry_detail": [lambda: {"pk": _board("sample_inquiry").pk}],
    "secretariat:inquiry_release": [lambda: {"pk": _board("sample_inquiry").pk}],
    "secretariat:profile_edit": [lambda: {"code": "015814"}],
    "contrib:event_edit": [lambda: {"pk": _board("sample_member_event").pk}],
    "contrib:event_withdraw": [lambda: {"pk": _board("sample_member_event").pk}],
}


def urls_for(name: str) -> list[str]:
    """The URLs to check for a route: itself, or one per sample of its parameters."""
    try:
        return [reverse(name)]
    except Exception:
        if name not in SAMPLES:
            raise AssertionError(
                f"route {name!r} takes parameters: add a sample to SAMPLES in {__name__}"
            ) from None
        return [reverse(name, kwargs=sample()) for sample in SAMPLES[name]]
