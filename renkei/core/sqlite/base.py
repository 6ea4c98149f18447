"""SQLite with writers that queue instead of poll.

SQLite lets one writer in at a time. A writer that finds the database busy sleeps in SQLite's
busy handler and tries again — after 1, 2, 5 … up to 100 ms — so under many writers one that just
missed the lock sleeps long after it came free, and the unlucky ones run out of time with
"database is locked". Here every transaction first takes an exclusive lock on a file beside the
database (flock: waiters sleep in the kernel and the next one wakes the moment it is released),
then begins (IMMEDIATE) and holds both until commit or rollback. Threads and processes alike queue
on it, each connection with its own descriptor; the kernel releases it if a process dies.

A statement that writes outside a transaction (autocommit: a session saved) queues the same way
for its own length. SQLite's busy handler (busy_timeout in settings) remains for anything else.
"""

import fcntl
import os
from contextlib import contextmanager

from django.db.backends.sqlite3 import base

WRITES = ("INSERT", "UPDATE", "DELETE", "REPLAC")


class QueuedCursor(base.SQLiteCursorWrapper):
    database = None  # the DatabaseWrapper

    def execute(self, query, params=None):
        if self.database.must_queue(query):
            with self.database.queued():
                return super().execute(query, params)
        return super().execute(query, params)

    def executemany(self, query, param_list):
        if self.database.must_queue(query):
            with self.database.queued():
                return super().executemany(query, param_list)
        return super().executemany(query, param_list)


class DatabaseWrapper(base.DatabaseWrapper):
    writers_lock = None  # the descriptor of this connection's lock file
    holding = False

    def create_cursor(self, name=None):
        cursor = self.connection.cursor(factory=QueuedCursor)
        cursor.database = self
        return cursor

    def must_queue(self, query: str) -> bool:
        """A write in autocommit mode: not inside a transaction, which queued when it began."""
        return (not self.holding and not self.connection.in_transaction and not self.is_in_memory_db()
                and query.lstrip()[:6].upper() in WRITES)

    def _acquire(self):
        if self.writers_lock is None:
            self.writers_lock = os.open(f"{self.settings_dict['NAME']}-writers.lock", os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(self.writers_lock, fcntl.LOCK_EX)
        self.holding = True

    @contextmanager
    def queued(self):
        self._acquire()
        try:
            yield
        finally:
            self._release()

    def _start_transaction_under_autocommit(self):
        if not self.is_in_memory_db():
            self._acquire()
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._release()
            raise

    def _release(self):
        if self.holding:
            self.holding = False
            fcntl.flock(self.writers_lock, fcntl.LOCK_UN)

    def _commit(self):
        try:
            return super()._commit()
        finally:
            self._release()

    def _rollback(self):
        try:
            return super()._rollback()
        finally:
            self._release()

    def _close(self):
        try:
            return super()._close()
        finally:
            self._release()
            if self.writers_lock is not None:
                os.close(self.writers_lock)
                self.writers_lock = None
