"""The artifact store on both backends: a local folder and a real PostgreSQL (a throw-away database).

PostgreSQL must be running (scripts/setup starts it); if it cannot be reached the tests fail, they never skip.
DOCGEN_TEST_DATABASE_URL (a postgresql:// URL of a role with CREATEDB) overrides where it is."""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import time
import traceback
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

from workers.artifacts import (ArtifactError, CorruptArtifact, FolderStore, InvalidDigest, StoreUnavailable,
                               StoreURLError, default_url, open_store)
from workers.artifacts.base import redact

ADMIN_URL = os.environ.get("DOCGEN_TEST_DATABASE_URL") or "postgresql://docgen:docgen@127.0.0.1:5432/docgen"
DAY = 86400


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def blob(seed: int, size: int = 64 * 1024) -> bytes:
    """Deterministic bytes, so processes can agree on a blob without sending it."""
    unit = hashlib.sha256(f"blob {seed}".encode()).digest()
    return (unit * (size // len(unit) + 1))[:size]


# ---- the backends, and what the tests do to them by hand ----

@pytest.fixture(scope="session")
def pg_url():
    try:
        admin = psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=10)
    except psycopg.OperationalError as exc:
        pytest.fail(f"PostgreSQL is unreachable at {redact(ADMIN_URL)}: {exc}\n"
                    "Run scripts/setup (it installs and starts PostgreSQL) or set DOCGEN_TEST_DATABASE_URL.",
                    pytrace=False)
    name = f"docgen_test_artifacts_{uuid.uuid4().hex[:12]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(urlsplit(ADMIN_URL)._replace(path=f"/{name}"))
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


class Backend:
    def __init__(self, url: str):
        self.url = url
        self.stores = []

    def open(self, namespace: str = "jobs"):
        store = open_store(self.url, namespace)
        self.stores.append(store)
        return store

    def close(self) -> None:
        for store in self.stores:
            store.close()


class Folder(Backend):
    def entries(self, namespace: str = "jobs") -> list[str]:
        """Every file in the namespace's folder (a temporary file left behind would show here)."""
        folder = Path(self.url) / namespace
        return sorted(p.name for p in folder.rglob("*") if p.is_file()) if folder.exists() else []

    def _path(self, digest: str, namespace: str) -> Path:
        return FolderStore(self.url, namespace).path(digest)

    def corrupt(self, digest: str, namespace: str = "jobs") -> None:
        path = self._path(digest, namespace)
        data = bytearray(path.read_bytes())
        data[len(data) // 2] ^= 0x01
        path.write_bytes(bytes(data))

    def age(self, digest: str, seconds: float, namespace: str = "jobs") -> None:
        then = time.time() - seconds
        os.utime(self._path(digest, namespace), (then, then))

    def reset(self) -> None:
        pass


class Postgres(Backend):
    def __init__(self, url: str):
        super().__init__(url)
        self.conn = psycopg.connect(url, autocommit=True)

    def entries(self, namespace: str = "jobs") -> list[str]:
        if self.conn.execute("SELECT to_regclass('docgen_artifacts')").fetchone()[0] is None:
            return []
        rows = self.conn.execute("SELECT sha256 FROM docgen_artifacts WHERE namespace = %s", (namespace,))
        return sorted(row[0] for row in rows)

    def corrupt(self, digest: str, namespace: str = "jobs") -> None:
        changed = self.conn.execute(
            "UPDATE docgen_artifacts SET data = set_byte(data, length(data) / 2, get_byte(data, length(data) / 2) # 1)"
            " WHERE namespace = %s AND sha256 = %s", (namespace, digest)).rowcount
        assert changed == 1

    def age(self, digest: str, seconds: float, namespace: str = "jobs") -> None:
        changed = self.conn.execute(
            "UPDATE docgen_artifacts SET stored = now() - make_interval(secs => %s) WHERE namespace = %s AND sha256 = %s",
            (seconds, namespace, digest)).rowcount
        assert changed == 1

    def reset(self) -> None:
        """An empty database, as on a fresh installation (the stores create their table)."""
        self.conn.execute("DROP TABLE IF EXISTS docgen_artifacts")

    def close(self) -> None:
        super().close()
        self.reset()
        self.conn.close()


@pytest.fixture(params=["folder", "postgres"])
def backend(request, tmp_path):
    if request.param == "folder":
        chosen = Folder(str(tmp_path / "artifacts"))
    else:
        chosen = Postgres(request.getfixturevalue("pg_url"))
        chosen.reset()
    yield chosen
    chosen.close()


# ---- both backends ----

def test_round_trip(backend):
    store = backend.open()
    samples = [b"", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "关于开展检查工作的通知".encode(), os.urandom(300_000)]
    digests = [store.put(data) for data in samples]
    assert digests == [sha(data) for data in samples]
    another_worker = backend.open()
    for digest, data in zip(digests, samples):
        assert store.exists(digest)
        assert store.get(digest) == data
        assert another_worker.get(digest) == data
    assert backend.entries() == sorted(digests)


def test_put_is_idempotent(backend):
    store, other = backend.open(), backend.open()
    data = blob(1)
    assert store.put(data) == store.put(data) == other.put(data) == sha(data)
    assert backend.entries() == [sha(data)]


def test_absent_blob(backend):
    store = backend.open()
    digest = sha(b"never stored")
    assert not store.exists(digest)
    with pytest.raises(KeyError):
        store.get(digest)


def test_corruption_is_detected_and_healed_by_a_put(backend):
    store = backend.open()
    data = blob(2)
    digest = store.put(data)
    backend.corrupt(digest)
    with pytest.raises(CorruptArtifact, match=digest):
        store.get(digest)
    assert store.put(data) == digest  # the same bytes put again replace the damaged copy
    assert store.get(digest) == data
    assert backend.entries() == [digest]


CRAFTED = ["../../etc/passwd", "../" * 30 + "etc/passwd", "/etc/passwd", "ab/cd/" + "0" * 58, "0" * 63, "0" * 65,
           "0" * 64 + "\n", " " + "0" * 63, "A" * 64, "g" * 64, "", "..", None, 12345]


@pytest.mark.parametrize("digest", CRAFTED, ids=repr)
def test_crafted_digests_are_refused(backend, digest):
    store = backend.open()
    with pytest.raises(InvalidDigest):
        store.get(digest)
    with pytest.raises(InvalidDigest):
        store.exists(digest)


def test_namespaces_are_separate(backend):
    jobs, archive = backend.open("jobs"), backend.open("archive")
    job_blob, archived_blob = blob(3), blob(4)
    job_digest, archived_digest = jobs.put(job_blob), archive.put(archived_blob)
    assert not archive.exists(job_digest) and not jobs.exists(archived_digest)
    with pytest.raises(KeyError):
        archive.get(job_digest)
    archive.put(job_blob)
    assert archive.get(job_digest) == jobs.get(job_digest) == job_blob
    assert backend.entries("jobs") == [job_digest]
    assert backend.entries("archive") == sorted([job_digest, archived_digest])
    with pytest.raises(ValueError):
        backend.open("../jobs")


def test_delete_older_than_removes_only_old_job_artifacts(backend):
    jobs, archive = backend.open("jobs"), backend.open("archive")
    old, fresh, reused = blob(5), blob(6), blob(7)
    for data in (old, fresh, reused):
        jobs.put(data)
    archive.put(old)
    backend.age(sha(old), 2 * DAY)
    backend.age(sha(reused), 2 * DAY)
    backend.age(sha(old), 2 * DAY, "archive")
    jobs.put(reused)  # another job stores the same bytes: they are young again

    assert jobs.delete_older_than(DAY) == 1
    assert not jobs.exists(sha(old))
    with pytest.raises(KeyError):
        jobs.get(sha(old))
    assert jobs.get(sha(fresh)) == fresh and jobs.get(sha(reused)) == reused
    assert backend.entries("jobs") == sorted([sha(fresh), sha(reused)])
    assert jobs.delete_older_than(DAY) == 0

    with pytest.raises(ArtifactError):  # the archive is never swept
        archive.delete_older_than(DAY)
    assert archive.get(sha(old)) == old


def _put_many(url: str, worker: int, barrier, results) -> None:
    """A worker process: stores the shared blobs and its own, interleaved, all starting at once."""
    try:
        store = open_store(url, "jobs")
        barrier.wait(timeout=120)
        digests = []
        for i in range(SHARED):
            digests.append(store.put(blob(i)))
            digests.append(store.put(blob(1000 * (worker + 1) + i)))
        results.put((worker, digests, ""))
    except BaseException:
        barrier.abort()  # the others stop waiting at once
        results.put((worker, [], traceback.format_exc()))
        raise


SHARED, PROCESSES = 12, 5


def test_several_processes_put_concurrently(backend):
    backend.reset()  # on PostgreSQL the processes also race to create the table
    ctx = multiprocessing.get_context("fork")
    barrier, results = ctx.Barrier(PROCESSES), ctx.Queue()
    processes = [ctx.Process(target=_put_many, args=(backend.url, w, barrier, results)) for w in range(PROCESSES)]
    for process in processes:
        process.start()
    reports = sorted(results.get(timeout=300) for _ in processes)
    for process in processes:
        process.join(timeout=60)
    assert [error for _, _, error in reports if error] == []
    assert [process.exitcode for process in processes] == [0] * PROCESSES

    expected = {}
    for worker, digests, _ in reports:
        seeds = [seed for i in range(SHARED) for seed in (i, 1000 * (worker + 1) + i)]
        assert digests == [sha(blob(seed)) for seed in seeds]
        expected.update({sha(blob(seed)): blob(seed) for seed in seeds})
    assert len(expected) == SHARED * (PROCESSES + 1)
    assert backend.entries() == sorted(expected)  # one entry per blob: no duplicates, no leftovers
    store = backend.open()
    for digest, data in expected.items():
        assert store.get(digest) == data


def test_large_blob_round_trip(backend):
    data = os.urandom(20 * 1024 * 1024)
    digest = backend.open().put(data)
    assert digest == sha(data)
    assert backend.open().get(digest) == data


# ---- the folder backend ----

def test_folder_layout_and_root(tmp_path):
    secret = tmp_path / "secret"
    secret.write_bytes(b"not an artifact")
    store = open_store(str(tmp_path / "store" / "root"))
    digest = store.put(b"document")
    assert (tmp_path / "store" / "root" / "jobs" / digest[:2] / digest[2:4] / digest).read_bytes() == b"document"
    for crafted in ("../../../secret", "../../../../secret", str(secret)):
        with pytest.raises(InvalidDigest):
            store.get(crafted)
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()) == \
        ["secret", f"store/root/jobs/{digest[:2]}/{digest[2:4]}/{digest}"]


def test_folder_sweep_clears_temporary_files_left_by_a_dead_writer(tmp_path):
    store = open_store(str(tmp_path))
    digest = store.put(b"kept")
    leaf = tmp_path / "jobs" / digest[:2] / digest[2:4]
    stale, live = leaf / ".tmp-stale", leaf / ".tmp-live"
    stale.write_bytes(b"half a docu")
    live.write_bytes(b"being writt")
    then = time.time() - 2 * DAY
    os.utime(stale, (then, then))
    assert store.delete_older_than(DAY) == 0  # temporary files are not artifacts
    assert not stale.exists() and live.exists() and store.get(digest) == b"kept"


# ---- the PostgreSQL backend ----

def _store_backends(conn) -> set[int]:
    rows = conn.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
                        " AND application_name = 'docgen-artifacts'")
    return {row[0] for row in rows}


