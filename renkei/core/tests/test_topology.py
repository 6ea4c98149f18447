"""The production shape on one machine: nginx in front (deploy/nginx/renkei.conf), two app servers
on different ports as if on two machines (each its own var/, no front cache), PostgreSQL, Redis.

A page published through one app server is served fresh by the other at once; 災害モード's pages
come from nginx's disk with both app servers stopped. Run by `make test-topology` (CI runs it:
.ci/run installs nginx and redis-server); it needs POSTGRES_TEST_URL.
"""

import html
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import psycopg
import pytest
import redis

from renkei.deploy import nginx_site
from renkei.testing import free_port

pytestmark = pytest.mark.topology

ROOT = Path(__file__).resolve().parents[3]
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
REDIS = shutil.which("redis-server") or "/usr/bin/redis-server"

SETUP = """
from django.test import Client
from renkei.testing import make_secretariat, sample_disaster, sign_in
disaster = sample_disaster()
client = Client()
sign_in(client, make_secretariat())
print(client.cookies["sessionid"].value, disaster.name)
"""


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def fetch(url: str, *, cookie: str = "", data: dict | None = None):
    """(status, headers, text) of a request that does not follow redirects."""
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, headers={"Cookie": cookie} if cookie else {})  # noqa: S310
    try:
        with OPENER.open(request, timeout=30) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


def wait_until_up(url: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if fetch(url)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{url} did not come up")


@pytest.fixture
def database():
    """A database of its own on the CI's PostgreSQL, dropped afterwards."""
    url = os.environ.get("POSTGRES_TEST_URL")
    assert url, "the topology test needs PostgreSQL: set POSTGRES_TEST_URL (as .ci/run does)"
    name = "renkei_topology"
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name}")
        connection.execute(f"CREATE DATABASE {name} ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' "
                           "TEMPLATE template0")
    yield url.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def work():
    path = Path(tempfile.mkdtemp(prefix="renkei-topology-"))
    path.chmod(0o755)  # nginx's workers read the light pages as another user
    yield path
    shutil.rmtree(path, ignore_errors=True)


def test_two_app_servers_behind_nginx_share_one_cache_and_one_version(database, work):
    processes = []

    def start(command, **kwargs):
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kwargs)
        processes.append(process)
        return process

    try:
        redis_port = free_port()
        start([REDIS, "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
        light = work / "light"  # shared by both machines (docs/deploy.md), served by nginx
        common = {**os.environ, "RENKEI_ENV": "development", "DEBUG": "false", "ALLOWED_HOSTS": "127.0.0.1",
                  "DATABASE_URL": database, "REDIS_URL": f"redis://127.0.0.1:{redis_port}/1",
                  "LIGHT_PAGES_ROOT": str(light), "FRONT_CACHE_PAGES": "0", "MEDIA_ROOT": str(work / "media"),
                  "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
        machines = {}
        for name in ("a", "b"):
            (work / name).mkdir()
            machines[name] = {**common, "CONTENT_VERSION_FILE": str(work / name / "content-version")}
        manage = [sys.executable, "manage.py"]
        for command in (["migrate", "--no-input", "-v0"], ["collectstatic", "--no-input", "-v0"],
                        ["load_reference_data"]):
            subprocess.run(manage + command, cwd=ROOT, env=machines["a"], check=True, stdout=subprocess.DEVNULL)
        output = subprocess.run(manage + ["shell", "-c", SETUP], cwd=ROOT, env=machines["a"], check=True,
                                capture_output=True, text=True).stdout
        session, disaster = output.strip().splitlines()[-1].split(maxsplit=1)

        ports = {name: free_port() for name in machines}
        apps = {name: start([sys.executable, "-m", "renkei.server", "--port", str(ports[name]), "--workers", "1"],
                            cwd=ROOT, env=machines[name]) for name in machines}
        front = free_port()
        (work / "nginx.conf").write_text(f"""worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/nginx-error.log;
events {{ worker_connections 256; }}
http {{
  include /etc/nginx/mime.types;
  access_log {work}/nginx-access.log;
{nginx_site(front_port=front, app_ports=list(ports.values()), light=light, static=ROOT / "var" / "static")}
}}
""")
        start([NGINX, "-c", str(work / "nginx.conf"), "-g", "daemon off;"])
        a, b, nginx = (f"http://127.0.0.1:{port}" for port in (ports["a"], ports["b"], front))
        for base in (a, b, nginx):
            wait_until_up(base + "/healthz")

        # The news page, drawn once and then served from Redis by both.
        title = "二つのサーバーで確かめるお知らせ"
        for base in (b, a, b):
            status, _headers, page = fetch(base + "/news/")
            assert status == 200 and title not in page
        pages = redis.Redis(port=redis_port, db=1)
        assert pages.dbsize() > 0  # one page cache for every process

        # Published through A …
        cookie = f"sessionid={session}"
        status, headers, form = fetch(a + "/secretariat/news/new/", cookie=cookie)
        assert status == 200, (output, headers)
        csrf_cookie = re.search(r"csrftoken=([^;]+)", " ".join(headers.get_all("Set-Cookie"))).group(1)
        token = html.unescape(re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1))
        status, headers, _ = fetch(a + "/secretariat/news/new/", cookie=f"{cookie}; csrftoken={csrf_cookie}", data={
            "csrfmiddlewaretoken": token, "title": title, "lead": "", "body": "本文", "publishing": "now",
            "publish_at": "", "photo_alt_1": "", "photo_caption_1": ""})
        assert status == 302, dict(headers)
        # … served by B at the next request, and through nginx (whichever server answers).
        assert title in fetch(b + "/news/")[2]
        for _ in range(4):
            assert title in fetch(nginx + "/news/")[2]
        assert title in fetch(b + "/")[2]

        # 災害モード, switched on from machine A's shell: nginx serves the files itself.
        subprocess.run(manage + ["disaster_mode", "on"], cwd=ROOT, env=machines["a"], check=True,
                       stdout=subprocess.DEVNULL)
        for process in apps.values():
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)
        assert fetch(nginx + "/events/")[0] == 502  # the app servers are gone …
        status, headers, page = fetch(nginx + "/")
        assert status == 200 and headers["X-Renkei-Page"] == "light" and disaster in page  # … and this still opens
        assert headers["Content-Language"] == "ja" and "Server" in headers and headers["Server"].startswith("nginx")
        status, _headers, page = fetch(nginx + "/disasters/")
        assert status == 200 and disaster in page
        request = urllib.request.Request(nginx + "/disasters/", headers={"Accept-Language": "en"})  # noqa: S310
        with OPENER.open(request, timeout=30) as response:
            assert response.headers["Content-Language"] == "en" and "Disaster support" in response.read().decode()
        # A signed-in member asks the app servers, which are down: nginx does not hand them a light page.
        assert fetch(nginx + "/", cookie=cookie)[0] == 502
    finally:
        for process in reversed(processes):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
