"""The documented production front (deploy/nginx/renkei.conf) run on one machine: for the topology
test and the benchmark, which check the very configuration the docs tell an operator to install."""

import contextlib
import html
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path


def free_port() -> int:
    """A loopback port no one listens on, for a server a test or a benchmark starts."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def nginx_site(*, front_port: int, app_ports: list[int], light, static) -> str:
    """deploy/nginx/renkei.conf as it is, but on loopback without TLS, with these app servers and
    folders: for the topology test and the benchmark, which run the documented front."""
    root = Path(__file__).resolve().parent.parent
    site = (root / "deploy" / "nginx" / "renkei.conf").read_text()
    site = re.sub(r"server \{\n    listen 80;.*?\n\}\n\n", "", site, flags=re.S)
    site = site.replace("    listen 443 ssl;\n    listen [::]:443 ssl;\n    http2 on;\n",
                        f"    listen 127.0.0.1:{front_port} backlog=4096;\n")
    site = re.sub(r"    ssl_certificate.*\n", "", site)
    site = site.replace("/srv/renkei/deploy/", f"{root}/deploy/").replace("/srv/renkei/var/light", str(light))
    site = site.replace("/srv/renkei/var/static", str(static))
    site = site.replace("/var/cache/nginx/renkei", str(Path(light).parent / "nginx-cache"))
    servers = "".join(f"    server 127.0.0.1:{port};\n" for port in app_ports)
    site, count = re.subn(r"(upstream renkei_app \{\n)(?:    server .*\n)+", lambda m: m.group(1) + servers, site)
    settings = [line for line in site.splitlines() if not line.lstrip().startswith("#")]
    assert count == 1 and not any("/srv/renkei" in line or "ssl" in line for line in settings), (
        "deploy/nginx/renkei.conf changed shape")
    return site


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def fetch(url: str, *, cookie: str = "", data: dict | None = None, headers: dict | None = None):
    """(status, headers, text) of a request that does not follow redirects."""
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, headers={**({"Cookie": cookie} if cookie else {}),  # noqa: S310
                                                              **(headers or {})})
    try:
        with OPENER.open(request, timeout=30) as response:
            return response.status, response.headers, response.read().decode(errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode(errors="replace")


def wait_until_up(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if fetch(url)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{url} did not come up")


def post_form(base: str, path: str, session: str, fields: dict) -> int:
    """Send a form as a signed-in person would: open it, then send it with its CSRF token."""
    cookie = f"sessionid={session}"
    status, headers, form = fetch(base + path, cookie=cookie)
    assert status == 200, (path, status)
    csrf_cookie = re.search(r"csrftoken=([^;]+)", " ".join(headers.get_all("Set-Cookie") or [])).group(1)
    token = html.unescape(re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1))
    status, _headers, _text = fetch(base + path, cookie=f"{cookie}; csrftoken={csrf_cookie}",
                                    data={"csrfmiddlewaretoken": token, **fields})
    return status


def publish_news(base: str, session: str, title: str) -> int:
    return post_form(base, "/secretariat/news/new/", session, {
        "title": title, "lead": "", "body": "本文", "publishing": "now", "publish_at": "",
        "photo_alt_1": "", "photo_caption_1": ""})


CLUSTER_SETUP = """
from django.test import Client
from renkei.testing import make_secretariat, sample_disaster, sign_in
disaster = sample_disaster()
client = Client()
sign_in(client, make_secretariat())
print(client.cookies["sessionid"].value, disaster.pk, disaster.name)
"""


class LocalCluster:
    """The production shape of docs/deploy.md on one machine: Redis, app servers that share
    nothing on disk (each its own folder, as separate machines would) and only PostgreSQL and
    Redis, nginx configured by deploy/nginx/renkei.conf in front. For the topology test and
    `make bench-cluster`. `extra_nginx` is put in nginx's http block (a benchmark's file server).
    With `mail`, the first machine also runs the mail service and Postfix relays the reply domain
    to it (LocalPostfix: `self.postfix.port` takes mail as the world would send it)."""

    def __init__(self, work: Path, database: str, *, machines=("a", "b"), workers: int = 1,
                 newsletter: bool = False, extra_nginx: str = "", nginx_workers: int = 1, settings: dict | None = None,
                 mail: bool = False):
        self.work, self.database, self.names, self.workers = work, database, machines, workers
        self.newsletter, self.extra_nginx, self.nginx_workers = newsletter, extra_nginx, nginx_workers
        self.processes, self.apps, self.env, self.ports = [], {}, {}, {}
        self.settings, self.mail, self.postfix = settings or {}, mail, None
        self.light = work / "light"  # shared by the machines (docs/deploy.md), served by nginx
        self.root = Path(__file__).resolve().parent.parent

    def _start(self, command, **kwargs):
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kwargs)  # noqa: S603 (our servers)
        self.processes.append(process)
        return process

    def manage(self, machine: str, *args: str) -> str:
        command = [sys.executable, "manage.py", *args]
        done = subprocess.run(command, cwd=self.root, env=self.env[machine],  # noqa: S603 (manage.py)
                              check=False, capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"manage.py {args[0]} failed:\n{done.stderr[-3000:]}")
        return done.stdout

    def __enter__(self):
        try:
            self.redis_port = free_port()
            self._start([shutil.which("redis-server") or "/usr/bin/redis-server", "--port", str(self.redis_port),
                         "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
            common = {**os.environ, "RENKEI_ENV": "development", "DEBUG": "false", "ALLOWED_HOSTS": "127.0.0.1",
                      "DATABASE_URL": self.database, "REDIS_URL": f"redis://127.0.0.1:{self.redis_port}/1",
                      "LIGHT_PAGES_ROOT": str(self.light),
                      "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend", **self.settings}
            for name in self.names:
                own = self.work / name
                own.mkdir()
                self.env[name] = {**common, "CONTENT_VERSION_FILE": str(own / "content-version"),
                                  "MEDIA_ROOT": str(own / "media")}
            first = self.names[0]
            for command in (["migrate", "--no-input", "-v0"], ["collectstatic", "--no-input", "-v0"],
                            ["load_reference_data"], *([["load_newsletter"]] if self.newsletter else [])):
                self.manage(first, *command)
            session, disaster_pk, self.disaster = self.manage(first, "shell", "-c", CLUSTER_SETUP) \
                .strip().splitlines()[-1].split(maxsplit=2)
            self.session, self.disaster_pk = session, int(disaster_pk)
            for name in self.names:
                self.start_app(name)
            self.front = free_port()
            site = nginx_site(front_port=self.front, app_ports=list(self.ports.values()), light=self.light,
                              static=self.root / "var" / "static")
            (self.work / "nginx.conf").write_text(f"""worker_processes {self.nginx_workers};
