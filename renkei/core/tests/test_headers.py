"""Every response carries the security headers (Content-Security-Policy, Permissions-Policy and
the rest), wherever it comes from; under the production settings the site scores like the
Mozilla HTTP Observatory's A+."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from renkei.core import headers as security
from renkei.testing import sign_in_with_password

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]


def observatory(response_headers: dict, cookies: list, redirect) -> tuple[int, list[str]]:
    """The HTTP Observatory's score (its 2024 scoring, for the tests that read a response): 100,
    with each test's modifier; bonuses count only when the score without them is 90 or more."""
    headers = {k.lower(): v for k, v in response_headers.items()}
    penalties, bonuses, notes = 0, 0, []
    csp = {d.split()[0]: d.split()[1:] for d in (p.strip() for p in headers.get("content-security-policy", "").split(";")) if d}
    if not csp:
        penalties -= 25
        notes.append("csp-not-implemented")
    else:
        scripts = csp.get("script-src", csp.get("default-src", []))
        styles = csp.get("style-src", csp.get("default-src", []))
        sources = [source for values in csp.values() for source in values]
        if "'unsafe-inline'" in scripts or "'unsafe-eval'" in scripts or any(s.startswith("http:") for s in sources):
            penalties -= 20
            notes.append("csp-unsafe")
        elif "'unsafe-inline'" in styles:
            notes.append("csp-implemented-with-unsafe-inline-in-style-src-only")
        elif csp.get("default-src") == ["'none'"]:
            bonuses += 10
            notes.append("csp-implemented-with-no-unsafe-default-src-none")
        else:
            bonuses += 5
            notes.append("csp-implemented-with-no-unsafe")
    if cookies:
        secure = all(c["secure"] for c in cookies)
        sessions_httponly = all(c["httponly"] for c in cookies if "session" in c["name"].lower())
        samesite = all(c["samesite"] for c in cookies)
        if not secure:
            penalties -= 20
            notes.append("cookies-without-secure-flag")
        elif not sessions_httponly:
            penalties -= 30
            notes.append("cookies-session-without-httponly-flag")
        elif samesite:
            bonuses += 5
            notes.append("cookies-secure-with-httponly-sessions-and-samesite")
    hsts = re.search(r"max-age=(\d+)", headers.get("strict-transport-security", ""))
    if not hsts:
        penalties -= 20
        notes.append("hsts-not-implemented")
    elif int(hsts.group(1)) < 15768000:
        penalties -= 10
        notes.append("hsts-implemented-max-age-less-than-six-months")
    referrer = headers.get("referrer-policy", "").lower()
    if referrer in ("no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"):
        bonuses += 5
        notes.append("referrer-policy-private")
    elif referrer in ("origin", "origin-when-cross-origin", "unsafe-url", "no-referrer-when-downgrade"):
        penalties -= 5
    if headers.get("x-content-type-options", "").lower() != "nosniff":
        penalties -= 5
        notes.append("x-content-type-options-not-implemented")
    if csp.get("frame-ancestors") in (["'none'"], ["'self'"]):
        bonuses += 5
        notes.append("x-frame-options-implemented-via-csp")
    elif headers.get("x-frame-options", "").upper() not in ("DENY", "SAMEORIGIN"):
        penalties -= 20
        notes.append("x-frame-options-not-implemented")
    if redirect is None or not redirect.startswith("https://"):
        penalties -= 20
        notes.append("redirection-missing")
    score = 100 + penalties
    return (score + bonuses if score >= 90 else score), notes


KEYS = ["SESSION_COOKIE_SECURE", "SESSION_COOKIE_NAME", "SESSION_COOKIE_HTTPONLY", "SESSION_COOKIE_SAMESITE",
        "CSRF_COOKIE_SECURE", "CSRF_COOKIE_NAME", "CSRF_COOKIE_HTTPONLY", "CSRF_COOKIE_SAMESITE",
        "LANGUAGE_COOKIE_SECURE", "LANGUAGE_COOKIE_HTTPONLY", "LANGUAGE_COOKIE_SAMESITE",
        "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_PROXY_SSL_HEADER",
        "SECURE_REFERRER_POLICY", "SECURE_CONTENT_TYPE_NOSNIFF", "X_FRAME_OPTIONS"]


