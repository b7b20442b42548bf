"""History: the values a registry row is compared and stored by, the changes logged against it, and the
state of the registry at a past date (today's rows with every later change undone)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Iterable

from django.db.models import Model
from django.utils import timezone

from web.registry.models import Change, District, ReportedRow

TRACKED_TIMES = ("valid_from", "retired_at")


def values(obj: Model, fields: Iterable[str]) -> dict:
    """The row's values by model field, as JSON would hold them."""
    return {f: _json(getattr(obj, f)) for f in fields}


def _json(value):
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


def _restore(field: str, value):
    if field in TRACKED_TIMES and value is not None:
        return dt.datetime.fromisoformat(value)
    return value


def label_of(model: type[Model]) -> str:
    return model._meta.model_name


def end_of_day(day: dt.date | dt.datetime) -> dt.datetime:
    """A date as the last moment of that day in the bureau's time zone (a datetime stays as it is)."""
    if isinstance(day, dt.datetime):
        return day if timezone.is_aware(day) else timezone.make_aware(day)
    return timezone.make_aware(dt.datetime.combine(day, dt.time.max))


def rows_at(model: type[ReportedRow], at: dt.datetime | None, districts: Iterable[District] | None = None
            ) -> list[ReportedRow]:
    """The rows of ``model`` that stood in the districts' reports at ``at`` (now when None), with the values
    they had then, in the city's order (district, then the row's place in its table). Two queries."""
    rows = model.objects.filter(valid_from__isnull=False).select_related("district")
    if districts is not None:
        rows = rows.filter(district__in=list(districts))
    if at is None:
        live = [r for r in rows.filter(retired_at__isnull=True)]
    else:
        rows = list(rows.filter(valid_from__lte=at))
        later: dict[int, list[Change]] = defaultdict(list)
        for change in Change.objects.filter(model=label_of(model), at__gt=at).order_by("-at", "-id").only(
                "object_id", "old"):
            later[change.object_id].append(change)
        live = []
        for row in rows:
            for change in later.get(row.pk, ()):  # newest first: undo each
                for field, old in change.old.items():
                    setattr(row, field, _restore(field, old))
            if row.valid_from is not None and row.valid_from <= at and (row.retired_at is None or row.retired_at > at):
                live.append(row)
    live.sort(key=lambda r: (r.district.order, r.district_id, r.position, r.pk))
    return live
