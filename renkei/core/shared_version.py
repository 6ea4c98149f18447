"""The content version shared by every machine (with REDIS_URL): one Redis key, and a message on a
channel each time it changes.

The writer (renkei.core.caching.announce, after the commit) sets the key and publishes; each app
process follows it in one background thread (`Follower`): it reads the key when told of a change
(pub/sub, a few milliseconds) and in any case every POLL seconds. The front cache asks the
follower for the version on every request without any I/O: a plain attribute. It gets a version
only while the follower read it less than FRESH seconds ago — the time is taken before the read is
sent, so a version handed out was the current one at most FRESH seconds earlier. When Redis is
away or the thread is starved, the answer is None and the front cache steps aside (Django
decides), so no machine serves a page more than FRESH seconds older than the last publish.
"""

import logging
import os
import threading
import time

import redis
from django.conf import settings

KEY = "renkei:content-version"
CHANNEL = "renkei:content-version"
POLL = 0.25  # seconds between reads of the key without a message
FRESH = 1.0  # seconds a read version may be used
TIMEOUT = 2.0  # seconds for Redis to answer

log = logging.getLogger(__name__)
_clients: dict[str, redis.Redis] = {}


def client() -> redis.Redis:
    url = settings.REDIS_URL
    if url not in _clients:
        _clients[url] = redis.Redis.from_url(url, socket_timeout=TIMEOUT, socket_connect_timeout=TIMEOUT)
    return _clients[url]


def encode(stamp: str, due) -> str:
    return f"{stamp}\n{due.timestamp() if due else ''}"


def decode(value) -> tuple[str, float | None] | None:
    if not value:
        return None
    stamp, _, due = (value.decode() if isinstance(value, bytes) else value).partition("\n")
    return (stamp, float(due) if due else None) if stamp else None


def write(stamp: str, due) -> bool:
    """Set the key and tell every follower. False when Redis could not be reached: the followers
    stop confirming their version and step aside within FRESH seconds."""
    try:
        with client().pipeline(transaction=True) as pipe:
            pipe.set(KEY, encode(stamp, due)).publish(CHANNEL, stamp).execute()
    except redis.RedisError:
        log.warning("the shared content version could not be written", exc_info=True)
        return False
    return True


def read() -> tuple[str, float | None] | None:
    try:
        return decode(client().get(KEY))
    except redis.RedisError:
        return None


class Follower:
    """One per process: the shared version, kept current by a daemon thread."""

    def __init__(self, url: str):
        self.url = url
        self.value: tuple[str, float | None] | None = None
        self.confirmed = float("-inf")  # monotonic time the value's read was sent
        self.thread: threading.Thread | None = None
        self.lock = threading.Lock()
        self.away = False  # said in the log once per outage
        os.register_at_fork(after_in_child=self._forget)

    def _forget(self):
        self.thread, self.value, self.confirmed = None, None, float("-inf")
        self.lock = threading.Lock()

    def get(self) -> str | None:
        if self.thread is None:
            self._start()
        if time.monotonic() - self.confirmed > FRESH:
            return None
        value = self.value
        if value is None:
            return None
        stamp, due = value
        if due is not None and due <= time.time():
            return None  # a scheduled publication is due: Django gives the content a new version
        return stamp

    def _start(self):
        with self.lock:
            if self.thread is None:
                self.thread = threading.Thread(target=self._follow, name="renkei-content-version", daemon=True)
                self.thread.start()

    def _follow(self):
        while True:
            connection = None
            try:
                connection = redis.Redis.from_url(self.url, socket_timeout=TIMEOUT, socket_connect_timeout=TIMEOUT,
                                                  health_check_interval=POLL * 4)
                listener = connection.pubsub(ignore_subscribe_messages=True)
                listener.subscribe(CHANNEL)
                while True:
                    sent = time.monotonic()
                    value = decode(connection.get(KEY))
                    self.value, self.confirmed = value, sent
                    if self.away:
                        self.away = False
                        log.warning("the shared content version is within reach again")
                    # Until the next read: wait for a message; one means read again now.
                    listener.get_message(timeout=POLL)
                    while listener.get_message(timeout=0) is not None:
                        pass  # several changes at once: one read covers them
            except Exception:  # noqa: BLE001 (the thread must outlive any failure; the front cache steps aside)
                self.confirmed = float("-inf")
                if not self.away:
                    self.away = True
                    log.warning("the shared content version is out of reach; pages go to Django", exc_info=True)
                time.sleep(POLL)
            finally:
                if connection is not None:
                    connection.close()
