"""Backup and restore: a consistent copy of the database taken while the site serves, with the
uploaded files and a manifest that proves the copy is whole.

A backup is a folder:
    database.sqlite3   SQLite's online backup (pages copied under a read transaction: one moment)
 or database.dump      pg_dump's custom format, taken in a snapshot the row counts are read in too
    media.tar          MEDIA_ROOT as it was
    manifest.json      when, from which engine, the rows of every table at that moment, and the
                       SHA-256 of every file above

`restore` refuses a database or media folder that is not empty, checks every file's hash before
it uses it, loads the copy, and counts the rows of every table again: any difference is an
error. The drill (renkei/core/tests/test_backup.py) runs both while writers keep writing.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.utils import timezone

MANIFEST = "manifest.json"


class BackupError(Exception):
    """What went wrong, said for the operator."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _is_sqlite(database: dict) -> bool:
    return database["ENGINE"] in ("renkei.core.sqlite", "django.db.backends.sqlite3")


def _program(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} が見つかりません（Debian: postgresql-client）。")
    return found


def _pg_env(database: dict) -> dict:
    env = {**os.environ, "PGPASSWORD": str(database.get("PASSWORD") or "")}
    return env


def _pg_args(database: dict) -> list[str]:
    args = ["--host", str(database.get("HOST") or "127.0.0.1"), "--port", str(database.get("PORT") or 5432)]
    if database.get("USER"):
        args += ["--username", str(database["USER"])]
    return args


def _tables(cursor, engine_is_sqlite: bool) -> list[str]:
    if engine_is_sqlite:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    else:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    return [row[0] for row in cursor.fetchall()]


def _counts(cursor, tables: list[str], quote) -> dict[str, int]:
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 (names from the catalogue)  # nosec B608
        counts[table] = cursor.fetchone()[0]
    return counts


