"""The job store: durable status, per-item results and artifacts, in a persistent Redis.

Why Redis: every worker machine and the submitting machine already reach it (it is the broker), so job
status and artifacts need no shared volume; with append-only persistence (docker-compose.yml) they survive
restarts, and they are kept for DOCGEN_JOB_TTL_DAYS, independently of Celery's one-day result expiry.
DOCGEN_STORE_URL puts the store on another Redis (or database number) than the broker.

Exactly-once results under at-least-once delivery: an item's result is written with HSETNX (the first
writer wins, a redelivered item changes nothing), counters move only when that write happened, and
artifact bytes are stored under their SHA-256 (the same bytes, one key).
"""

from __future__ import annotations

import hashlib
import json
import time
import uuid
from dataclasses import dataclass, field

import redis

from docgen.render.artifact import Artifact

QUEUED, RUNNING, SUCCEEDED, PARTLY_FAILED, FAILED = "queued", "running", "succeeded", "partly failed", "failed"
STATE_LABELS = {QUEUED: "排队中", RUNNING: "处理中", SUCCEEDED: "已完成", PARTLY_FAILED: "部分失败", FAILED: "失败"}


class RecordedFonts:
    """A font report as stored with an artifact: its lines, for reports and batch merges."""

    def __init__(self, lines: list[str]):
        self._lines = list(lines)

    def lines(self) -> list[str]:
        return list(self._lines)


@dataclass
class ItemState:
    index: int
    label: str
    state: str  # succeeded | failed
    error: str = ""
    artifacts: list[dict] = field(default_factory=list)


@dataclass
class JobStatus:
    id: str
    kind: str
    name: str
    state: str
    total: int
    done: int
    failed: int
    error: str = ""
    created: float = 0.0
    finished: float = 0.0
    items: list[ItemState] = field(default_factory=list)
    artifacts: list[dict] = field(default_factory=list)

    @property
    def finished_items(self) -> int:
        return self.done + self.failed

    @property
    def final(self) -> bool:
        return self.state in (SUCCEEDED, PARTLY_FAILED, FAILED)


