"""The job store: durable status and per-item data and results in a persistent Redis; artifact bytes in the
artifact store (workers/artifacts: a local folder by default, PostgreSQL shared by several machines).

Why Redis for state: every worker machine and the submitting machine already reach it (it is the broker);
with append-only persistence (docker-compose.yml) state survives restarts, and it is kept for
DOCGEN_JOB_TTL_DAYS, independently of Celery's one-day result expiry. DOCGEN_STORE_URL puts it on another
Redis (or database number) than the broker. Why not the bytes: ZIPs of print PDFs for 30 days do not belong
in Redis RAM.

Exactly-once results under at-least-once delivery: an item's result and its counter move together in one
Lua script (the first writer wins, a redelivered item changes nothing), and artifact bytes are stored
under their SHA-256 (the same bytes, one blob). Every unfinished job is in ``docgen:jobs:active``, scored by
its deadline, for the watchdog.
"""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import dataclass, field
from typing import Any

import redis

from docgen.render.artifact import Artifact
from workers.artifacts import JOBS, ArtifactStore, default_url, open_store
from workers.config import QueueSettings, settings

QUEUED, RUNNING, SUCCEEDED, PARTLY_FAILED, FAILED = "queued", "running", "succeeded", "partly failed", "failed"
STATE_LABELS = {QUEUED: "排队中", RUNNING: "处理中", SUCCEEDED: "已完成", PARTLY_FAILED: "部分失败", FAILED: "失败"}
ACTIVE = "docgen:jobs:active"  # sorted set: unfinished job ids, scored by deadline (epoch seconds)
DISRUPTED = "docgen:broker:disrupted"  # when a worker last found its broker connection lost (epoch seconds)
HEALED = "docgen:broker:healed"  # the disruption the watchdog last healed

