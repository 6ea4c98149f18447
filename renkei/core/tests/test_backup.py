"""The backup drill: a backup taken while writers write, restored into an empty database, matches
its manifest table by table; a damaged or misdirected restore is refused."""

import threading
import time

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import connection

from renkei.core.backup import BackupError, backup, restore

pytestmark = pytest.mark.drill

# Each test runs outside a test transaction (the backup reads what is committed); after the flush
# that ends it, the test database is a copy of the reference database again (conftest.py).


@pytest.fixture
def writers():
    """Two threads writing to the outbox until told to stop, as the site does while it serves."""
    from renkei.core.models import OutgoingEmail

    stop, written = threading.Event(), []

    def write(n):
        from django.db import connection as own

        try:
            while not stop.is_set():
                OutgoingEmail.objects.create(to=f"w{n}@example.jp", subject="書き込み中", body_text="x", kind="drill")
                written.append(n)
                time.sleep(0.002)
        finally:
            own.close()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    yield written
    stop.set()
    for thread in threads:
        thread.join(10)


@pytest.fixture
def empty_database(tmp_path):
    """An empty database of the same engine to restore into."""
    default = django_settings.DATABASES["default"]
    if connection.vendor == "sqlite":
        yield {**default, "NAME": str(tmp_path / "restored.sqlite3")}
        return
    import psycopg

    name = f"{connection.settings_dict['NAME']}_restore"
    params = connection.get_connection_params()
    with psycopg.connect(**{**params, "dbname": "postgres"}, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    yield {**default, "NAME": name}
    with psycopg.connect(**{**params, "dbname": "postgres"}, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_backup_taken_while_writing_restores_whole(transactional_db, writers,
                                                    empty_database, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "photos").mkdir(parents=True)
    (settings.MEDIA_ROOT / "photos" / "厚真町.jpg").write_bytes(b"\xff\xd8 a photo \xff\xd9")
    while len(writers) < 20:  # the writers are writing
        time.sleep(0.01)
    manifest = backup(tmp_path / "backup")
    during = len(writers)
    while len(writers) < during + 20:  # … and go on after the copy was taken
        time.sleep(0.01)
    assert manifest["tables"]["core_outgoingemail"] >= 20 and manifest["tables"]["municipalities_localgovernment"] == 1788

    report = restore(tmp_path / "backup", database=empty_database, media_root=tmp_path / "restored-media")
    assert report["rows"] == manifest["rows"] and report["tables"] == len(manifest["tables"])
    assert (tmp_path / "restored-media" / "photos" / "厚真町.jpg").read_bytes() == b"\xff\xd8 a photo \xff\xd9"

    with pytest.raises(BackupError, match="空ではありません"):  # never over a database in use
        restore(tmp_path / "backup", database=empty_database, media_root=tmp_path / "other-media")


def test_a_damaged_backup_is_refused_before_anything_is_restored(transactional_db, tmp_path,
                                                                 settings, empty_database):
    settings.MEDIA_ROOT = tmp_path / "media"
    manifest = backup(tmp_path / "backup")
    name = next(iter(manifest["files"]))
    path = tmp_path / "backup" / name
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(BackupError, match=f"{name} が目録と一致しません"):
        restore(tmp_path / "backup", database=empty_database, media_root=tmp_path / "restored-media")
    assert not (tmp_path / "restored-media").exists()


def test_the_commands_say_what_they_did(transactional_db, tmp_path, settings, capsys):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("backup", str(tmp_path / "b"))
    assert "バックアップを書き出しました" in capsys.readouterr().out
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="すでにあります"):
        call_command("backup", str(tmp_path / "b"))
    with pytest.raises(CommandError, match="空ではありません"):  # the database the site runs on
        call_command("restore", str(tmp_path / "b"))