def test_postgres_reconnects_after_a_dropped_connection(pg_url):
    backend = Postgres(pg_url)
    try:
        store = backend.open()
        digest = store.put(b"before")
        before = _store_backends(backend.conn)
        assert before
        for pid in before:  # waits until the server process is gone
            assert backend.conn.execute("SELECT pg_terminate_backend(%s, 10000)", (pid,)).fetchone()[0]
        assert store.get(digest) == b"before"
        assert store.get(store.put(b"after")) == b"after"
        after = _store_backends(backend.conn)
        assert after and not after & before
    finally:
        backend.close()


def _use_inherited(store, digest: str, results) -> None:
    try:
        results.put((store.get(digest), store.put(b"from the child")))
    except BaseException:
        results.put((traceback.format_exc(), ""))


def test_postgres_store_opened_before_a_fork_works_in_both_processes(pg_url):
    """As in a prefork worker pool: the child opens its own connection and leaves the parent's alone."""
    backend = Postgres(pg_url)
    try:
        store = backend.open()
        digest = store.put(b"from the parent")
        parent_backend = store._conn.info.backend_pid
        ctx = multiprocessing.get_context("fork")
        results = ctx.Queue()
        child = ctx.Process(target=_use_inherited, args=(store, digest, results))
        child.start()
        assert results.get(timeout=120) == (b"from the parent", sha(b"from the child"))
        child.join(timeout=60)
        assert child.exitcode == 0
        assert store.get(sha(b"from the child")) == b"from the child"
        assert store._conn.info.backend_pid == parent_backend  # the parent's connection was neither used nor closed
    finally:
        backend.close()


