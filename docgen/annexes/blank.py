"""The blank annex forms 1–6, as the seed notice distributes them: the application form and the district
tables with their headers and empty rows."""

from __future__ import annotations

from functools import lru_cache

from docgen.annexes.application import application_form
from docgen.annexes.pages import annex_attachments
from docgen.content.document import Attachment


@lru_cache(maxsize=1)
def blank_forms() -> tuple[Attachment, ...]:
    return (application_form(), *annex_attachments({}, with_district=False))
