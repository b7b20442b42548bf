"""Word boundaries for breaking titles: jieba's segmentation, unchanged, with its prefix dictionary read word by
word from an index on disk instead of loaded whole.

jieba loads its 500,000 words and prefixes into a dict before its first cut — about a second and 100 MB in
every fresh process, to cut one title. Here the same dictionary (built by jieba's own ``gen_pfdict`` from
its own ``dict.txt``) is written once per machine and user to an SQLite index in docgen's private cache
folder (docgen.cache), and each lookup reads one row. Where the index cannot be written, jieba loads its
dictionary as it always has.
"""

from __future__ import annotations

import hashlib
import logging
import os
import sqlite3
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

from docgen.cache import private_cache_dir


class _IndexedWords:
    """jieba's ``FREQ`` (a word or a word's prefix → its frequency, 0 for a bare prefix) read from the index;
    what this process has read or added is kept in memory (titles share most of their words)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.known: dict[str, int | None] = {}  # None: not in the dictionary
        self._lock = threading.Lock()
        self._pid: int | None = None
        self._db: sqlite3.Connection | None = None

    def _query(self, sql: str, *args: Any) -> tuple | None:
        with self._lock:
            if self._pid != os.getpid():  # a forked worker opens its own connection
                self._db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
                self._pid = os.getpid()
            return self._db.execute(sql, args).fetchone()

    def total(self) -> int:
        return self._query("SELECT total FROM meta")[0]

    def get(self, word: str, default: int | None = None) -> int | None:
        if word not in self.known:
            row = self._query("SELECT freq FROM words WHERE word = ?", word)
            self.known[word] = None if row is None else row[0]
        freq = self.known[word]
        return default if freq is None else freq

    def __contains__(self, word: str) -> bool:
        return self.get(word) is not None

    def __getitem__(self, word: str) -> int:
        freq = self.get(word)
        if freq is None:
            raise KeyError(word)
        return freq

    def __setitem__(self, word: str, freq: int) -> None:
        self.known[word] = freq


def _index_path(dictionary: Path) -> Path:
    """The index of ``dictionary`` in docgen's private cache (docgen.cache), named by the dictionary's path,
    size and time: a new jieba gets a new index."""
    folder = private_cache_dir()
    if folder is None:
        raise OSError("no private cache folder")
    stat = dictionary.stat()
    key = hashlib.sha256(f"{dictionary}\0{stat.st_size}\0{stat.st_mtime_ns}".encode()).hexdigest()[:16]
    return folder / f"jieba-{key}.sqlite"


def _build_index(tokenizer: Any, path: Path) -> None:
    """Write jieba's prefix dictionary to ``path`` (atomically: a process starting beside this one sees the
    whole index or none)."""
    with tokenizer.get_dict_file() as source:
        freq, total = tokenizer.gen_pfdict(source)
    partial = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    partial.unlink(missing_ok=True)
    db = sqlite3.connect(partial)
    try:
        db.execute("CREATE TABLE words (word TEXT PRIMARY KEY, freq INTEGER NOT NULL) WITHOUT ROWID")
        db.executemany("INSERT INTO words VALUES (?, ?)", freq.items())
        db.execute("CREATE TABLE meta (total INTEGER NOT NULL)")
        db.execute("INSERT INTO meta VALUES (?)", (total,))
        db.commit()
    finally:
        db.close()
    os.replace(partial, path)


@lru_cache(maxsize=1)
def segmenter() -> Any:
    """A jieba tokenizer of jieba's default dictionary, read through the index."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    try:
        path = _index_path(Path(jieba.__file__).parent / jieba.DEFAULT_DICT_NAME)
        if not path.is_file():
            _build_index(tokenizer, path)
        words = _IndexedWords(path)
        tokenizer.FREQ, tokenizer.total = words, words.total()
        tokenizer.initialized = True
    except (OSError, sqlite3.Error):  # no private cache folder: jieba's own loading
        tokenizer.initialize()
    return tokenizer
