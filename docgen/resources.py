"""Where docgen finds the files it ships: the docxtpl and HTML templates, the text templates of generated
wording (``templates/``) and docgen's fontconfig (``fonts/fonts.conf``).

In the repository they are the top-level folders ``templates/`` and ``fonts/``; a wheel carries them as the
data packages ``docgen._shipped.templates`` and ``docgen._shipped.fonts`` (pyproject.toml maps the folders
there), and they are found through ``importlib.resources``. A source checkout on ``PYTHONPATH`` and the
editable install (``pip install -e .``) have no such package: setuptools' editable finder cannot import a
package mapped outside ``docgen/`` below the regular package ``docgen``, so there the folders are read where
they are in the checkout, beside the ``docgen`` package. Either way a caller gets a real folder on disk
(fontconfig and Jinja's FileSystemLoader need one).
"""

from __future__ import annotations

import atexit
from contextlib import ExitStack
from functools import lru_cache
from importlib.resources import as_file, files
from pathlib import Path

PACKAGE = "docgen._shipped"
FOLDERS = ("templates", "fonts")
_KEEP = ExitStack()  # folders as_file had to extract (a package not on the file system) live until exit
atexit.register(_KEEP.close)


@lru_cache(maxsize=None)
def shipped_folder(name: str) -> Path:
    """The folder of shipped data ``name`` (``templates`` or ``fonts``) as a real path."""
    if name not in FOLDERS:
        raise ValueError(f"docgen ships no folder {name!r}; it ships {', '.join(FOLDERS)}")
    try:
        root = files(f"{PACKAGE}.{name}")
    except ModuleNotFoundError:  # a source checkout or the editable install: the repository's own folder
        folder = Path(__file__).resolve().parents[1] / name
        if not folder.is_dir():
            raise FileNotFoundError(f"docgen's {name}/ folder is neither installed ({PACKAGE}.{name}) "
                                    f"nor in a source checkout ({folder})") from None
        return folder
    if isinstance(root, Path):
        return root
    # A data folder has no __init__.py, so it is a namespace package and files() gives a MultiplexedPath,
    # which as_file takes only from Python 3.12; the entries it lists are real paths in the one folder.
    parents = {entry.parent for entry in root.iterdir() if isinstance(entry, Path)}
    if len(parents) == 1:
        return parents.pop()
    return _KEEP.enter_context(as_file(root))  # not on the file system: a copy that lives until exit


def shipped_file(name: str, *parts: str) -> Path:
    """A file in the shipped folder ``name``, e.g. ``shipped_file("templates", "official.docx")``."""
    return shipped_folder(name).joinpath(*parts)
