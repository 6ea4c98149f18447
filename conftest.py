import hashlib
import sqlite3
from pathlib import Path

import pytest

from renkei.deploy import drop_database
from renkei.testing import load_records

ROOT = Path(__file__).resolve().parent


def pytest_addoption(parser):
    parser.addoption("--topology", action="store_true",
                     help="run only the topology test: nginx, two app servers, PostgreSQL, Redis (make test-topology)")


def pytest_collection_modifyitems(config, items):
    """The topology test starts servers and needs PostgreSQL: it runs with --topology, and alone.
    Tests of what the database plays no part in (pages in Chromium, spreadsheet files, the SQLite
    server killed) run in the SQLite run only; the PostgreSQL run repeats every test of the data."""
    from django.conf import settings

    wanted = config.getoption("--topology")
    postgres = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    kept = [item for item in items if (item.get_closest_marker("topology") is not None) == wanted
            and not (postgres and not wanted and (item.get_closest_marker("browser") or item.get_closest_marker("once")))]
    if len(kept) != len(items):
        config.hook.pytest_deselected(items=[item for item in items if item not in kept])
        items[:] = kept


def pytest_configure(config):
    # The test database file lives in var/; whitenoise expects STATIC_ROOT to exist.
    (ROOT / "var" / "static").mkdir(parents=True, exist_ok=True)


# --- The reference database: migrated, with the reference data and the newsletter's records ---
#
# Building it takes most of a run's set-up (migrations, 1,788 local governments, vol.1's records),
# so it is built once and kept, named by a digest of everything that decides its rows: the code
# (tests aside), the shipped data and the pinned libraries. Each run (each xdist worker) starts
# from a copy: a file copy on SQLite, a database made from it as a template on PostgreSQL. A
# transactional test, which empties every table when it ends, gets the copy back the same way.

def reference_key() -> str:
    digest = hashlib.sha256()
    files = [p for p in (ROOT / "renkei").rglob("*") if p.is_file() and "tests" not in p.relative_to(ROOT).parts
             and (p.suffix == ".py" or "data" in p.relative_to(ROOT).parts)]
    files += [p for p in (ROOT / "data").rglob("*") if p.is_file()] + [ROOT / "pyproject.toml"]
    for path in sorted(files):
        digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


class ReferenceDatabase:
    """The reference copy of the test database for the connection's engine."""

    def __init__(self, connection):
        self.connection = connection
        self.sqlite = connection.vendor == "sqlite"
        self.key = reference_key()
        test_name = connection.creation._get_test_db_name()
        if self.sqlite:
            self.store = ROOT / "var" / "test-reference"
            self.name = str(self.store / f"{self.key}.sqlite3")
        else:  # beside the test database, without the xdist worker's suffix
            self.prefix = f"{test_name.split('_gw')[0]}_ref_"
            self.name = f"{self.prefix}{self.key}"

    def ensure(self) -> None:
        """Build the reference unless it is there; one builder at a time (xdist workers wait)."""
        if self.sqlite:
            self.store.mkdir(parents=True, exist_ok=True)
            with open(self.store / "build.lock", "w") as lock:
                import fcntl

                fcntl.flock(lock, fcntl.LOCK_EX)
                if not Path(self.name).exists():
                    self._build_sqlite()
        else:
            with self.connection._nodb_cursor() as cursor:
                cursor.execute("SELECT pg_advisory_lock(20140901)")  # the project's start, as a lock's number
                try:
                    cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [self.name])
                    if cursor.fetchone() is None:
                        self._build_postgres(cursor)
                finally:
                    cursor.execute("SELECT pg_advisory_unlock(20140901)")

    def _migrate_and_load(self, name: str) -> None:
        creation = self.connection.creation
        original = self.connection.settings_dict["TEST"].get("NAME")
        self.connection.settings_dict["TEST"]["NAME"] = name
        try:
            creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
            load_records()
        finally:
            self.connection.close()
            self.connection.settings_dict["TEST"]["NAME"] = original

    def _build_sqlite(self) -> None:
        building = f"{self.name}.building"
        self._migrate_and_load(building)
        with sqlite3.connect(building) as database:
            database.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            database.execute("PRAGMA journal_mode=DELETE")  # one file, copied whole
        database.close()
        Path(building).replace(self.name)
        for old in self.store.glob("*.sqlite3*"):
            if old.name != Path(self.name).name:
                old.unlink(missing_ok=True)

    def _build_postgres(self, cursor) -> None:
        building = f"{self.name}_building"
        drop_database(cursor.execute, building)
        self._migrate_and_load(building)
        cursor.execute(f'ALTER DATABASE "{building}" RENAME TO "{self.name}"')
        cursor.execute("SELECT datname FROM pg_database WHERE datname LIKE %s AND datname <> %s",
                       [self.prefix.replace("_", r"\_") + "%", self.name])
        for (old,) in cursor.fetchall():
            drop_database(cursor.execute, old)

    def copy_to(self, test_name: str) -> None:
        """Make (or make again) the test database a copy of the reference."""
        from django.db import connections

        connections.close_all()
        if self.sqlite:
            if not Path(self.name).exists():  # removed by a run that began after the code changed
                raise RuntimeError(f"the reference database {self.name} is gone: a run started after the code "
                                   "changed rebuilt it; run the tests again")
            source = sqlite3.connect(f"file:{self.name}?mode=ro", uri=True)  # never an empty one made here
            target = sqlite3.connect(test_name)
            source.backup(target)  # whole, whoever else has the file open; the -wal follows
            target.close()
            source.close()
        else:
            with self.connection._nodb_cursor() as cursor:
                drop_database(cursor.execute, test_name)
                cursor.execute(f'CREATE DATABASE "{test_name}" TEMPLATE "{self.name}"')


