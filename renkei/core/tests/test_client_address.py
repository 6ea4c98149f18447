"""The client's address is the one the trusted proxy saw: a stranger cannot lock others out of
sign-in or the inquiry desk by sending from behind the same proxy or by forging the header."""

import http.client
import re
import shutil
import subprocess
import tempfile
import time
import urllib.parse
from pathlib import Path

import pytest
from django.test import RequestFactory

from renkei.core.clients import client_address

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize("remote,forwarded,count,expected", [
    ("192.0.2.7", "", 0, "192.0.2.7"),  # no proxy: the connection's address
    ("192.0.2.7", "198.51.100.1", 0, "192.0.2.7"),  # no proxy configured: the header is ignored
    ("127.0.0.1", "198.51.100.1", 1, "198.51.100.1"),  # nginx appended the client's address
    ("127.0.0.1", "10.9.9.9, 198.51.100.1", 1, "198.51.100.1"),  # the client forged the first entry
    ("192.0.2.7", "10.9.9.9", 1, "192.0.2.7"),  # straight to the app, forged: not from a trusted proxy
    ("127.0.0.1", "", 1, "127.0.0.1"),  # the proxy said nothing
    ("127.0.0.1", "10.9.9.9, 203.0.113.5, 198.51.100.1", 2, "203.0.113.5"),  # two hops, each appending
])
def test_the_address_is_the_one_the_trusted_proxy_saw(settings, remote, forwarded, count, expected):
    settings.PROXY_COUNT, settings.TRUSTED_PROXIES = count, ["127.0.0.1", "::1"]
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    request = RequestFactory().get("/", REMOTE_ADDR=remote, **headers)
    assert client_address(request) == expected


class Browser:
    """A client at one loopback address (Linux answers all of 127.0.0.0/8), through nginx."""

    def __init__(self, port: int, address: str):
        self.port, self.address, self.cookies = port, address, {}

    def request(self, method: str, path: str, form: dict | None = None, forged: str = ""):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20, source_address=(self.address, 0))
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if forged:
            headers["X-Forwarded-For"] = forged
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        page = response.read().decode()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        connection.close()
        return response.status, page

    def post_form(self, path: str, fields: dict, forged: str = ""):
        _status, page = self.request("GET", path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        return self.request("POST", path, {"csrfmiddlewaretoken": token, **fields}, forged)


@pytest.fixture
def nginx_front(transactional_db):
    """nginx in front of a Django server thread of its own (pytest-django's live_server lives for
    the whole session)."""
    from pytest_django.live_server_helper import LiveServer

    from renkei.deploy import free_port, nginx_site

    server = LiveServer("127.0.0.1:0")
    work = Path(tempfile.mkdtemp(prefix="renkei-front-"))
    work.chmod(0o755)  # nginx's workers keep their cache under it, as another user
    front = free_port()
    app_port = int(server.url.rsplit(":", 1)[1])
    (work / "nginx.conf").write_text(f"""worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/error.log;
events {{ worker_connections 64; }}
http {{
  access_log off;
{nginx_site(front_port=front, app_ports=[app_port], light=work / "light", static=work / "static")}
}}
""")
    process = subprocess.Popen([NGINX, "-c", str(work / "nginx.conf"), "-g", "daemon off;"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", front, timeout=1).connect()
                break
            except OSError:
                time.sleep(0.05)
        yield front
    finally:
        process.terminate()
        process.wait(10)
        server.stop()
        shutil.rmtree(work, ignore_errors=True)


@pytest.mark.skipif(not Path(NGINX).exists(), reason="nginx is installed by .ci/run")
def test_behind_nginx_a_stranger_locks_out_only_itself(nginx_front, settings):
    from axes.models import AccessAttempt

    from renkei.inquiries.models import Inquiry
    from renkei.testing import PASSWORD, make_member, make_staff

    settings.PROXY_COUNT = 1  # nginx, as in production
    settings.INQUIRY_LIMIT_PER_HOUR = 5
    make_member("015814")
    make_staff("015814", "staff@town.atsuma.lg.jp")
    stranger, member, sender = (Browser(nginx_front, f"127.0.0.{n}") for n in (2, 3, 4))

    statuses = [  # wrong passwords on made-up names, pretending to come from the member's address
        stranger.post_form("/accounts/sign-in/", {"username": f"nobody{n}@example.jp", "password": "x"},
                           forged="127.0.0.3")[0] for n in range(5)]
    assert statuses == [400, 400, 400, 400, 429]  # the fifth failure pauses sign-in from there
    assert stranger.post_form("/accounts/sign-in/", {"username": "staff@town.atsuma.lg.jp", "password": PASSWORD},
                              forged="127.0.0.3")[0] == 429
    assert member.post_form("/accounts/sign-in/", {"username": "staff@town.atsuma.lg.jp", "password": PASSWORD})[0] == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"127.0.0.2"}

    def inquiry(browser, n):
        _status, page = browser.request("GET", "/contact/")
        shown = re.search(r'name="shown" value="([^"]+)"', page).group(1)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        return browser.request("POST", "/contact/", {
            "csrfmiddlewaretoken": token, "desk": "project", "name": "送信 者", "email": f"sender{n}@example.jp",
            "subject": "質問", "body": "お尋ねします。", "website": "", "shown": shown}, forged="127.0.0.4")[0]

    time.sleep(1.1)  # the forms' stamps are older than a second, as a person's are
    assert [inquiry(stranger, n) for n in range(6)][-1] == 429
    assert inquiry(sender, 99) == 302
    assert Inquiry.objects.filter(email="sender99@example.jp").exists()
