"""Import labels awarded elsewhere (e.g. by the scheme's own secretariat) from CSV.

Columns: ``number, organisation`` (registry slug), ``level`` (key), ``awarded_on`` (YYYY-MM-DD),
optional ``expires_on`` (default: the level's validity after ``awarded_on``) and
``source_detail``. The ``source`` of the whole file is required. All or nothing: any bad row
stops the import and every error names the row and the field.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from clusterobs.excellence import permissions
from clusterobs.excellence.lifecycle import add_years
from clusterobs.excellence.models import Label, LabelLevel
from clusterobs.registry.models import Organisation

REQUIRED = ("number", "organisation", "level", "awarded_on")
OPTIONAL = ("expires_on", "source_detail")


class LabelImportError(ValueError):
    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


def _date(raw: str, where: str, errors: list[str]) -> dt.date | None:
    try:
        return dt.date.fromisoformat(raw.strip())
    except ValueError:
        errors.append(_("%(w)s: %(raw)r is not a date (YYYY-MM-DD)") % {"w": where, "raw": raw})
        return None


def _row(row: dict, line: int, name: str, seen: set[str], errors: list[str]) -> Label | None:
    at = f"{name}, row {line}"
    missing = [f for f in REQUIRED if not (row.get(f) or "").strip()]
    for f in missing:
        errors.append(_("%(at)s, field %(f)s: required") % {"at": at, "f": f})
    if missing:
        return None
    number = row["number"].strip()
    if number in seen or Label.objects.filter(number=number).exists():
        errors.append(_("%(at)s, field number: %(n)s already exists") % {"at": at, "n": number})
    seen.add(number)
    org = Organisation.objects.filter(slug=row["organisation"].strip()).first()
    if org is None:
        errors.append(
            _("%(at)s, field organisation: no organisation %(s)r")
            % {"at": at, "s": row["organisation"]}
        )
    level = LabelLevel.objects.filter(key=row["level"].strip()).first()
    if level is None:
        errors.append(_("%(at)s, field level: unknown level %(s)r") % {"at": at, "s": row["level"]})
    awarded = _date(row["awarded_on"], f"{at}, field awarded_on", errors)
    expires = None
    if (row.get("expires_on") or "").strip():
        expires = _date(row["expires_on"], f"{at}, field expires_on", errors)
        if expires and awarded and expires <= awarded:
            errors.append(_("%(at)s, field expires_on: must be after awarded_on") % {"at": at})
    if org is None or level is None or awarded is None:
        return None
    return Label(
        number=number,
        organisation=org,
        level=level,
        awarded_on=awarded,
        expires_on=expires or add_years(awarded, level.validity_years),
        source_detail=(row.get("source_detail") or "").strip(),
    )


def import_labels(*, user, text: str, source: str, name: str = "labels.csv") -> list[Label]:
    if not permissions.is_label_admin(user):
        raise PermissionDenied
    if not source.strip():
        raise LabelImportError([_("%s: the source of the labels is required") % name])
    reader = csv.DictReader(io.StringIO(text))
    absent = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
    if absent:
        raise LabelImportError(
            [_("%(n)s: missing column(s) %(c)s") % {"n": name, "c": ", ".join(absent)}]
        )
    # A misspelt optional column ("expires" for "expires_on") would be read as absent and its
    # values silently replaced by defaults.
    unknown = [c for c in reader.fieldnames or [] if c not in (*REQUIRED, *OPTIONAL)]
    if unknown:
        raise LabelImportError(
            [
                _("%(n)s: unknown column(s) %(c)s; the columns are %(k)s")
                % {"n": name, "c": ", ".join(unknown), "k": ", ".join((*REQUIRED, *OPTIONAL))}
            ]
        )
    errors: list[str] = []
    labels, seen = [], set()
    for line, row in enumerate(reader, start=2):
        if None in row:  # csv puts values beyond the header under the key None
            errors.append(_("%(n)s, row %(l)s: more values than columns") % {"n": name, "l": line})
            continue
        label = _row(row, line, name, seen, errors)
        if label is not None:
            label.source = source.strip()
            labels.append(label)
    if errors:
        raise LabelImportError(errors)
    with transaction.atomic():
        for label in labels:
            label.save()
    return labels
