"""Every route of the URL conf, requested by every persona, with GET and with POST: the status
each must get, and that a refused POST writes nothing.

A route added without a row here fails the suite. Each row reads "GET statuses | POST statuses"
for: anonymous, member staff (lead of 厚真町), staff of another member municipality (lead of
上川町), ward staff (千代田区), the secretariat (second factor verified). The POST is sent with an
empty body, in a transaction rolled back afterwards, so that one route's action does not change
what the next one sees.
"""

import re

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from renkei.core.tests.public_urls import all_routes, urls_for
from renkei.testing import sign_in

PERSONAS = ("anonymous", "member", "other_member", "ward", "secretariat")

EXPECTED = {
    # public pages (a POST to a page that only shows is 405)
    "disasters:detail": "200 200 200 200 200 | 405 405 405 405 405",
    "disasters:list": "200 200 200 200 200 | 405 405 405 405 405",
    "healthz": "200 200 200 200 200 | 405 405 405 405 405",
    "language": "302 302 302 302 302 | 405 405 405 405 405",
    "opendata:catalog": "200 200 200 200 200 | 405 405 405 405 405",
    "opendata:download": "200 200 200 200 200 | 405 405 405 405 405",
    "opendata:index": "200 200 200 200 200 | 405 405 405 405 405",
    "portal:agreements": "200 200 200 200 200 | 405 405 405 405 405",
    "portal:contact": "200 200 200 200 200 | 400 400 400 400 400",
    "portal:contact_sent": "200 200 200 200 200 | 405 405 405 405 405",
    "portal:event_detail": "200 200 200 200 200 | 405 405 405 405 405",
    "portal:event_ics": "200 200 200 200 200 | 405 405 405 405 405",
    "portal:event_list": "200 200 200 200 200 | 405 405 405 405 405",
    "portal:events_ics": "200 200 200 200 200 | 405 405 405 405 405",
    "portal:home": "200 200 200 200 200 | 405 405 405 405 405",
    "portal:join": "200 200 200 200 200 | 405 405 405 405 405",
    "portal:privacy": "200 200 200 200 200 | 405 405 405 405 405",
    "portal:terms": "200 200 200 200 200 | 405 405 405 405 405",
    "portal:accessibility": "200 200 200 200 200 | 405 405 405 405 405",
    "portal:accessibility_results": "200 200 200 200 200 | 405 405 405 405 405",
    "portal:sitemap_page": "200 200 200 200 200 | 405 405 405 405 405",
    "portal:favicon": "301 301 301 301 301 | 405 405 405 405 405",
    "portal:local_government": "200 200 200 200 200 | 405 405 405 405 405",
    "portal:local_governments": "200 200 200 200 200 | 405 405 405 405 405",
    "portal:news_detail": "200 200 200 200 200 | 405 405 405 405 405",
    "portal:news_feed": "200 200 200 200 200 | 405 405 405 405 405",
    "portal:news_list": "200 200 200 200 200 | 405 405 405 405 405",
    "portal:photo": "200 200 200 200 200 | 405 405 405 405 405",
    "portal:prefecture": "200 200 200 200 200 | 405 405 405 405 405",
    "portal:prefecture_events_ics": "200 200 200 200 200 | 405 405 405 405 405",
    "portal:robots": "200 200 200 200 200 | 405 405 405 405 405",
    "portal:search": "200 200 200 200 200 | 405 405 405 405 405",
    "portal:sitemap": "200 200 200 200 200 | 405 405 405 405 405",
    "portal:stats": "200 200 200 200 200 | 405 405 405 405 405",
    "set_language": "302 302 302 302 302 | 302 302 302 302 302",
    "sources:publication": "200 200 200 200 200 | 405 405 405 405 405",
    # 全国連携NEWS: published issues are public; members (organisation staff) may ask for its mail
    "newsletter:index": "200 200 200 200 200 | 405 405 405 405 405",
    "newsletter:issue": "200 200 200 200 200 | 405 405 405 405 405",
    "newsletter:issue_pdf": "200 200 200 200 200 | 405 405 405 405 405",
    "newsletter:subscription": "302 405 405 405 403 | 302 302 302 302 403",
    # its back office (a draft, vol.2 for 令和元年度, whose empty sections refuse publishing)
    "newsletter_editing:list": "302 403 403 403 200 | 302 403 403 403 405",
    "newsletter_editing:new": "302 403 403 403 200 | 302 403 403 403 400",
    "newsletter_editing:edit": "302 403 403 403 200 | 302 403 403 403 400",
    "newsletter_editing:preview": "302 403 403 403 200 | 302 403 403 403 405",
    "newsletter_editing:preview_pdf": "302 403 403 403 200 | 302 403 403 403 405",
    "newsletter_editing:checked": "302 403 403 403 405 | 302 403 403 403 302",
    "newsletter_editing:publish": "302 403 403 403 200 | 302 403 403 403 400",
    # the JSON API (django-ninja; the OpenAPI document answers any method)
    "api:agreements": "200 200 200 200 200 | 405 405 405 405 405",
    "api:api-root": "404 404 404 404 404 | 404 404 404 404 404",
    "api:get_local_government": "200 200 200 200 200 | 405 405 405 405 405",
    "api:list_local_governments": "200 200 200 200 200 | 405 405 405 405 405",
    "api:openapi-json": "200 200 200 200 200 | 200 200 200 200 200",
    "api:partnerships": "200 200 200 200 200 | 405 405 405 405 405",
    "api:relations": "200 200 200 200 200 | 405 405 405 405 405",
    "api:wishes": "200 200 200 200 200 | 405 405 405 405 405",
    "api:disasters": "200 200 200 200 200 | 405 405 405 405 405",
    "api:dispatch": "200 200 200 200 200 | 405 405 405 405 405",
    "api:funds": "200 200 200 200 200 | 405 405 405 405 405",
    "api:stats": "200 200 200 200 200 | 405 405 405 405 405",
    # the registry: relations are public; ward staff edit their ward's, the secretariat all
    "registry:relation_delete": "302 403 403 200 200 | 302 403 403 302 302",
    "registry:relation_edit": "302 403 403 200 200 | 302 403 403 400 400",
    "portal:relations": "200 200 200 200 200 | 405 405 405 405 405",
    "registry:relation_new": "302 403 403 200 200 | 302 403 403 400 400",
    # joining and links from emails
    "membership:accept_invitation": "200 200 200 200 200 | 400 400 400 400 400",
    "membership:apply": "200 200 200 200 200 | 400 400 400 400 400",
    "membership:apply_search": "200 200 200 200 200 | 405 405 405 405 405",
    "membership:apply_sent": "200 200 200 200 200 | 405 405 405 405 405",
    "membership:verify_email": "200 200 200 200 200 | 405 405 405 405 405",
    # accounts
    "accounts:otp_setup": "302 200 200 200 302 | 302 400 400 400 302",
    "accounts:otp_verify": "302 302 302 302 200 | 302 302 302 302 400",
    "accounts:password_reset": "200 200 200 200 200 | 400 400 400 400 400",
    "accounts:password_reset_complete": "200 200 200 200 200 | 405 405 405 405 405",
    "accounts:password_reset_confirm": "302 302 302 302 302 | 302 302 302 302 302",
    "accounts:password_reset_done": "200 200 200 200 200 | 405 405 405 405 405",
    "accounts:recovery_codes": "302 403 403 403 200 | 302 403 403 403 200",
    "accounts:sign_in": "200 302 302 302 302 | 400 302 302 302 302",
    "accounts:sign_out": "405 405 405 405 405 | 302 302 302 302 302",
    # a municipality's own page and its lead contact's staff actions
    "membership:home": "302 200 200 200 403 | 302 405 405 405 403",
    "membership:invite": "302 405 405 405 403 | 302 400 400 400 403",
    "membership:make_lead": "302 405 405 405 403 | 302 302 404 404 403",
    "membership:remove": "302 200 404 404 403 | 302 302 404 404 403",
    "membership:withdraw": "302 405 405 405 403 | 302 400 400 400 403",
    # members' own events and PR page (the sample event is 厚真町's; wards have no PR page)
    "contrib:event_edit": "302 200 404 404 403 | 302 400 404 404 403",
    "contrib:event_list": "302 200 200 200 403 | 302 405 405 405 403",
    "contrib:event_new": "302 200 200 200 403 | 302 400 400 400 403",
    "contrib:event_withdraw": "302 405 405 405 403 | 302 302 404 404 403",
    "contrib:profile_edit": "302 200 200 403 403 | 302 302 302 403 403",
    # replies by mail: the secretariat's inbox (the sample is a held reply of 千代田区's officer)
    "replies:inbox": "302 403 403 403 200 | 302 403 403 403 405",
    "replies:release": "302 403 403 403 405 | 302 403 403 403 302",
    # 連携マッチング: the sample wish is 厚真町's; the sample proposal goes from 千代田区 to 厚真町
    "matching:desk": "302 200 200 200 403 | 302 405 405 405 403",
    "matching:wish_new": "302 200 200 200 403 | 302 400 400 400 403",
    "matching:wish": "302 200 404 404 200 | 302 405 405 405 405",
    "matching:wish_edit": "302 200 404 404 403 | 302 400 404 404 403",
    "matching:propose": "302 405 405 405 403 | 302 400 404 404 403",
    "matching:proposal": "302 200 404 200 200 | 302 405 405 405 405",
    "matching:answer": "302 405 405 405 405 | 302 400 404 400 404",
    "matching:notice": "302 405 405 405 403 | 302 302 302 302 403",
    "matching:overview": "302 403 403 403 200 | 302 403 403 403 405",
    "matching:rules": "302 403 403 403 200 | 302 403 403 403 400",
    # the members' bulletin board: the public sees nothing of it (the sample post is 厚真町's)
    "board:answered": "302 405 405 405 405 | 302 404 404 404 404",
    "board:attachment": "302 200 200 200 200 | 302 405 405 405 405",
    "board:delete": "302 200 404 404 404 | 302 302 404 404 404",
    "board:edit": "302 200 404 404 404 | 302 400 404 404 404",
    "board:follow_category": "302 405 405 405 405 | 302 302 302 302 302",
    "board:follow_thread": "302 405 405 405 405 | 302 302 302 302 302",
    "board:history": "302 200 200 200 200 | 302 405 405 405 405",
    "board:index": "302 200 200 200 200 | 302 405 405 405 405",
    "board:new_posts": "302 200 200 200 200 | 302 405 405 405 405",
    "board:new_thread": "302 200 200 200 200 | 302 400 400 400 400",
    "board:post": "302 302 302 302 302 | 302 405 405 405 405",
    "board:preferences": "302 200 200 200 200 | 302 400 400 400 400",
    "board:reply": "302 405 405 405 405 | 302 400 400 400 400",
    "board:report": "302 200 200 200 200 | 302 400 400 400 400",
    "board:search": "302 200 200 200 200 | 302 405 405 405 405",
    "board:thread": "302 200 200 200 200 | 302 405 405 405 405",
    "board:thumbnail": "302 200 200 200 200 | 302 405 405 405 405",
    # the secretariat's back office
    "secretariat:application": "302 403 403 403 200 | 302 403 403 403 405",
    "secretariat:applications": "302 403 403 403 200 | 302 403 403 403 405",
    "secretariat:approve": "302 403 403 403 405 | 302 403 403 403 302",
    "secretariat:audit_log": "302 403 403 403 200 | 302 403 403 403 405",
    "secretariat:trash": "302 403 403 403 200 | 302 403 403 403 405",
    "secretariat:disaster_mode": "302 403 403 403 200 | 302 403 403 403 400",
    "secretariat:disaster_mode_preview": "302 403 403 403 404 | 302 403 403 403 405",
    "secretariat:trash_restore": "302 403 403 403 405 | 302 403 403 403 302",
    "secretariat:dashboard": "302 403 403 403 200 | 302 403 403 403 405",
    "secretariat:event_delete": "302 403 403 403 200 | 302 403 403 403 302",
    "secretariat:event_edit": "302 403 403 403 200 | 302 403 403 403 400",
    "secretariat:event_list": "302 403 403 403 200 | 302 403 403 403 405",
    "secretariat:event_new": "302 403 403 403 200 | 302 403 403 403 400",
    "secretariat:event_review": "302 403 403 403 405 | 302 403 403 403 400",
    "secretariat:import": "302 403 403 403 200 | 302 403 403 403 400",
    "secretariat:import_confirm": "302 403 403 403 405 | 302 403 403 403 302",
    "secretariat:import_preview": "302 403 403 403 200 | 302 403 403 403 405",
    "secretariat:inquiry_detail": "302 403 403 403 200 | 302 403 403 403 400",
    "secretariat:inquiry_release": "302 403 403 403 405 | 302 403 403 403 302",
    "secretariat:inquiry_list": "302 403 403 403 200 | 302 403 403 403 405",
    "secretariat:invite": "302 403 403 403 405 | 302 403 403 403 400",
    "secretariat:make_lead": "302 403 403 403 405 | 302 403 403 403 302",
    "secretariat:member": "302 403 403 403 200 | 302 403 403 403 405",
    "secretariat:members": "302 403 403 403 200 | 302 403 403 403 405",
    "secretariat:moderate_post": "302 403 403 403 405 | 302 403 403 403 302",
    "secretariat:moderate_thread": "302 403 403 403 405 | 302 403 403 403 302",
    "secretariat:moderation": "302 403 403 403 200 | 302 403 403 403 405",
    "secretariat:news_delete": "302 403 403 403 200 | 302 403 403 403 302",
    "secretariat:news_edit": "302 403 403 403 200 | 302 403 403 403 400",
    "secretariat:news_list": "302 403 403 403 200 | 302 403 403 403 405",
    "secretariat:news_new": "302 403 403 403 200 | 302 403 403 403 400",
    "secretariat:outbox": "302 403 403 403 200 | 302 403 403 403 405",
    "secretariat:profile_edit": "302 403 403 403 200 | 302 403 403 403 302",
    "secretariat:reject": "302 403 403 403 405 | 302 403 403 403 400",
    "secretariat:remove": "302 403 403 403 200 | 302 403 403 403 302",
    "secretariat:resend": "302 403 403 403 405 | 302 403 403 403 302",
    "secretariat:resume": "302 403 403 403 405 | 302 403 403 403 302",
    "secretariat:wards": "302 403 403 403 200 | 302 403 403 403 405",
    "secretariat:withdraw": "302 403 403 403 405 | 302 403 403 403 400",
    # addresses that moved into the back office: 301 for reading, 308 for a form (method kept)
    "moved_import": "301 301 301 301 301 | 308 308 308 308 308",
    "moved_import_confirm": "301 301 301 301 301 | 308 308 308 308 308",
    "moved_import_preview": "301 301 301 301 301 | 308 308 308 308 308",
    "moved_moderate_post": "301 301 301 301 301 | 308 308 308 308 308",
    "moved_moderate_thread": "301 301 301 301 301 | 308 308 308 308 308",
    "moved_moderation": "301 301 301 301 301 | 308 308 308 308 308",
    # disaster support: the public record, the wards' and members' desk, the HQ in the back office
    "disasters:decision_pdf": "200 200 200 200 200 | 405 405 405 405 405",
    "disasters:wards": "200 200 200 200 200 | 405 405 405 405 405",
    "disasters:report": "200 200 200 200 200 | 405 405 405 405 405",
    "disasters:report_pdf": "200 200 200 200 200 | 405 405 405 405 405",
    "disaster_members:answer": "302 403 403 200 403 | 302 403 403 400 403",
    "disaster_members:home": "302 200 200 200 403 | 302 405 405 405 403",
    "disaster_members:dispatch_edit": "302 403 403 200 403 | 302 403 403 400 403",
    "disaster_members:dispatch_new": "302 403 403 200 403 | 302 403 403 400 403",
    "disaster_members:request_new": "302 200 403 403 403 | 302 400 403 403 403",
    "disaster_members:supply_edit": "302 403 403 200 403 | 302 403 403 400 403",
    "disaster_members:supply_new": "302 403 403 200 403 | 302 403 403 400 403",
    "membership:disaster_contact": "302 405 405 405 403 | 302 302 404 404 403",
    "secretariat:counterpart_end": "302 403 403 403 405 | 302 403 403 403 302",
    "secretariat:counterpart_new": "302 403 403 403 200 | 302 403 403 403 400",
    "secretariat:decision": "302 403 403 403 200 | 302 403 403 403 409",
    "secretariat:decision_confirm": "302 403 403 403 405 | 302 403 403 403 302",
    "secretariat:decision_new": "302 403 403 403 200 | 302 403 403 403 400",
    "secretariat:disaster": "302 403 403 403 200 | 302 403 403 403 405",
    "secretariat:disaster_activate": "302 403 403 403 405 | 302 403 403 403 302",
    "secretariat:disaster_contact": "302 403 403 403 405 | 302 403 403 403 302",
    "secretariat:disaster_edit": "302 403 403 403 200 | 302 403 403 403 400",
    "secretariat:disaster_new": "302 403 403 403 200 | 302 403 403 403 400",
    "secretariat:disaster_report": "302 403 403 403 200 | 302 403 403 403 405",
    "secretariat:disaster_state": "302 403 403 403 405 | 302 403 403 403 302",
    "secretariat:disasters": "302 403 403 403 200 | 302 403 403 403 405",
    "secretariat:dispatch_confirm": "302 403 403 403 405 | 302 403 403 403 302",
    "secretariat:supply_confirm": "302 403 403 403 405 | 302 403 403 403 302",
    "secretariat:dispatch_edit": "302 403 403 403 200 | 302 403 403 403 400",
    "secretariat:dispatch_new": "302 403 403 403 200 | 302 403 403 403 400",
    "secretariat:enquiry": "302 403 403 403 200 | 302 403 403 403 405",
    "secretariat:enquiry_close": "302 403 403 403 405 | 302 403 403 403 302",
    "secretariat:enquiry_reopen": "302 403 403 403 405 | 302 403 403 403 302",
    "secretariat:enquiry_new": "302 403 403 403 200 | 302 403 403 403 400",
    "secretariat:enquiry_remind": "302 403 403 403 405 | 302 403 403 403 302",
    "secretariat:fund": "302 403 403 403 200 | 302 403 403 403 405",
    "secretariat:fund_edit": "302 403 403 403 200 | 302 403 403 403 400",
    "secretariat:fund_new": "302 403 403 403 200 | 302 403 403 403 400",
    "secretariat:payment": "302 403 403 403 405 | 302 403 403 403 302",
    "secretariat:request": "302 403 403 403 200 | 302 403 403 403 405",
    "secretariat:request_move": "302 403 403 403 405 | 302 403 403 403 302",
    "secretariat:request_new": "302 403 403 403 200 | 302 403 403 403 400",
    "secretariat:supply_edit": "302 403 403 403 200 | 302 403 403 403 400",
    "secretariat:supply_new": "302 403 403 403 200 | 302 403 403 403 400",
}
ADMIN_INDEX = "302 302 302 302 200"

