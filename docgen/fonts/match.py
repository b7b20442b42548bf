"""Font matching through libfontconfig itself (ctypes): the answer `fc-match -f FORMAT PATTERN` gives, in this
process, without starting a process per query (six of them cost a cold `docgen render` about 90 ms).

The configuration is fontconfig's current one, read once from FONTCONFIG_FILE (docgen.fonts.config sets it
when docgen is imported, before anything starts fontconfig), as the fc-match child processes read it."""

from __future__ import annotations

import ctypes
import threading

_lib = ctypes.CDLL("libfontconfig.so.1")
_lib.FcNameParse.restype = ctypes.c_void_p
_lib.FcNameParse.argtypes = [ctypes.c_char_p]
_lib.FcConfigSubstitute.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int]
_lib.FcDefaultSubstitute.argtypes = [ctypes.c_void_p]
_lib.FcFontMatch.restype = ctypes.c_void_p
_lib.FcFontMatch.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.POINTER(ctypes.c_int)]
_lib.FcPatternFormat.restype = ctypes.c_void_p  # an FcChar8* the caller frees
_lib.FcPatternFormat.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
_lib.FcPatternDestroy.argtypes = [ctypes.c_void_p]
_lib.FcStrFree.argtypes = [ctypes.c_void_p]
_MATCH_PATTERN = 0  # FcMatchPattern
_LOCK = threading.Lock()  # fontconfig's current configuration is built on first use: once


def fc_match(pattern: str, fmt: str) -> str:
    """``fmt`` (fc-match's ``-f`` format) filled from the font fontconfig matches for ``pattern``."""
    with _LOCK:
        query = _lib.FcNameParse(pattern.encode("utf-8"))
        if not query:
            raise ValueError(f"fontconfig cannot parse the pattern {pattern!r}")
        try:
            _lib.FcConfigSubstitute(None, query, _MATCH_PATTERN)
            _lib.FcDefaultSubstitute(query)
            result = ctypes.c_int()
            found = _lib.FcFontMatch(None, query, ctypes.byref(result))
        finally:
            _lib.FcPatternDestroy(query)
        if not found:
            raise LookupError(f"fontconfig matches no font for {pattern!r}")
        try:
            text = _lib.FcPatternFormat(found, fmt.encode("utf-8"))
            try:
                return ctypes.string_at(text).decode("utf-8")
            finally:
                _lib.FcStrFree(text)
        finally:
            _lib.FcPatternDestroy(found)


def family_pattern(name: str) -> str:
    """A family name as a fontconfig pattern that means only that name (``\\``, ``-``, ``:`` and ``,`` are
    pattern syntax, escaped)."""
    return "".join("\\" + char if char in "\\-:," else char for char in name)