@pytest.fixture(scope="session")
def django_db_setup(request, django_test_environment, django_db_blocker, django_db_modify_db_settings):
    """Every test database starts with the reference data and the newsletter's records, copied
    from the reference database (built first if the code or the data changed)."""
    from django.conf import settings
    from django.db import connection

    with django_db_blocker.unblock():
        reference = ReferenceDatabase(connection)
        reference.ensure()
        original = connection.settings_dict["NAME"]
        test_name = connection.creation._get_test_db_name()
        if reference.sqlite:
            Path(test_name).unlink(missing_ok=True)
            for suffix in ("-wal", "-shm"):
                Path(test_name + suffix).unlink(missing_ok=True)
        reference.copy_to(test_name)
        settings.DATABASES["default"]["NAME"] = connection.settings_dict["NAME"] = test_name
        connection.ensure_connection()
    request.config.stash[REFERENCE] = (reference, test_name)
    yield
    with django_db_blocker.unblock():
        connection.creation.destroy_test_db(original, verbosity=0)


REFERENCE = pytest.StashKey()


@pytest.fixture
def reference_database(request, django_db_setup, django_db_blocker):
    """The reference database as a test needs it: `restore()` puts the test database back as the
    reference has it; `file` is the reference's file on SQLite (None on PostgreSQL)."""
    reference, test_name = request.config.stash[REFERENCE]

    class Reference:
        file = Path(reference.name) if reference.sqlite else None

        @staticmethod
        def restore():
            with django_db_blocker.unblock():
                reference.copy_to(test_name)

    return Reference()


@pytest.fixture(autouse=True)
def _reference_after_transactional_tests(request):
    """A transactional test empties every table when it ends: the test database is made a copy of
    the reference again, so the next test starts with the records like every other."""
    transactional = "transactional_db" in request.fixturenames or "live_server" in request.fixturenames
    reference = request.getfixturevalue("reference_database") if transactional else None
    yield
    if reference is not None:
        reference.restore()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded files of a test go to a folder of its own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.LIGHT_PAGES_ROOT = tmp_path / "light"  # 災害モード's files, likewise
    settings.CONTENT_VERSION_FILE = tmp_path / "content-version"


@pytest.fixture(autouse=True)
def site_language():
    """Each test starts in the site's language: a request in English leaves its language active in
    the thread (LocaleMiddleware), which must not decide the next test's messages."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def empty_page_cache():
    """Rendered pages do not outlive a test (its database changes are rolled back)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(db):
    from renkei.testing import build_world

    return build_world()
