"""The shared artifact store: one PostgreSQL table that every worker machine reaches.

One connection per store object (autocommit), opened at once so a bad URL fails early, opened again in a
forked child and after a dropped connection (each operation is idempotent and is retried once). The
`stored` column is a blob's age for the retention sweep; putting existing bytes refreshes it, and rewrites
them only when the row's bytes no longer match their digest."""

from __future__ import annotations

import os
import threading
from typing import Callable, TypeVar

import psycopg

from .base import ArtifactStore, StoreUnavailable, check_digest, check_namespace, redact, sha256, verified

T = TypeVar("T")
TABLE = "docgen_artifacts"
SCHEMA_LOCK = 0x646F6367656E  # advisory lock key ("docgen") serialising the table's creation

CREATE = [
    f"""CREATE TABLE IF NOT EXISTS {TABLE} (
          namespace text NOT NULL,
          sha256 text NOT NULL,
          size bigint NOT NULL,
          data bytea NOT NULL,
          stored timestamptz NOT NULL DEFAULT now(),
          PRIMARY KEY (namespace, sha256))""",
    # Documents are compressed already (PDF streams, DOCX zips): do not spend time compressing them again.
    f"ALTER TABLE {TABLE} ALTER COLUMN data SET STORAGE EXTERNAL",
    f"CREATE INDEX IF NOT EXISTS {TABLE}_age ON {TABLE} (namespace, stored)",
]
PUT = f"""INSERT INTO {TABLE} AS a (namespace, sha256, size, data) VALUES (%s, %s, %s, %b)
          ON CONFLICT (namespace, sha256) DO UPDATE SET stored = now(), size = excluded.size,
            data = CASE WHEN sha256(a.data) = decode(a.sha256, 'hex') THEN a.data ELSE excluded.data END"""
GET = f"SELECT data FROM {TABLE} WHERE namespace = %s AND sha256 = %s"
EXISTS = f"SELECT 1 FROM {TABLE} WHERE namespace = %s AND sha256 = %s"
SWEEP = f"DELETE FROM {TABLE} WHERE namespace = %s AND stored < now() - make_interval(secs => %s)"


class PostgresStore(ArtifactStore):
    def __init__(self, url: str, namespace: str = "jobs"):
        self.url = url
        self.namespace = check_namespace(namespace)
        self._conn: psycopg.Connection | None = None
        self._pid = 0
        self._lock = threading.Lock()
        self._run(lambda conn: None)

    def __repr__(self) -> str:
        return f"PostgresStore({redact(self.url)!r}, namespace={self.namespace!r})"

    # ---- the connection ----
    def _connect(self) -> psycopg.Connection:
        try:
            conn = psycopg.connect(self.url, autocommit=True, connect_timeout=10, application_name="docgen-artifacts",
                                   keepalives=1, keepalives_idle=60, keepalives_interval=10, keepalives_count=3)
        except psycopg.Error as exc:
            reason = " ".join(line.strip() for line in str(exc).splitlines() if line.strip()) or type(exc).__name__
            raise StoreUnavailable(f"无法连接文件存储数据库 {redact(self.url)}（DOCGEN_ARTIFACTS_URL）：{reason}") from exc
        try:
            _create_table(conn)
        except BaseException:
            conn.close()
            raise
        return conn

    def _run(self, op: Callable[[psycopg.Connection], T]) -> T:
        if self._pid and self._pid != os.getpid():
            self._lock = threading.Lock()  # one inherited through fork may be held by a thread left behind
        with self._lock:
            for attempt in (1, 2):
                if self._conn is None or self._conn.closed or self._pid != os.getpid():
                    # A connection inherited through fork is left alone: psycopg never closes it in a child.
                    self._conn, self._pid = self._connect(), os.getpid()
                conn = self._conn
                try:
                    return op(conn)
                except psycopg.OperationalError as exc:
                    if not conn.broken and not conn.closed:
                        raise
                    self._conn = None
                    if attempt == 2:
                        raise StoreUnavailable(f"文件存储数据库连接中断：{str(exc).strip()}") from exc
        raise AssertionError("unreachable")

    def close(self) -> None:
        with self._lock:
            if self._conn is not None and self._pid == os.getpid():
                self._conn.close()
            self._conn = None

    # ---- the store ----
    def put(self, data: bytes) -> str:
        data = bytes(data)
        digest = sha256(data)
        self._run(lambda conn: conn.execute(PUT, (self.namespace, digest, len(data), data)))
        return digest

    def get(self, digest: str) -> bytes:
        check_digest(digest)
        row = self._run(lambda conn: conn.execute(GET, (self.namespace, digest), binary=True).fetchone())
        if row is None:
            raise KeyError(digest)
        return verified(digest, bytes(row[0]))

    def exists(self, digest: str) -> bool:
        check_digest(digest)
        return self._run(lambda conn: conn.execute(EXISTS, (self.namespace, digest)).fetchone()) is not None

    def delete_older_than(self, seconds: float) -> int:
        seconds = self._check_sweep(seconds)
        return self._run(lambda conn: conn.execute(SWEEP, (self.namespace, seconds)).rowcount)


def _create_table(conn: psycopg.Connection) -> None:
    if conn.execute("SELECT to_regclass(%s)", (TABLE,)).fetchone()[0] is not None:
        return
    with conn.transaction():  # several workers may start on an empty database at once
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK,))
        for statement in CREATE:
            conn.execute(statement)