# A POST answered with one of these was refused (or its input was), and must have written nothing.
REFUSED = {400, 403, 404, 405, 409}
# What a request may write whatever its outcome: the session (each request refreshes its expiry).
WRITES = re.compile(r"^\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+\"?(?P<table>\w+)", re.IGNORECASE)
ALWAYS_WRITTEN = {"django_session"}


def route_names() -> list[str]:
    return [route.name for route in all_routes() if not route.name.startswith("admin:")]


def expected(name: str, method: str, persona: str) -> int:
    get, post = EXPECTED[name].split("|")
    return int((get if method == "GET" else post).split()[PERSONAS.index(persona)])


def test_every_route_has_an_expectation():
    missing = sorted(set(route_names()) - set(EXPECTED))
    assert missing == [], f"add these routes to EXPECTED: {missing}"
    stale = sorted(set(EXPECTED) - set(route_names()))
    assert stale == [], f"these routes no longer exist: {stale}"
    malformed = [name for name, row in EXPECTED.items() if not re.fullmatch(r"(\d{3} ){4}\d{3} \| (\d{3} ){4}\d{3}", row)]
    assert malformed == []


def persona_client(world, persona: str) -> Client:
    client = Client()
    if persona != "anonymous":
        sign_in(client, getattr(world, persona))
    return client


