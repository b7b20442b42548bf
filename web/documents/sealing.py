"""Whether a registered document is sealed (用印), as docgen reads its record. GB/T 9704 §7.3.5.2 knows
不加盖印章的公文: a notice is sealed by its `signature.seal` (default unsealed; a 命令 or 纪要 has no signature,
so no seal; a joint notice is sealed by every organ or by none), a 批复 or 通报 by its `seal` (default sealed).
A kind without either field, or a record docgen no longer reads, keeps the register's rule: sealed."""

from __future__ import annotations

from docgen.kinds import parse_record
from docgen.problems import InvalidRecord

_ANY_NUMBER = "〔2000〕1号"  # a draft has no number yet; whether it is sealed does not depend on one


def needs_seal(kind: str, issuer_code: str, record: dict, doc_number: str | None) -> bool:
    try:
        _, validated = parse_record({**record, "kind": kind, "doc_number": doc_number or issuer_code + _ANY_NUMBER})
    except (InvalidRecord, ValueError, KeyError):
        return True
    fields = type(validated).model_fields
    if "seal" in fields:
        return validated.seal == "sealed"
    if "signature" in fields:
        return validated.signature is not None and validated.signature.seal == "sealed"
    return True
