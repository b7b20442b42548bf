"""Whether a registered document is sealed (用印), as its record says it with docgen's defaults. GB/T 9704
§7.3.5.2 knows 不加盖印章的公文: a notice is sealed by its `signature.seal` (default unsealed; a 命令 or 纪要
has no signature, so no seal; a joint notice is sealed by every organ or by none), a 批复 or 通报 by its
`seal` (default sealed). A kind without either field keeps the register's rule: sealed.

The record was validated when it was drafted; only these fields are read, with the defaults of docgen's
record models, so the answer costs nothing even for a 通报 carrying every district's rows."""

from __future__ import annotations

import typing

from pydantic import BaseModel

from docgen.kinds import get as get_kind
from docgen.problems import InvalidRecord

SEALED = "sealed"


def needs_seal(kind: str, record: dict) -> bool:
    try:
        fields = get_kind(kind).record.model_fields
    except InvalidRecord:
        return True
    if "seal" in fields:
        return record.get("seal", fields["seal"].default) == SEALED
    if "signature" in fields:
        signature = record.get("signature")
        if not isinstance(signature, dict):  # none: a 命令's 签发人 or a 纪要
            return False
        return signature.get("seal", _seal_default(fields["signature"].annotation)) == SEALED
    return True


def _seal_default(annotation) -> str | None:
    """The `seal` default of the model a field holds (``SignatureSpec | None`` → SignatureSpec's)."""
    for held in (annotation, *typing.get_args(annotation)):
        if isinstance(held, type) and issubclass(held, BaseModel) and "seal" in held.model_fields:
            return held.model_fields["seal"].default
    return None