class JobStore:
    def __init__(self, url: str, ttl_days: int = 30):
        self.redis = redis.Redis.from_url(url, socket_connect_timeout=3, socket_timeout=30,
                                          health_check_interval=30, retry_on_timeout=True)
        self.ttl = ttl_days * 86400

    # ---- keys ----
    @staticmethod
    def _job(job_id: str) -> str:
        return f"docgen:job:{job_id}"

    def _keys(self, job_id: str) -> list[str]:
        base = self._job(job_id)
        return [base, f"{base}:record", f"{base}:items", f"{base}:labels", f"{base}:deliveries",
                f"{base}:artifacts"]

    def _touch(self, pipe, job_id: str) -> None:
        for key in self._keys(job_id):
            pipe.expire(key, self.ttl)

    # ---- writing ----
    def create(self, kind: str, name: str, record: dict) -> str:
        job_id = uuid.uuid4().hex[:16]
        pipe = self.redis.pipeline()
        pipe.hset(self._job(job_id), mapping={"kind": kind, "name": name, "state": QUEUED, "total": 1, "done": 0,
                                              "failed": 0, "created": time.time(), "error": ""})
        pipe.set(f"{self._job(job_id)}:record",
                 json.dumps({"name": name, "record": record}, ensure_ascii=False, default=str))
        self._touch(pipe, job_id)
        pipe.execute()
        return job_id

    def record(self, job_id: str) -> dict:
        """The job's submission: {"name": …, "record": the record as submitted}."""
        raw = self.redis.get(f"{self._job(job_id)}:record")
        if raw is None:
            raise KeyError(job_id)
        return json.loads(raw)

    def start(self, job_id: str, labels: list[str]) -> None:
        pipe = self.redis.pipeline()
        pipe.hset(self._job(job_id), mapping={"state": RUNNING, "total": len(labels)})
        if labels:
            pipe.hset(f"{self._job(job_id)}:labels", mapping={str(i): label for i, label in enumerate(labels)})
        self._touch(pipe, job_id)
        pipe.execute()

    def deliveries(self, job_id: str, index: int) -> int:
        """Counts one more delivery of an item; returns how many there have been."""
        return int(self.redis.hincrby(f"{self._job(job_id)}:deliveries", str(index), 1))

    def has_result(self, job_id: str, index: int) -> bool:
        return bool(self.redis.hexists(f"{self._job(job_id)}:items", str(index)))

    def put_artifacts(self, artifacts: list[Artifact]) -> list[dict]:
        """Stores artifact bytes by content; returns their descriptions."""
        described = []
        pipe = self.redis.pipeline()
        for artifact in artifacts:
            digest = hashlib.sha256(artifact.data).hexdigest()
            pipe.set(f"docgen:blob:{digest}", artifact.data, ex=self.ttl)
            described.append({"filename": artifact.filename, "media_type": artifact.media_type, "sha256": digest,
                              "size": len(artifact.data), "pages": artifact.pages, "warnings": artifact.warnings,
                              "fonts": artifact.fonts.lines() if artifact.fonts else [], "facts": artifact.facts})
        pipe.execute()
        return described

    def finish_item(self, job_id: str, index: int, artifacts: list[dict], error: str = "") -> bool:
        """Records an item's result once; returns True when this call finished the whole job's items."""
        state = "failed" if error else "succeeded"
        value = json.dumps({"state": state, "error": error, "artifacts": artifacts}, ensure_ascii=False, default=str)
        if not self.redis.hsetnx(f"{self._job(job_id)}:items", str(index), value):
            return False  # a redelivery of an item already done: nothing changes
        counter = "failed" if error else "done"
        pipe = self.redis.pipeline()
        pipe.hincrby(self._job(job_id), counter, 1)
        pipe.hmget(self._job(job_id), "done", "failed", "total")
        _, (done, failed, total) = pipe.execute()
        return int(done) + int(failed) == int(total)

    def claim_finalisation(self, job_id: str) -> bool:
        return bool(self.redis.hsetnx(self._job(job_id), "finalising", "1"))

    def finish_job(self, job_id: str, artifacts: list[dict], error: str = "") -> str:
        status = self.status(job_id, with_items=False)
        if error or (status.failed and not status.done):
            state = FAILED
        elif status.failed:
            state = PARTLY_FAILED
        else:
            state = SUCCEEDED
        pipe = self.redis.pipeline()
        if artifacts:
            pipe.hset(f"{self._job(job_id)}:artifacts",
                      mapping={a["filename"]: json.dumps(a, ensure_ascii=False, default=str) for a in artifacts})
        pipe.hset(self._job(job_id), mapping={"state": state, "error": error, "finished": time.time()})
        self._touch(pipe, job_id)
        pipe.execute()
        return state

    # ---- reading ----
    def status(self, job_id: str, with_items: bool = True) -> JobStatus:
        raw = self.redis.hgetall(self._job(job_id))
        if not raw:
            raise KeyError(job_id)
        h = {k.decode(): v.decode() for k, v in raw.items()}
        status = JobStatus(job_id, h["kind"], h["name"], h["state"], int(h["total"]), int(h["done"]),
                           int(h["failed"]), h.get("error", ""), float(h.get("created", 0)),
                           float(h.get("finished", 0) or 0))
        artifacts = self.redis.hgetall(f"{self._job(job_id)}:artifacts")
        status.artifacts = [json.loads(v) for _, v in sorted(artifacts.items())]
        if with_items:
            labels = {int(k): v.decode() for k, v in self.redis.hgetall(f"{self._job(job_id)}:labels").items()}
            for k, v in sorted(self.redis.hgetall(f"{self._job(job_id)}:items").items(), key=lambda kv: int(kv[0])):
                item = json.loads(v)
                index = int(k)
                status.items.append(ItemState(index, labels.get(index, str(index)), item["state"], item["error"],
                                              item["artifacts"]))
        return status

    def item_artifacts(self, job_id: str) -> list[tuple[int, list[dict], str]]:
        out = []
        for k, v in self.redis.hgetall(f"{self._job(job_id)}:items").items():
            item = json.loads(v)
            out.append((int(k), item["artifacts"], item["error"]))
        return sorted(out)

    def blob(self, digest: str) -> bytes:
        data = self.redis.get(f"docgen:blob:{digest}")
        if data is None:
            raise KeyError(digest)
        return data

    def artifact(self, described: dict) -> Artifact:
        return Artifact(described["filename"], described["media_type"], self.blob(described["sha256"]),
                        pages=described.get("pages"), fonts=RecordedFonts(described.get("fonts", [])),
                        warnings=list(described.get("warnings", [])), facts=dict(described.get("facts", {})))
