"""Point fontconfig (and so WeasyPrint, Pango and LibreOffice) at docgen's own configuration."""

from __future__ import annotations

import os
from pathlib import Path

FONTS_DIR = Path(__file__).resolve().parents[2] / "fonts"
FONTCONFIG_FILE = FONTS_DIR / "fonts.conf"
LICENSED_DIR = FONTS_DIR / "licensed"


def use_docgen_fontconfig() -> None:
    """Set FONTCONFIG_FILE unless the caller chose another one; must run before fontconfig starts."""
    if FONTCONFIG_FILE.exists():
        os.environ.setdefault("FONTCONFIG_FILE", str(FONTCONFIG_FILE))


def fontconfig_env() -> dict[str, str]:
    """The environment for a child process (fc-match, LibreOffice) that must see the same fonts."""
    env = dict(os.environ)
    env.setdefault("FONTCONFIG_FILE", str(FONTCONFIG_FILE))
    return env