class _RolledBack(Exception):
    pass


def post_and_roll_back(client: Client, url: str):
    """POST with an empty body; returns the response and the tables it wrote, then undoes it."""
    try:
        with transaction.atomic(), CaptureQueriesContext(connection) as queries:
            response = client.post(url)
            raise _RolledBack
    except _RolledBack:
        pass
    written = {m["table"] for q in queries.captured_queries if (m := WRITES.match(q["sql"]))}
    return response, written - ALWAYS_WRITTEN


def _refused(response, persona: str) -> bool:
    to_sign_in = response.status_code == 302 and response["Location"].startswith("/accounts/sign-in/")
    return response.status_code in REFUSED or (persona == "anonymous" and to_sign_in)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_gets_the_expected_status(world, persona):
    from renkei.core.models import OutgoingEmail
    from renkei.membership.models import Application

    Application.objects.create(local_government_id="012025", department="企画課", contact_name="函館 太郎",
                               phone="0138-21-3111", email="kikaku@city.hakodate.lg.jp", status="pending")
    OutgoingEmail.objects.create(to="x@example.jp", subject="件名", body_text="本文", kind="test")
    failures = []
    for name in route_names():
        for url in urls_for(name):
            client = persona_client(world, persona)
            status = client.get(url).status_code
            if status != expected(name, "GET", persona):
                failures.append(f"GET {name} {url}: expected {expected(name, 'GET', persona)}, got {status}")
            response, written = post_and_roll_back(client, url)
            if response.status_code != expected(name, "POST", persona):
                failures.append(f"POST {name} {url}: expected {expected(name, 'POST', persona)}, "
                                f"got {response.status_code}")
            elif _refused(response, persona) and written:
                failures.append(f"POST {name} {url}: refused with {response.status_code} but wrote {sorted(written)}")
    client = persona_client(world, persona)
    admin_expected = int(ADMIN_INDEX.split()[PERSONAS.index(persona)])
    admin_status = client.get("/admin/").status_code
    if admin_status != admin_expected:
        failures.append(f"admin:index: expected {admin_expected}, got {admin_status}")
    assert failures == [], "\n".join(failures)