def production_settings(tmp_path) -> dict:
    """What RENKEI_ENV=production gives, read from a process of its own."""
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "RENKEI_ENV")}
    env.update(RENKEI_ENV="production", SECRET_KEY="x" * 20 + "a-long-random-production-secret-value-9f8e7d",
               ALLOWED_HOSTS="renkei.example.jp", DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3")
    code = f"import json; from django.conf import settings as s; print(json.dumps({{k: getattr(s, k) for k in {KEYS!r}}}))"
    result = subprocess.run([sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120, check=True)
    values = json.loads(result.stdout.strip().splitlines()[-1])
    values["SECURE_PROXY_SSL_HEADER"] = tuple(values["SECURE_PROXY_SSL_HEADER"])
    return values


def test_the_production_site_scores_a_plus_as_the_observatory_scores_it(settings, tmp_path, world):
    for name, value in production_settings(tmp_path).items():
        setattr(settings, name, value)
    assert settings.SESSION_COOKIE_NAME == "__Host-sessionid" and settings.CSRF_COOKIE_NAME == "__Host-csrftoken"
    secure = {"HTTP_X_FORWARDED_PROTO": "https"}  # as nginx tells the app, behind TLS
    client = Client(**secure)
    home = client.get("/")
    cookies = []
    for response in (client.get("/accounts/sign-in/"), sign_in_with_password(client, world.member.email, **secure),
                     client.get("/language/en/", **secure)):
        for morsel in response.cookies.values():
            if morsel.value:
                cookies.append({"name": morsel.key, "secure": bool(morsel["secure"]),
                                "httponly": bool(morsel["httponly"]), "samesite": morsel["samesite"]})
    assert {c["name"] for c in cookies} >= {"__Host-csrftoken", "__Host-sessionid", "django_language"}
    for cookie in cookies:
        if cookie["name"].startswith("__Host-"):
            assert cookie["secure"]  # and Path=/ with no Domain, as Django sets them
    plain = Client().get("/")  # http: sent to https on the same host
    score, notes = observatory(dict(home.headers), cookies, plain.get("Location"))
    assert plain.status_code == 301 and plain["Location"].startswith("https://testserver/")
    assert score == 125, notes
    assert notes == ["csp-implemented-with-no-unsafe-default-src-none", "cookies-secure-with-httponly-sessions-and-samesite",
                     "referrer-policy-private", "x-frame-options-implemented-via-csp"]


def test_the_scorer_takes_off_what_a_weak_site_lacks():
    score, notes = observatory({"Content-Security-Policy": "default-src 'self'; script-src 'self' 'unsafe-inline'"},
                               [{"name": "sessionid", "secure": True, "httponly": False, "samesite": "Lax"}], None)
    assert score == 100 - 20 - 30 - 20 - 5 - 20 - 20
    assert "csp-unsafe" in notes and "hsts-not-implemented" in notes


def wsgi_call(app, path: str = "/") -> dict:
    """The headers a WSGI callable answers a GET with."""
    import io
    import wsgiref.util

    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": "", "wsgi.input": io.BytesIO(b"")}
    wsgiref.util.setup_testing_defaults(environ)
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer.update(headers)

    b"".join(app(environ, start_response))
    return answer


def carries_the_policy(headers, policy=security.CONTENT_SECURITY_POLICY) -> bool:
    return (headers.get("Content-Security-Policy") == policy
            and headers.get("Permissions-Policy") == security.PERMISSIONS_POLICY)


def test_every_kind_of_response_carries_the_policy(client, settings, world, django_capture_on_commit_callbacks):
    settings.DEBUG = False
    responses = {
        "page": client.get("/"), "cached page": client.get("/"), "404": client.get("/no-such-page/"),
        "400": client.get("/events/?month=2026-13"), "API": client.get("/api/v1/local-governments/131016"),
        "API error": client.get("/api/v1/local-governments?kind="), "static": client.get("/static/css/renkei.css"),
        "feed": client.get("/news/feed.atom"),
    }
    assert responses["400"].status_code == 400 and responses["API error"].status_code == 400
    for kind, response in responses.items():
        assert carries_the_policy(response.headers), kind
    admin = client.get("/admin/login/")
    assert carries_the_policy(admin.headers, security.ADMIN_CONTENT_SECURITY_POLICY)

    from renkei.core.overload import Shed
    from renkei.portal import disaster_mode
    from renkei.portal.light_server import LightPages

    shed = Shed(lambda environ, start_response: None)
    busy = wsgi_call(shed._busy)  # the page the public gets when every thread is taken
    assert busy.get("Retry-After") and carries_the_policy(busy)
    with django_capture_on_commit_callbacks(execute=True):
        disaster_mode.set_mode(mode="on", actor=world.secretariat)
    light = wsgi_call(LightPages(lambda environ, start_response: None))
    assert light.get("X-Renkei-Page") == "light" and carries_the_policy(light)


def test_nginx_serves_the_light_pages_with_the_same_policy():
    conf = (ROOT / "deploy" / "nginx" / "renkei.conf").read_text(encoding="utf-8")
    light = conf.split("location @light {", 1)[1].split("\n    }", 1)[0]
    assert f'add_header Content-Security-Policy "{security.CONTENT_SECURITY_POLICY}";' in light
    assert f'add_header Permissions-Policy "{security.PERMISSIONS_POLICY}";' in light
    assert "Strict-Transport-Security" in light