# KEYS: job hash, items hash; ARGV: index, result JSON, counter. 1 = this write finished the job's items,
# 0 = written, -1 = the item already had a result.
_FINISH_ITEM = """
if redis.call('HSETNX', KEYS[2], ARGV[1], ARGV[2]) == 0 then return -1 end
redis.call('HINCRBY', KEYS[1], ARGV[3], 1)
local v = redis.call('HMGET', KEYS[1], 'done', 'failed', 'total')
if tonumber(v[1]) + tonumber(v[2]) == tonumber(v[3]) then return 1 end
return 0
"""


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
    def __init__(self, url: str, ttl_days: int = 30, limits: QueueSettings | None = None):
        self.redis = redis.Redis.from_url(url, socket_connect_timeout=3, socket_timeout=30,
                                          health_check_interval=30, retry_on_timeout=True)
        self.ttl = ttl_days * 86400
        self.limits = limits or settings()
        self._finish_item = self.redis.register_script(_FINISH_ITEM)
        self._blobs: ArtifactStore | None = None

    # ---- keys ----
    @staticmethod
    def _job(job_id: str) -> str:
        return f"docgen:job:{job_id}"

    def _keys(self, job_id: str) -> list[str]:
        base = self._job(job_id)
        return [base, f"{base}:record", f"{base}:items", f"{base}:labels", f"{base}:deliveries",
                f"{base}:artifacts", f"{base}:data"]

    def _touch(self, pipe, job_id: str) -> None:
        for key in self._keys(job_id):
            pipe.expire(key, self.ttl)

    # ---- writing ----
    def create(self, kind: str, name: str, record: dict) -> str:
        job_id = secrets.token_hex(16)  # 128 random bits: a job id cannot be guessed
        now = time.time()
        pipe = self.redis.pipeline()
        pipe.hset(self._job(job_id), mapping={"kind": kind, "name": name, "state": QUEUED, "total": 1, "done": 0,
                                              "failed": 0, "created": now, "error": ""})
        pipe.set(f"{self._job(job_id)}:record",
                 json.dumps({"name": name, "record": record}, ensure_ascii=False, default=str))
        pipe.zadd(ACTIVE, {job_id: now + self.limits.deadline(1)})
        self._touch(pipe, job_id)
        pipe.execute()
        return job_id

    def record(self, job_id: str) -> dict:
        """The job's submission: {"name": …, "record": the record as submitted}."""
        raw = self.redis.get(f"{self._job(job_id)}:record")
        if raw is None:
            raise KeyError(job_id)
        return json.loads(raw)

    def start(self, job_id: str, items: list[tuple[str, Any]], batch: bool) -> None:
        """The job is running: its items' (label, data), split once, and its deadline for the watchdog."""
        now = time.time()
        pipe = self.redis.pipeline()  # MULTI/EXEC: a job is started whole or not at all
        pipe.hset(self._job(job_id), mapping={"state": RUNNING, "total": len(items), "batch": int(batch),
                                              "started": now})
        if items:
            pipe.hset(f"{self._job(job_id)}:labels", mapping={str(i): label for i, (label, _) in enumerate(items)})
            pipe.hset(f"{self._job(job_id)}:data", mapping={
                str(i): json.dumps(data, ensure_ascii=False, default=str) for i, (_, data) in enumerate(items)})
        pipe.zadd(ACTIVE, {job_id: now + self.limits.deadline(len(items))})
        self._touch(pipe, job_id)
        pipe.execute()

    def mark(self, job_id: str, flag: str) -> bool:
        """Sets a one-time flag of the job (``fanned``, ``requeued`` …); True for the caller that set it."""
        return bool(self.redis.hsetnx(self._job(job_id), flag, time.time()))

    def deliveries(self, job_id: str, index: int) -> int:
        """Counts one more delivery of an item; returns how many there have been."""
        return int(self.redis.hincrby(f"{self._job(job_id)}:deliveries", str(index), 1))

    def has_result(self, job_id: str, index: int) -> bool:
        return bool(self.redis.hexists(f"{self._job(job_id)}:items", str(index)))

    @property
    def blobs(self) -> ArtifactStore:
        """Where artifact bytes live: the artifact store (DOCGEN_ARTIFACTS_URL), opened on first use — Redis
        keeps only job state and the artifacts' descriptions."""
        if self._blobs is None:
            self._blobs = open_store(default_url(), JOBS)
        return self._blobs

    def put_artifacts(self, artifacts: list[Artifact]) -> list[dict]:
        """Stores artifact bytes by content; returns their descriptions."""
        return [{"filename": artifact.filename, "media_type": artifact.media_type,
                 "sha256": self.blobs.put(artifact.data), "size": len(artifact.data), "pages": artifact.pages,
                 "warnings": artifact.warnings, "fonts": artifact.fonts.lines() if artifact.fonts else [],
                 "facts": artifact.facts}
                for artifact in artifacts]

    def finish_item(self, job_id: str, index: int, artifacts: list[dict], error: str = "") -> bool:
        """Records an item's result once (result and counter atomically); True when it was written now."""
        state = "failed" if error else "succeeded"
        value = json.dumps({"state": state, "error": error, "artifacts": artifacts}, ensure_ascii=False, default=str)
        written = self._finish_item(keys=[self._job(job_id), f"{self._job(job_id)}:items"],
                                    args=[str(index), value, "failed" if error else "done"])
        return int(written) >= 0

    def complete(self, job_id: str) -> bool:
        """Every item of the job has its result."""
        done, failed, total = self.redis.hmget(self._job(job_id), "done", "failed", "total")
        return total is not None and int(done) + int(failed) == int(total)

    def claim_finalisation(self, job_id: str) -> bool:
        return self.mark(job_id, "finalising")

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
        pipe.zrem(ACTIVE, job_id)
        self._touch(pipe, job_id)
        pipe.execute()
        return state

    # ---- the watchdog's view ----
    def overdue(self, now: float, limit: int = 200) -> list[str]:
        """Unfinished jobs past their deadline."""
        return [j.decode() for j in self.redis.zrangebyscore(ACTIVE, "-inf", now, start=0, num=limit)]

    def active(self, limit: int = 10_000) -> list[str]:
        """Unfinished jobs, soonest deadline first."""
        return [j.decode() for j in self.redis.zrange(ACTIVE, 0, limit - 1)]

    def note_disruption(self) -> None:
        """A worker's broker connection was lost and is back: messages in flight then may be gone."""
        self.redis.set(DISRUPTED, repr(time.time()))

    def unhealed_disruption(self) -> str | None:
        """The last disruption's mark, if the watchdog has not healed it yet."""
        disrupted, healed = self.redis.mget(DISRUPTED, HEALED)
        return disrupted.decode() if disrupted is not None and disrupted != healed else None

    def healed(self, mark: str) -> None:
        self.redis.set(HEALED, mark)

    def set_deadline(self, job_id: str, when: float) -> None:
        self.redis.zadd(ACTIVE, {job_id: when}, xx=True)

    def forget(self, job_id: str) -> None:
        """Takes a job off the watchdog's list (finished, or expired from the store)."""
        self.redis.zrem(ACTIVE, job_id)

    def flags(self, job_id: str) -> dict[str, str]:
        raw = self.redis.hgetall(self._job(job_id))
        return {k.decode(): v.decode() for k, v in raw.items()}

    def missing(self, job_id: str, total: int) -> list[int]:
        """Indexes of the items that have no result yet."""
        have = {int(k) for k in self.redis.hkeys(f"{self._job(job_id)}:items")}
        return [i for i in range(total) if i not in have]

    def lock(self, name: str, seconds: int) -> bool:
        """A lock that expires by itself: True for the one caller that took it."""
        return bool(self.redis.set(f"docgen:lock:{name}", "1", nx=True, ex=max(int(seconds), 1)))

    # ---- items ----
    def item(self, job_id: str, index: int) -> tuple[str, Any]:
        """One item's (label, data), as split by start_job."""
        pipe = self.redis.pipeline(transaction=False)
        pipe.hget(f"{self._job(job_id)}:labels", str(index))
        pipe.hget(f"{self._job(job_id)}:data", str(index))
        label, data = pipe.execute()
        if data is None:
            raise KeyError(f"{job_id}:{index}")
        return label.decode(), json.loads(data)

    def items(self, job_id: str) -> list[tuple[str, Any]]:
        """Every item's (label, data), in order."""
        labels = {int(k): v.decode() for k, v in self.redis.hgetall(f"{self._job(job_id)}:labels").items()}
        data = {int(k): json.loads(v) for k, v in self.redis.hgetall(f"{self._job(job_id)}:data").items()}
        return [(labels.get(i, str(i)), data[i]) for i in sorted(data)]

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
        """An artifact's bytes, verified against their SHA-256 by the store; KeyError when gone."""
        return self.blobs.get(digest)

    def artifact(self, described: dict) -> Artifact:
        return Artifact(described["filename"], described["media_type"], self.blob(described["sha256"]),
                        pages=described.get("pages"), fonts=RecordedFonts(described.get("fonts", [])),
                        warnings=list(described.get("warnings", [])), facts=dict(described.get("facts", {})))
