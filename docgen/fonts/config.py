"""Point fontconfig (and so WeasyPrint, Pango and LibreOffice) at docgen's own configuration.

docgen's fontconfig is ``fonts/fonts.conf``, shipped with the package (docgen.resources). It reads the
licensed drop-in folder ``licensed/`` beside itself, which exists in a source checkout (``fonts/licensed/``).
An installed docgen has no such folder: the bureau's licensed fonts are put in a folder that the environment
variable ``DOCGEN_LICENSED_FONTS`` names (in the worker image, ``/app/fonts/licensed``, the compose volume).
Then docgen writes a small configuration that adds that folder and includes the shipped one, and uses it.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from docgen.cache import private_cache_dir
from docgen.resources import shipped_folder

LICENSED_ENV = "DOCGEN_LICENSED_FONTS"
FONTS_DIR = shipped_folder("fonts")
SHIPPED_FONTCONFIG = FONTS_DIR / "fonts.conf"


def licensed_dir() -> Path | None:
    """The licensed drop-in folder: the one DOCGEN_LICENSED_FONTS names, else ``licensed/`` beside the
    shipped fonts.conf (a source checkout's ``fonts/licensed/``) if it exists."""
    named = os.environ.get(LICENSED_ENV, "").strip()
    if named:
        return Path(named).expanduser().resolve()
    beside = FONTS_DIR / "licensed"
    return beside if beside.is_dir() else None


def _config_dir() -> Path:
    """Where docgen writes the configuration that adds a named licensed folder: its private cache."""
    folder = private_cache_dir()
    if folder is None:
        raise OSError(f"docgen cannot write its fontconfig for {LICENSED_ENV}: no private cache folder "
                      "(XDG_CACHE_HOME, ~/.cache or the temporary folder)")
    return folder


def _fontconfig_file(licensed: Path | None) -> Path:
    """The shipped fonts.conf when it already reads ``licensed`` (or there is none), else a configuration
    that adds ``licensed`` and includes the shipped one: written once, named by its content, so every
    process that names the same folder shares it (and the font cache the shipped one names)."""
    if licensed is None or licensed == (FONTS_DIR / "licensed").resolve():
        return SHIPPED_FONTCONFIG
    from xml.sax.saxutils import escape  # pulls in urllib: only for a named licensed folder

    text = ('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
            f"<!-- written by docgen: the licensed fonts folder {LICENSED_ENV} names, then docgen's fontconfig -->\n"
            "<fontconfig>\n"
            f"  <dir>{escape(str(licensed))}</dir>\n"
            f"  <include ignore_missing=\"no\">{escape(str(SHIPPED_FONTCONFIG))}</include>\n"
            "</fontconfig>\n")
    path = _config_dir() / f"fonts-{hashlib.sha256(text.encode()).hexdigest()[:16]}.conf"
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        partial = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, path)  # atomic: a process starting beside this one reads the whole file or none
    return path


LICENSED_DIR = licensed_dir()
FONTCONFIG_FILE = _fontconfig_file(LICENSED_DIR)


def use_docgen_fontconfig() -> None:
    """Set FONTCONFIG_FILE unless the caller chose another one; must run before fontconfig starts."""
    if FONTCONFIG_FILE.exists():
        os.environ.setdefault("FONTCONFIG_FILE", str(FONTCONFIG_FILE))


def fontconfig_env() -> dict[str, str]:
    """The environment for a child process (fc-match, fc-cache, LibreOffice) that must see the same fonts."""
    env = dict(os.environ)
    env.setdefault("FONTCONFIG_FILE", str(FONTCONFIG_FILE))
    return env