pid {self.work}/nginx.pid;
error_log {self.work}/nginx-error.log;
events {{ worker_connections 8192; }}
http {{
  include /etc/nginx/mime.types;
  access_log off;
  sendfile on;
{self.extra_nginx}
{site}
}}
""")
            self.nginx = self._start([shutil.which("nginx") or "/usr/sbin/nginx", "-c", str(self.work / "nginx.conf"),
                                      "-g", "daemon off;"])
            for base in (*self.urls.values(), self.url):
                wait_until_up(base + "/healthz")
            if self.mail:
                self.mail_port = free_port()
                self.start_mail_service()
                self.postfix = LocalPostfix(self.work, relay_port=self.mail_port).__enter__()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def start_app(self, name: str, *extra: str):
        self.ports.setdefault(name, free_port())
        self.apps[name] = self._start([sys.executable, "-m", "renkei.server", "--port", str(self.ports[name]),
                                       "--workers", str(self.workers), *extra], cwd=self.root, env=self.env[name])
        return self.apps[name]

    def start_mail_service(self):
        """manage.py mail_listener on the first machine, as renkei-mail.service runs it."""
        self.mail_service = self._start([sys.executable, "manage.py", "mail_listener", "--port", str(self.mail_port)],
                                        cwd=self.root, env=self.env[self.names[0]])
        wait_until_listening(self.mail_port)
        return self.mail_service

    @property
    def urls(self) -> dict[str, str]:
        return {name: f"http://127.0.0.1:{port}" for name, port in self.ports.items()}

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.front}"

    def stop(self, process) -> None:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def __exit__(self, *exc):
        if self.postfix is not None:
            self.postfix.__exit__(None, None, None)
        for process in reversed(self.processes):
            self.stop(process)


def drop_database(execute, name: str) -> None:
    """DROP … WITH (FORCE) ends the sessions left on a PostgreSQL database, but not an autovacuum
    worker's, which a role without superuser may not end (insufficient privilege, 42501); a plain
    DROP asks that worker to stop and waits for it. `execute`: a cursor's or connection's."""
    try:
        execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    except Exception as error:  # psycopg's, or Django's wrapping it
        if "42501" not in (getattr(error, "sqlstate", None), getattr(error.__cause__, "sqlstate", None)):
            raise
        execute(f'DROP DATABASE IF EXISTS "{name}"')


@contextlib.contextmanager
def scratch_database(url: str, name: str):
    """A PostgreSQL database of its own beside the one `url` names, dropped afterwards."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        drop_database(connection.execute, name)
        connection.execute(f"CREATE DATABASE {name} ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' "
                           "TEMPLATE template0")
    try:
        yield url.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(url, autocommit=True) as connection:
            drop_database(connection.execute, name)


