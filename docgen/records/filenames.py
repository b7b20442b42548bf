"""File names that come from data (a record's ``name:``, a batch's title, a stored artifact list): each
becomes ONE safe path component, whatever it held, so that nothing is ever written outside the folder it
is meant for, on Linux, macOS or Windows, nor unpacked outside it from a ZIP.

``safe_filename`` repairs a name (for the write path and ZIP entries: defence in depth);
``filename_problem`` says, in Chinese, why a name a person wrote is not one (for validation: staff are told
rather than surprised)."""

from __future__ import annotations

import re
import unicodedata

MAX_BYTES = 240  # a component, in UTF-8: most file systems allow 255; room is left for a "-2" suffix
NAME_BYTES = 200  # a ``name:`` (a stem): its ".docx" / ".pdf" must still fit in MAX_BYTES
FALLBACK = "文件"
REPLACEMENT = "_"

WINDOWS_CHARS = '<>:"|?*'
_SEPARATORS = "/\\"
_RESERVED = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
             *(f"COM{n}" for n in "123456789¹²³"), *(f"LPT{n}" for n in "123456789¹²³")}
_SUFFIX = re.compile(r"\.[A-Za-z0-9]{1,10}$")


def _unsafe_char(ch: str) -> bool:
    """Separators, Windows' forbidden characters, and every control, format (bidi overrides, zero-width),
    surrogate, private-use and line/paragraph-separator character."""
    return ch in _SEPARATORS or ch in WINDOWS_CHARS or unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Zl", "Zp")


def _reserved(name: str) -> bool:
    """CON, NUL, COM1 … are devices on Windows, with any extension (``NUL.pdf``) and trailing spaces."""
    return name.split(".")[0].rstrip(" ").upper() in _RESERVED


def _truncate(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` UTF-8 bytes, never inside a character."""
    return text.encode("utf-8", "surrogatepass")[:limit].decode("utf-8", "ignore")


def safe_filename(name: str, fallback: str = FALLBACK, max_bytes: int = MAX_BYTES) -> str:
    """``name`` as one path component: Chinese kept; separators, NUL and control characters and
    ``<>:"|?*`` replaced by ``_``; leading dots (so ``.`` and ``..``) and trailing dots and spaces removed;
    a Windows device name prefixed with ``_``; at most ``max_bytes`` bytes, its extension kept.
    Idempotent: a safe name is returned unchanged."""
    text = "".join(REPLACEMENT if _unsafe_char(ch) else ch for ch in str(name))
    text = text.lstrip(". ").rstrip(". ")
    if _reserved(text):
        text = REPLACEMENT + text
    if len(text.encode("utf-8", "surrogatepass")) > max_bytes:
        match = _SUFFIX.search(text)
        suffix = match.group() if match and match.start() > 0 else ""
        text = _truncate(text[:len(text) - len(suffix)], max_bytes - len(suffix)).rstrip(". ") + suffix
    text = text.lstrip(". ").rstrip(". ")
    return text or fallback


def with_suffix_number(name: str, n: int) -> str:
    """``name`` made distinct by a number before its extension: 批复.pdf → 批复-2.pdf."""
    match = _SUFFIX.search(name)
    stem, suffix = (name[:match.start()], match.group()) if match and match.start() > 0 else (name, "")
    mark = f"-{n}"
    stem = _truncate(stem, MAX_BYTES - len(mark.encode()) - len(suffix.encode()))
    return f"{stem}{mark}{suffix}"


def filename_problem(name: str, max_bytes: int = NAME_BYTES) -> str | None:
    """Why ``name`` cannot be used as an output file name (the first rule it breaks), or None."""
    if any(ch in _SEPARATORS for ch in name):
        return "只能是一个文件名，不能含 / 或 \\（不能是路径，文件总是写在输出文件夹里）"
    if name.startswith("."):
        return "不能以 . 开头（也不能是 . 或 ..）"
    bad = next((ch for ch in name if _unsafe_char(ch)), None)
    if bad is not None:
        if bad in WINDOWS_CHARS:
            return "不能含以下字符：" + " ".join(WINDOWS_CHARS)
        return f"不能含控制字符或不可见的格式字符（U+{ord(bad):04X}）"
    if name != name.strip(" ") or name.endswith("."):
        return "不能以空格开头，也不能以 . 或空格结尾"
    if _reserved(name):
        return "不能是 Windows 保留的设备名（CON、PRN、AUX、NUL、COM1–COM9、LPT1–LPT9）"
    size = len(name.encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        return f"太长：最多 {max_bytes} 字节（约 {max_bytes // 3} 个汉字），实际 {size} 字节"
    return None


def check_filename(name: str) -> str:
    """A pydantic field validator's body: ``name`` unchanged, or ValueError with the rule in Chinese."""
    problem = filename_problem(name) if name else None
    if problem:
        raise ValueError(problem)
    return name
