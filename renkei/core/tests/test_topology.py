"""The production shape on one machine: nginx in front (deploy/nginx/renkei.conf), two app servers
on different ports as if on two machines (each its own var/ and front cache), PostgreSQL, Redis
(renkei.deploy.LocalCluster).

A page published through one app server is served fresh by the other within a second; 災害モード's
pages come from nginx's disk with both app servers stopped. Run by `make test-topology` (CI runs
it: .ci/run installs nginx and redis-server); it needs POSTGRES_TEST_URL.
"""

import os
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import pytest
import redis

from renkei.core import shared_version
from renkei.deploy import LocalCluster, fetch, publish_news, scratch_database

pytestmark = pytest.mark.topology


@pytest.fixture
def database():
    url = os.environ.get("POSTGRES_TEST_URL")
    assert url, "the topology test needs PostgreSQL: set POSTGRES_TEST_URL (as .ci/run does)"
    with scratch_database(url, "renkei_topology") as database:
        yield database


@pytest.fixture
def work():
    path = Path(tempfile.mkdtemp(prefix="renkei-topology-"))
    path.chmod(0o755)  # nginx's workers read the light pages as another user
    yield path
    shutil.rmtree(path, ignore_errors=True)


def wait_for(moment: float) -> None:
    time.sleep(max(0.0, moment - time.monotonic()))


def test_two_app_servers_behind_nginx_share_one_cache_and_one_version(database, work):
    with LocalCluster(work, database) as cluster:
        a, b, nginx = cluster.urls["a"], cluster.urls["b"], cluster.url
        # The news page, drawn once and then kept by each machine's front cache.
        title = "二つのサーバーで確かめるお知らせ"
        for base in (b, a, b, b):
            status, _headers, page = fetch(base + "/news/")
            assert status == 200 and title not in page
        shared = redis.Redis(port=cluster.redis_port, db=1)
        assert shared.dbsize() > 1 and shared.get(shared_version.KEY)  # one page cache, one content version

        # A crowd on a page in the cache: every one answered (only renders beyond capacity are shed).
        statuses = []

        def reader():
            statuses.extend(fetch(b + "/news/")[0] for _ in range(20))

        crowd = [threading.Thread(target=reader) for _ in range(64)]
        for thread in crowd:
            thread.start()
        for thread in crowd:
            thread.join()
        assert statuses == [200] * 64 * 20

        # Published through A …
        assert publish_news(a, cluster.session, title) == 302
        published = time.monotonic()
        # … and B, which holds the old page in memory, serves the new one within FRESH (1 s) at worst …
        wait_for(published + shared_version.FRESH)
        assert title in fetch(b + "/news/")[2]
        assert title in fetch(b + "/")[2]
        # … as does nginx, whichever server answers, once the second it may keep a page is over.
        wait_for(published + shared_version.FRESH + 1.0)
        for _ in range(4):
            assert title in fetch(nginx + "/news/")[2]
        # nginx keeps the public's pages, never a signed-in member's: each gets their own.
        signed_in = f"sessionid={cluster.session}"
        for _ in range(3):
            assert "ログアウト" not in fetch(nginx + "/news/")[2]
            assert "ログアウト" in fetch(nginx + "/news/", cookie=signed_in)[2]

        # 災害モード, switched on from machine A's shell: nginx serves the files itself.
        cluster.manage("a", "disaster_mode", "on")
        for process in cluster.apps.values():
            cluster.stop(process)
        assert fetch(nginx + "/events/")[0] == 502  # the app servers are gone …
        status, headers, page = fetch(nginx + "/")
        assert status == 200 and headers["X-Renkei-Page"] == "light" and cluster.disaster in page  # … this opens
        assert headers["Content-Language"] == "ja" and headers["Server"].startswith("nginx")
        status, _headers, page = fetch(nginx + "/disasters/")
        assert status == 200 and cluster.disaster in page
        status, headers, page = fetch(nginx + "/disasters/", headers={"Accept-Language": "en"})
        assert headers["Content-Language"] == "en" and "Disaster support" in page
        # A signed-in member asks the app servers, which are down: nginx does not hand them a light page.
        assert fetch(nginx + "/", cookie=f"sessionid={cluster.session}")[0] == 502


def test_a_machine_follows_the_shared_version_even_without_a_message(database, work):
    """A change of the key with no message (one lost on the way) is read within FRESH; a key that
    disagrees with the database is put right by the next page Django draws."""
    with LocalCluster(work, database, machines=("a",)) as cluster:
        a = cluster.urls["a"]
        title = "知らせの届かなかった変更"
        assert title not in fetch(a + "/news/")[2]
        shared = redis.Redis(port=cluster.redis_port, db=1)
        before = shared.get(shared_version.KEY)
        # A's front cache keeps /news/ under the version it follows; the news is written behind
        # Redis's back (the shell writes the database, and the key, but the message is lost: no
        # subscriber hears a publish on another channel).
        cluster.manage("a", "shell", "-c", f"""
from unittest import mock
from renkei.core import shared_version
from renkei.portal.models import NewsItem, Status
from django.utils import timezone
with mock.patch.object(shared_version, "CHANNEL", "elsewhere"):
    NewsItem.objects.create(title="{title}", body="本文", status=Status.PUBLISHED, publish_at=timezone.now())
""")
        changed = time.monotonic()
        assert shared.get(shared_version.KEY) != before
        wait_for(changed + shared_version.FRESH)
        assert title in fetch(a + "/news/")[2]

        # A key set wrong (a Redis restored from elsewhere): the page Django draws writes it right.
        shared.set(shared_version.KEY, "a-version-no-database-has\n")
        wrong = time.monotonic()
        wait_for(wrong + shared_version.FRESH)
        assert fetch(a + "/news/?after-restore")[0] == 200
        assert not shared.get(shared_version.KEY).startswith(b"a-version-no-database-has")


@pytest.fixture
def redis_server():
    from renkei.deploy import free_port

    port = free_port()
    process = subprocess.Popen([shutil.which("redis-server") or "/usr/bin/redis-server", "--port", str(port),
                                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    client = redis.Redis(port=port)
    deadline = time.monotonic() + 30
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)
    yield process, port
    if process.poll() is None:
        process.terminate()
        process.wait(timeout=30)


def test_the_follower_hands_out_only_a_version_it_read_within_fresh(redis_server, settings):
    process, port = redis_server
    settings.REDIS_URL = f"redis://127.0.0.1:{port}/1"
    follower = shared_version.Follower(settings.REDIS_URL)
    assert follower.get() is None  # nothing read yet: Django decides
    assert shared_version.write("first", None)
    written = time.monotonic()
    wait_for(written + shared_version.FRESH)
    assert follower.get() == "first"
    assert shared_version.write("second", None)
    written = time.monotonic()
    wait_for(written + shared_version.FRESH)
    assert follower.get() == "second"
    # A publication due now: the version is not handed out (Django gives the content a new one).
    client = redis.Redis(port=port, db=1)
    client.set(shared_version.KEY, f"third\n{time.time() - 1}")
    changed = time.monotonic()
    wait_for(changed + shared_version.FRESH)
    assert follower.get() is None
    # Redis gone: after FRESH nothing is handed out, and write() says it failed.
    assert shared_version.write("fourth", None)
    process.terminate()
    process.wait(timeout=30)
    gone = time.monotonic()
    assert not shared_version.write("fifth", None)
    wait_for(gone + shared_version.FRESH + shared_version.TIMEOUT)
    assert follower.get() is None