class LocalPostfix:
    """Debian's Postfix as docs/deploy.md sets it up (deploy/postfix/main.cf.renkei and
    renkei_transport, appended and postmap'd as written there), as a private instance: its own
    configuration and queue folders under `work`, listening on a loopback port, relaying the reply
    domain to renkei's mail service on `relay_port`. For the topology test.

    `mynetworks` is an address no test sends from, so mail from 127.0.0.1 is treated as mail from
    outside: only the reply domain is accepted."""

    MASTER = """{port} inet n - n - - smtpd
pickup unix n - n 60 1 pickup
cleanup unix n - n - 0 cleanup
qmgr unix n - n 300 1 qmgr
rewrite unix - - n - - trivial-rewrite
bounce unix - - n - 0 bounce
defer unix - - n - 0 bounce
trace unix - - n - 0 bounce
verify unix - - n - 1 verify
flush unix n - n 1000? 0 flush
proxymap unix - - n - - proxymap
smtp unix - - n - - smtp
relay unix - - n - - smtp
showq unix n - n - - showq
error unix - - n - - error
retry unix - - n - - error
discard unix - - n - - discard
anvil unix - - n - 1 anvil
scache unix - - n - 1 scache
postlog unix-dgram n - n - 1 postlogd
"""

    def __init__(self, work: Path, *, relay_port: int):
        self.work, self.relay_port = work, relay_port
        self.conf, self.port = work / "postfix", free_port()
        self.log = work / "postfix.log"
        self.root = Path(__file__).resolve().parent.parent

    def postfix(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(["/usr/sbin/postfix", "-c", str(self.conf), *args],  # noqa: S603 (Debian's postfix)
                              capture_output=True, text=True, check=False)

    def __enter__(self):
        shipped = self.root / "deploy" / "postfix"
        self.conf.mkdir()
        (self.work / "postfix-queue").mkdir()  # root's; Postfix makes its folders inside
        data = self.work / "postfix-data"
        data.mkdir()
        shutil.chown(data, "postfix")
        base = f"""compatibility_level = 3.6
queue_directory = {self.work}/postfix-queue
data_directory = {data}
maillog_file = {self.log}
maillog_file_prefixes = {self.work}
myhostname = mx.renkei.test
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 192.0.2.1/32
alias_maps =
alias_database =
local_recipient_maps =
"""
        main = (shipped / "main.cf.renkei").read_text().replace("/etc/postfix/", f"{self.conf}/")
        (self.conf / "main.cf").write_text(base + main)
        (self.conf / "master.cf").write_text(self.MASTER.format(port=f"127.0.0.1:{self.port}"))
        transport = (shipped / "renkei_transport").read_text().replace(":2525", f":{self.relay_port}")
        (self.conf / "renkei_transport").write_text(transport)
        subprocess.run(["/usr/sbin/postmap", f"{self.conf}/renkei_transport"], check=True)  # noqa: S603
        started = self.postfix("start")
        if started.returncode != 0:
            raise RuntimeError(f"postfix did not start: {started.stdout}{started.stderr}"
                               f"{self.log.read_text() if self.log.exists() else ''}")
        wait_until_listening(self.port)
        return self

    def flush(self) -> None:
        """Deliver what waits in the queue now (as `postqueue -f` does)."""
        subprocess.run(["/usr/sbin/postqueue", "-c", str(self.conf), "-f"], check=True)  # noqa: S603

    def queued(self) -> list[str]:
        """The queue each waiting message is in (incoming, active, deferred, hold)."""
        import json

        listed = subprocess.run(["/usr/sbin/postqueue", "-c", str(self.conf), "-j"],  # noqa: S603
                                capture_output=True, text=True, check=True).stdout
        return [json.loads(line)["queue_name"] for line in listed.splitlines() if line.strip()]

    def __exit__(self, *exc):
        self.postfix("stop")


def wait_until_listening(port: int, timeout: float = 30) -> None:
    import socket

    deadline = time.monotonic() + timeout
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
