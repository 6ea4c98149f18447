"""Every route of the URL conf, requested by every persona: the status each must get.

A route added without a row here fails the suite. Statuses are for GET; POST-only routes
answer 405 to those allowed to use them. Columns: anonymous, member staff (lead of 厚真町),
staff of another member municipality (lead of 上川町), ward staff (千代田区), secretariat
(second factor verified).
"""

import pytest
from django.test import Client

from renkei.core.tests.public_urls import all_routes, urls_for
from renkei.testing import sign_in

PERSONAS = ("anonymous", "member", "other_member", "ward", "secretariat")

EXPECTED = {
    # public pages
    "portal:home": "200 200 200 200 200",
    "portal:news_list": "200 200 200 200 200",
    "portal:news_detail": "200 200 200 200 200",
    "portal:event_list": "200 200 200 200 200",
    "portal:event_detail": "200 200 200 200 200",
    "portal:agreements": "200 200 200 200 200",
    "portal:stats": "200 200 200 200 200",
    "portal:contact": "200 200 200 200 200",
    "portal:join": "200 200 200 200 200",
    "portal:events_ics": "200 200 200 200 200",
    "portal:prefecture_events_ics": "200 200 200 200 200",
    "portal:event_ics": "200 200 200 200 200",
    "portal:news_feed": "200 200 200 200 200",
    "portal:robots": "200 200 200 200 200",
    "portal:sitemap": "200 200 200 200 200",
    "portal:search": "200 200 200 200 200",
    "portal:photo": "200 200 200 200 200",
    "portal:contact_sent": "200 200 200 200 200",
    "language": "302 302 302 302 302",  # sets the cookie, back to the page
    "portal:local_governments": "200 200 200 200 200",
    "portal:prefecture": "200 200 200 200 200",
    "portal:local_government": "200 200 200 200 200",
    "disasters:list": "200 200 200 200 200",
    "disasters:detail": "200 200 200 200 200",
    "sources:publication": "200 200 200 200 200",
    "opendata:index": "200 200 200 200 200",
    # the registry: relations are public; ward staff edit their ward's, the secretariat all
    "registry:relation_list": "200 200 200 200 200",
    "registry:relation_new": "302 403 403 200 200",
    "registry:relation_edit": "302 403 403 200 200",  # the sample belongs to 千代田区
    "registry:relation_delete": "302 403 403 405 405",
    "registry:import": "302 403 403 403 200",
    "registry:import_preview": "302 403 403 403 200",
    "registry:import_confirm": "302 403 403 403 405",
    "opendata:download": "200 200 200 200 200",
    "healthz": "200 200 200 200 200",
    "api:api-root": "404 404 404 404 404",  # the API has no index; the document is below
    "api:openapi-json": "200 200 200 200 200",
    "api:list_local_governments": "200 200 200 200 200",
    "api:get_local_government": "200 200 200 200 200",
    "api:stats": "200 200 200 200 200",
    "api:agreements": "200 200 200 200 200",
    "api:relations": "200 200 200 200 200",
    "api:partnerships": "200 200 200 200 200",
    "set_language": "302 302 302 302 302",  # GET only redirects back
    # joining and links from emails
    "membership:apply_search": "200 200 200 200 200",
    "membership:apply": "200 200 200 200 200",
    "membership:apply_sent": "200 200 200 200 200",
    "membership:verify_email": "200 200 200 200 200",
    "membership:accept_invitation": "200 200 200 200 200",
    # accounts
    "accounts:sign_in": "200 302 302 302 302",  # signed-in users go to their page
    "accounts:sign_out": "405 405 405 405 405",  # POST only
    "accounts:password_reset": "200 200 200 200 200",
    "accounts:password_reset_done": "200 200 200 200 200",
    "accounts:password_reset_confirm": "302 302 302 302 302",  # to the token-free URL
    "accounts:password_reset_complete": "200 200 200 200 200",
    "accounts:otp_verify": "302 302 302 302 200",  # staff without a device go to setup
    "accounts:otp_setup": "302 200 200 200 302",  # the secretariat already has a device
    "accounts:recovery_codes": "302 403 403 403 200",
    # a municipality's own page and staff actions (lead contact)
    "membership:home": "302 200 200 200 403",
    "membership:invite": "302 405 405 405 403",
    "membership:remove": "302 405 405 405 403",
    "membership:make_lead": "302 405 405 405 403",
    "membership:withdraw": "302 405 405 405 403",
    # the members' bulletin board: the public sees nothing of it
    "board:index": "302 200 200 200 200",
    "board:new_thread": "302 200 200 200 200",
    "board:search": "302 200 200 200 200",
    "board:new_posts": "302 200 200 200 200",
    "board:preferences": "302 200 200 200 200",
    "board:moderation": "302 404 404 404 200",
    "board:thread": "302 200 200 200 200",
    "board:reply": "302 405 405 405 405",
    "board:follow_thread": "302 405 405 405 405",
    "board:answered": "302 405 405 405 405",
    "board:moderate_thread": "302 405 405 405 405",
    "board:follow_category": "302 405 405 405 405",
    "board:post": "302 302 302 302 302",  # to the thread, at the post
    "board:edit": "302 200 404 404 404",  # the sample post is 厚真町's
    "board:history": "302 200 200 200 200",
    "board:delete": "302 405 405 405 405",
    "board:report": "302 200 200 200 200",
    "board:moderate_post": "302 405 405 405 405",
    "board:attachment": "302 200 200 200 200",
    "board:thumbnail": "302 200 200 200 200",
    # the secretariat
    "secretariat:dashboard": "302 403 403 403 200",
    "secretariat:applications": "302 403 403 403 200",
    "secretariat:application": "302 403 403 403 200",
    "secretariat:approve": "302 403 403 403 405",
    "secretariat:reject": "302 403 403 403 405",
    "secretariat:members": "302 403 403 403 200",
    "secretariat:member": "302 403 403 403 200",
    "secretariat:invite": "302 403 403 403 405",
    "secretariat:remove": "302 403 403 403 405",
    "secretariat:make_lead": "302 403 403 403 405",
    "secretariat:withdraw": "302 403 403 403 405",
    "secretariat:resume": "302 403 403 403 405",
    "secretariat:wards": "302 403 403 403 200",
    "secretariat:outbox": "302 403 403 403 200",
    "secretariat:resend": "302 403 403 403 405",
    # the secretariat's editing of the portal and its inquiry queue
    "editor:news_list": "302 403 403 403 200",
    "editor:news_new": "302 403 403 403 200",
    "editor:news_edit": "302 403 403 403 200",
    "editor:news_delete": "302 403 403 403 405",
    "editor:event_list": "302 403 403 403 200",
    "editor:event_new": "302 403 403 403 200",
    "editor:event_edit": "302 403 403 403 200",
    "editor:event_review": "302 403 403 403 405",
    "editor:event_delete": "302 403 403 403 405",
    "inquiries:list": "302 403 403 403 200",
    "inquiries:detail": "302 403 403 403 200",
    "contrib:secretariat_profile_edit": "302 403 403 403 200",
    # members' own events and PR page (the sample event is 厚真町's; wards have no PR page)
    "contrib:event_list": "302 200 200 200 403",
    "contrib:event_new": "302 200 200 200 403",
    "contrib:event_edit": "302 200 404 404 403",
    "contrib:event_withdraw": "302 405 405 405 403",
    "contrib:profile_edit": "302 200 200 403 403",
}
ADMIN_INDEX = "302 302 302 302 200"


def route_names() -> list[str]:
    return [route.name for route in all_routes() if not route.name.startswith("admin:")]


def test_every_route_has_an_expectation():
    missing = sorted(set(route_names()) - set(EXPECTED))
    assert missing == [], f"add these routes to EXPECTED: {missing}"
    stale = sorted(set(EXPECTED) - set(route_names()))
    assert stale == [], f"these routes no longer exist: {stale}"


def persona_client(world, persona: str) -> Client:
    client = Client()
    if persona != "anonymous":
        sign_in(client, getattr(world, persona))
    return client


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
        expected = int(EXPECTED[name].split()[PERSONAS.index(persona)])
        for url in urls_for(name):
            client = persona_client(world, persona)
            status = client.get(url).status_code
            if status != expected:
                failures.append(f"{name} {url}: expected {expected}, got {status}")
    client = persona_client(world, persona)
    admin_expected = int(ADMIN_INDEX.split()[PERSONAS.index(persona)])
    admin_status = client.get("/admin/").status_code
    if admin_status != admin_expected:
        failures.append(f"admin:index: expected {admin_expected}, got {admin_status}")
    assert failures == [], "\n".join(failures)