def backup(target: Path, *, alias: str = "default") -> dict:
    """Write a backup folder at `target` (created; must not exist) and return its manifest."""
    target = Path(target)
    if target.exists():
        raise BackupError(f"{target} はすでにあります。新しいフォルダーを指定してください。")
    target.mkdir(parents=True)
    database = settings.DATABASES[alias]
    connection = connections[alias]
    connection.ensure_connection()
    started = timezone.now()
    if _is_sqlite(database):
        path = target / "database.sqlite3"
        with sqlite3.connect(path) as copy:
            connection.connection.backup(copy)  # SQLite's online backup: one consistent moment
        with sqlite3.connect(path) as copy:
            cursor = copy.cursor()
            counts = _counts(cursor, _tables(cursor, True), lambda t: f'"{t}"')
        copy.close()
        files = {"database.sqlite3": path}
        engine = "sqlite"
    else:
        import psycopg

        path = target / "database.dump"
        params = connection.get_connection_params()
        with psycopg.connect(**params, autocommit=False) as snapshot:
            snapshot.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            snapshot_id = snapshot.execute("SELECT pg_export_snapshot()").fetchone()[0]
            cursor = snapshot.cursor()
            counts = _counts(cursor, _tables(cursor, False), lambda t: f'"{t}"')
            result = subprocess.run(  # noqa: S603 (our arguments)
                [_program("pg_dump"), "--format=custom", "--no-owner", f"--snapshot={snapshot_id}", "--file", str(path),
                 *_pg_args(database), str(database["NAME"])],
                env=_pg_env(database), capture_output=True, text=True, check=False)
            snapshot.rollback()
        if result.returncode != 0:
            raise BackupError(f"pg_dump が失敗しました: {result.stderr.strip()}")
        files = {"database.dump": path}
        engine = "postgresql"
    media = Path(settings.MEDIA_ROOT)
    with tarfile.open(target / "media.tar", "w") as archive:
        if media.exists():
            archive.add(media, arcname="media")
    files["media.tar"] = target / "media.tar"
    manifest = {
        "format": 1, "engine": engine, "taken_at": started.isoformat(),
        "seconds": round((timezone.now() - started).total_seconds(), 3),
        "tables": counts, "rows": sum(counts.values()),
        "files": {name: {"bytes": path.stat().st_size, "sha256": _sha256(path)} for name, path in files.items()},
    }
    (target / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return manifest


def read_manifest(source: Path) -> dict:
    """The manifest, after checking every file it names against its hash."""
    source = Path(source)
    try:
        manifest = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise BackupError(f"{source} にバックアップの目録（{MANIFEST}）が読めません: {error}") from None
    for name, expected in manifest["files"].items():
        path = source / name
        if not path.exists() or _sha256(path) != expected["sha256"]:
            raise BackupError(f"{name} が目録と一致しません（欠けているか、壊れています）。")
    return manifest


def restore(source: Path, *, database: dict | None = None, media_root: Path | None = None) -> dict:
    """Bring a backup back into an empty database (and media folder), then count every table
    against the manifest. Returns a report; raises BackupError on any difference."""
    source = Path(source)
    manifest = read_manifest(source)
    database = database or settings.DATABASES["default"]
    media_root = Path(media_root or settings.MEDIA_ROOT)
    if media_root.exists() and any(media_root.iterdir()):
        raise BackupError(f"アップロードファイルのフォルダー {media_root} が空ではありません。空のフォルダーに戻してください。")
    started = timezone.now()
    if manifest["engine"] == "sqlite":
        if not _is_sqlite(database):
            raise BackupError("SQLite のバックアップは SQLite のデータベースに戻してください。")
        path = Path(database["NAME"])
        if path.exists() and path.stat().st_size > 0:
            with sqlite3.connect(path) as existing:
                if _tables(existing.cursor(), True):
                    raise BackupError(f"データベース {path} が空ではありません。空のデータベースに戻してください。")
            existing.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(source / "database.sqlite3", path)
        with sqlite3.connect(path) as restored:
            cursor = restored.cursor()
            if cursor.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError("戻したデータベースの整合性の検査に失敗しました。")
            counts = _counts(cursor, _tables(cursor, True), lambda t: f'"{t}"')
        restored.close()
    else:
        import psycopg

        if _is_sqlite(database):
            raise BackupError("PostgreSQL のバックアップは PostgreSQL のデータベースに戻してください。")
        params = {"dbname": database["NAME"], "user": database.get("USER"), "password": database.get("PASSWORD"),
                  "host": database.get("HOST") or "127.0.0.1", "port": database.get("PORT") or 5432}
        with psycopg.connect(**params) as target:
            if _tables(target.cursor(), False):
                raise BackupError(f"データベース {database['NAME']} が空ではありません。空のデータベースに戻してください。")
        result = subprocess.run(  # noqa: S603 (our arguments)
            [_program("pg_restore"), "--no-owner", "--exit-on-error", "--dbname", str(database["NAME"]), *_pg_args(database),
             str(source / "database.dump")],
            env=_pg_env(database), capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise BackupError(f"pg_restore が失敗しました: {result.stderr.strip()}")
        with psycopg.connect(**params) as target:
            cursor = target.cursor()
            counts = _counts(cursor, _tables(cursor, False), lambda t: f'"{t}"')
    differences = {table: (manifest["tables"].get(table), counts.get(table))
                   for table in set(manifest["tables"]) | set(counts)
                   if manifest["tables"].get(table) != counts.get(table)}
    if differences:
        raise BackupError(f"戻した行数が目録と違います: {differences}")
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(source / "media.tar") as archive:
        members = [m for m in archive.getmembers() if m.name == "media" or m.name.startswith("media/")]
        for member in members:
            member.name = member.name.removeprefix("media").lstrip("/") or "."
        archive.extractall(media_root, members=members, filter="data")
    seconds = (timezone.now() - started).total_seconds()
    size = sum(f["bytes"] for f in manifest["files"].values())
    return {"tables": len(counts), "rows": sum(counts.values()), "seconds": round(seconds, 3), "bytes": size,
            "taken_at": manifest["taken_at"]}

