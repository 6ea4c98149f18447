"""On SQLite, writers queue for the one write lock (renkei/core/sqlite/base.py) instead of polling."""

import threading

import pytest
from django.db import connection, transaction

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's writer queue")


@pytest.fixture
def probe(transactional_db):
    """A scratch table; the records every test starts with are loaded again after the flush."""
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE queue_probe (n integer)")
    yield
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE queue_probe")


@pytest.mark.parametrize("in_transaction", [True, False])
def test_a_second_writer_waits_for_the_first_instead_of_failing(probe, in_transaction):
    holding, release, errors = threading.Event(), threading.Event(), []

    def first():
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("INSERT INTO queue_probe VALUES (1)")
                holding.set()
                assert release.wait(10)
        finally:
            connection.close()

    def second():
        try:
            with connection.cursor() as cursor:
                # No polling at all: without the queue this writer is told "database is locked" at once.
                cursor.execute("PRAGMA busy_timeout=0")
            if in_transaction:
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.execute("INSERT INTO queue_probe VALUES (2)")
            else:
                with connection.cursor() as cursor:  # autocommit, as a session saved
                    cursor.execute("INSERT INTO queue_probe VALUES (2)")
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    one = threading.Thread(target=first)
    one.start()
    assert holding.wait(10)
    two = threading.Thread(target=second)
    two.start()
    two.join(0.3)
    assert two.is_alive() and not errors  # waiting its turn
    release.set()
    one.join(10)
    two.join(10)
    assert errors == []
    with connection.cursor() as cursor:
        cursor.execute("SELECT n FROM queue_probe ORDER BY n")
        assert [row[0] for row in cursor.fetchall()] == [1, 2]