# Replies by mail, through the receiving command (manage.py receive_mail), each persona replying
# from its own address to a reply address made for it ("anonymous": a stranger, to an address made
# for no account): recorded, or refused — kept for the secretariat, the sender told, nothing written.
BY_MAIL = {
    "enquiry": "refused refused refused recorded refused",  # a 各区照会: the wards' staff only
    "thread": "refused recorded recorded recorded recorded",  # the board: organisation staff and the secretariat
}


@pytest.mark.django_db
@pytest.mark.parametrize("kind", sorted(BY_MAIL))
@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_replying_by_mail_gets_the_expected_outcome(world, settings, monkeypatch, persona, kind):
    import datetime as dt
    import io
    import sys

    from django.core.management import call_command
    from django.utils import timezone

    from renkei.board.models import Post
    from renkei.core import reply_addresses
    from renkei.disasters.models import Enquiry, EnquiryAnswer
    from renkei.replies.models import InboundMail
    from renkei.replies.tests import mails
    from renkei.testing import sample_disaster, sample_thread

    settings.REPLY_DOMAIN = "reply.renkei.example.jp"
    user = getattr(world, persona, None)
    sender = user.email if user else "stranger@example.com"
    nobody = timezone.localdate() + dt.timedelta(days=30), 999_999  # an address made for no account
    if kind == "enquiry":
        enquiry = Enquiry.objects.filter(disaster=sample_disaster()).latest("pk")
        to = (reply_addresses.for_enquiry(enquiry, user) if user
              else reply_addresses.address("e", enquiry.pk, nobody[1], nobody[0]))
        written = lambda: EnquiryAnswer.objects.filter(enquiry=enquiry).count()  # noqa: E731
    else:
        thread = sample_thread()
        to = (reply_addresses.for_thread(thread, user) if user
              else reply_addresses.address("b", thread.pk, nobody[1], nobody[0]))
        written = lambda: Post.objects.filter(thread=thread).count()  # noqa: E731
    before = written()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(mails.thunderbird(to, sender, "回答: はい\n人数: 1"))))
    out = io.StringIO()
    call_command("receive_mail", stdout=out)
    mail = InboundMail.objects.get()
    expected_outcome = BY_MAIL[kind].split()[PERSONAS.index(persona)]
    assert mail.outcome == expected_outcome, mail.reason
    assert out.getvalue().startswith(mail.get_outcome_display())
    assert written() == before + (1 if expected_outcome == "recorded" else 0)
