"""What every artifact store is: bytes kept under their SHA-256, in a namespace, and the errors it raises."""

from __future__ import annotations

import hashlib
from abc import ABC, abstractmethod
import re
from urllib.parse import urlsplit, urlunsplit

DIGEST = re.compile(r"[0-9a-f]{64}")
NAMESPACE = re.compile(r"[a-z][a-z0-9_-]{0,31}")
JOBS, ARCHIVE = "jobs", "archive"
NEVER_SWEPT = frozenset({ARCHIVE})  # the document archive is immutable: no retention sweep


class ArtifactError(Exception):
    """Base of the artifact store's errors (messages are in Chinese, for users)."""


class InvalidDigest(ArtifactError, ValueError):
    """A digest that is not 64 lowercase hex digits (never used in a path or a query)."""


class CorruptArtifact(ArtifactError):
    """Bytes read back whose SHA-256 is not their digest: they are never served."""


class StoreURLError(ArtifactError, ValueError):
    """DOCGEN_ARTIFACTS_URL names no backend docgen knows."""


class StoreUnavailable(ArtifactError):
    """The shared backend cannot be reached."""


def check_digest(digest: object) -> str:
    if not isinstance(digest, str) or not DIGEST.fullmatch(digest):
        raise InvalidDigest(f"文件摘要 {digest!r} 无效：应为 64 位小写十六进制 SHA-256")
    return digest


def check_namespace(namespace: object) -> str:
    if not isinstance(namespace, str) or not NAMESPACE.fullmatch(namespace):
        raise ValueError(f"存储分区名 {namespace!r} 无效：应为小写字母开头的字母、数字、-、_（至多 32 个）")
    return namespace


def redact(url: str) -> str:
    """`url` with its password hidden, for messages."""
    try:
        parts = urlsplit(url)
        if parts.password is None:
            return url
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
        return urlunsplit(parts._replace(netloc=netloc))
    except ValueError:
        return "(无法解析的地址)"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def verified(digest: str, data: bytes) -> bytes:
    """`data` if it hashes to `digest`; otherwise CorruptArtifact."""
    if sha256(data) != digest:
        raise CorruptArtifact(f"文件 {digest} 已损坏：读回内容的 SHA-256 与摘要不符，拒绝使用")
    return data


class ArtifactStore(ABC):
    """Bytes stored under their SHA-256 (hex) in one namespace.

    `put` is idempotent and refreshes the blob's age, so a blob another job still uses is not swept;
    `delete_older_than` is the retention sweep of job artifacts and is refused in the archive namespace."""

    namespace: str

    @abstractmethod
    def put(self, data: bytes) -> str:
        """Stores `data`; returns its SHA-256."""

    @abstractmethod
    def get(self, digest: str) -> bytes:
        """The bytes stored under `digest`, verified; KeyError when absent."""

    @abstractmethod
    def exists(self, digest: str) -> bool:
        """Whether bytes are stored under `digest`."""

    @abstractmethod
    def delete_older_than(self, seconds: float) -> int:
        """Removes blobs not put for `seconds`; returns how many."""

    def close(self) -> None:
        """Releases connections, if any."""

    def _check_sweep(self, seconds: float) -> float:
        if self.namespace in NEVER_SWEPT:
            raise ArtifactError(f"存储分区 {self.namespace} 中的文件永久保存，不做过期清理")
        seconds = float(seconds)
        if not seconds >= 0:
            raise ValueError(f"保留时长 {seconds!r} 秒无效：应为非负数")
        return seconds
