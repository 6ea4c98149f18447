from pathlib import Path

import pytest

from renkei.testing import load_records


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
    (Path(__file__).resolve().parent / "var" / "static").mkdir(parents=True, exist_ok=True)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test database starts with the reference data and the newsletter's records."""
    with django_db_blocker.unblock():
        load_records()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded files of a test go to a folder of its own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.LIGHT_PAGES_ROOT = tmp_path / "light"  # 災害モード's files, likewise
    settings.CONTENT_VERSION_FILE = tmp_path / "content-version"


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


@pytest.fixture
def reload_records_afterwards(django_db_blocker):
    """For transactional tests, which empty every table when they end: load the data again.

    List it before `transactional_db` so that its teardown runs after the flush.
    """
    yield
    with django_db_blocker.unblock():
        load_records()