def test_postgres_unreachable_is_reported_without_the_password():
    with pytest.raises(StoreUnavailable) as caught:
        open_store("postgresql://docgen:s3cret@127.0.0.1:1/docgen")
    assert "DOCGEN_ARTIFACTS_URL" in str(caught.value) and "s3cret" not in str(caught.value)


# ---- choosing the store ----

@pytest.mark.parametrize("url", ["s3://key:secret@bucket/docgen", "redis://127.0.0.1:6379/0", "ftp://host/x"])
def test_unknown_scheme_names_the_variable_and_the_accepted_schemes(url):
    with pytest.raises(StoreURLError) as caught:
        open_store(url)
    message = str(caught.value)
    assert "DOCGEN_ARTIFACTS_URL" in message and "file:///" in message and "postgresql://" in message
    assert "secret" not in message


def test_folder_urls(tmp_path, monkeypatch):
    assert open_store(f"file://{tmp_path}/a%20b").root == tmp_path / "a b"
    assert open_store(str(tmp_path / "c"), "archive").folder == tmp_path / "c" / "archive"
    monkeypatch.chdir(tmp_path)
    assert open_store("relative").root == tmp_path / "relative"
    for bad in ("file://host/x", "file:relative", ""):
        with pytest.raises(StoreURLError):
            open_store(bad)


def test_default_url(tmp_path, monkeypatch):
    monkeypatch.delenv("DOCGEN_ARTIFACTS_URL", raising=False)
    monkeypatch.setenv("DOCGEN_DATA_DIR", str(tmp_path / "service"))  # the web layer's data folder wins …
    assert default_url() == str(tmp_path / "service" / "artifacts")
    monkeypatch.delenv("DOCGEN_DATA_DIR")  # … and without it, the user's data folder
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert default_url() == str(tmp_path / "data" / "docgen" / "artifacts")
    digest = open_store(default_url()).put(b"x")
    assert (tmp_path / "data" / "docgen" / "artifacts" / "jobs" / digest[:2] / digest[2:4] / digest).exists()
    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_url() == str(tmp_path / "home" / ".local" / "share" / "docgen" / "artifacts")
    monkeypatch.setenv("DOCGEN_ARTIFACTS_URL", "postgresql://docgen:docgen@db:5432/docgen")
    assert default_url() == "postgresql://docgen:docgen@db:5432/docgen"
