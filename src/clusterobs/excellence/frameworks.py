"""Indicator frameworks as versioned data: read, check and load the shipped files.

A framework is a JSON file (title, version, areas, label levels, what it is modelled on) naming a
CSV file of indicators, one per row::

    key,area,question,unit,type,better,evidence,prefill,rule,advice,thresholds,me_indicator
    members_total,structure,How many members...?,members,number,higher,Member list,...,gold=50

``rule`` says when the row's ``advice`` becomes a recommendation (``pct_lt:25``: below the 25th
percentile of all organisations; ``value_lt:3``/``value_gt:70``; ``is:no``); ``thresholds`` lists
``level=value`` pairs (met when the value is at or beyond it in the direction of "better");
``me_indicator`` names the programmes' M&E indicator the row overlaps (its measurements pre-fill).
A revised framework is a new file with a new version, never new code; an admin may also add one
in the admin. Loading is all-or-nothing and every error names the file, the row and the field.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from django.db import transaction

from clusterobs.excellence.models import (
    Area,
    Better,
    Framework,
    Indicator,
    IndicatorType,
    LabelLevel,
)

FRAMEWORKS = resources.files("clusterobs.excellence") / "data" / "frameworks"
RULE_KINDS = {"pct_lt", "pct_gt", "value_lt", "value_gt", "is"}
REQUIRED = ("key", "area", "question", "type", "better")
OPTIONAL = ("unit", "evidence", "prefill", "rule", "advice", "thresholds", "me_indicator")


class FrameworkError(ValueError):
    """A framework file is malformed; the message names the file, row and field."""


@dataclass
class ParsedFramework:
    meta: dict[str, Any]
    indicators: list[dict[str, Any]]
    file: str


def parse_rule(rule: str, where: str) -> tuple[str, str] | None:
    """``"pct_lt:25"`` -> ``("pct_lt", "25")``; blank -> None."""
    if not rule.strip():
        return None
    kind, _, value = rule.strip().partition(":")
    if kind not in RULE_KINDS or not value:
        raise FrameworkError(f"{where}, field rule: {rule!r} is not one of {sorted(RULE_KINDS)}:V")
    if kind == "is" and value not in {"yes", "no"}:
        raise FrameworkError(f"{where}, field rule: 'is' takes yes or no, not {value!r}")
    if kind != "is":
        _number(value, f"{where}, field rule")
    return kind, value


def _number(value: str, where: str) -> Decimal:
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise FrameworkError(f"{where}: {value!r} is not a number") from None
    if not number.is_finite():
        raise FrameworkError(f"{where}: {value!r} is not a number")
    return number


def _thresholds(raw: str, levels: set[str], where: str) -> dict[str, str]:
    result = {}
    for part in filter(None, (p.strip() for p in (raw or "").split(";"))):
        level, _, value = part.partition("=")
        if level not in levels:
            raise FrameworkError(f"{where}, field thresholds: unknown level {level!r}")
        result[level] = str(_number(value, f"{where}, field thresholds"))
    return result


@cache
def me_indicator_keys() -> frozenset[str]:
    """Keys of the programmes' shipped M&E indicator library (what ``me_indicator`` may name)."""
    path = resources.files("clusterobs.programmes") / "data" / "indicators.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    items = data if isinstance(data, list) else data.get("indicators", [])
    return frozenset(item["key"] for item in items)


def _check_row(
    row: dict[str, str], line: int, name: str, areas: set[str], levels: set[str]
) -> dict:
    where = f"{name}, row {line}"
    for field in REQUIRED:
        if not (row.get(field) or "").strip():
            raise FrameworkError(f"{where}, field {field}: required")
    if row["area"] not in areas:
        raise FrameworkError(
            f"{where}, field area: {row['area']!r} is not an area of the framework"
        )
    if row["type"] not in IndicatorType.values:
        raise FrameworkError(f"{where}, field type: {row['type']!r} not in {IndicatorType.values}")
    if row["better"] not in Better.values:
        raise FrameworkError(f"{where}, field better: {row['better']!r} not in {Better.values}")
    parse_rule(row.get("rule") or "", where)
    me = (row.get("me_indicator") or "").strip()
    if me and me not in me_indicator_keys():
        raise FrameworkError(f"{where}, field me_indicator: {me!r} is not an M&E indicator")
    return {
        "me_indicator": me,
        "key": row["key"].strip(),
        "area": row["area"],
        "question": row["question"].strip(),
        "unit": (row.get("unit") or "").strip(),
        "type": row["type"],
        "better": row["better"],
        "evidence": (row.get("evidence") or "").strip(),
        "prefill": (row.get("prefill") or "").strip(),
        "rule": (row.get("rule") or "").strip(),
        "advice": (row.get("advice") or "").strip(),
        "thresholds": _thresholds(row.get("thresholds") or "", levels, where),
    }


def read(json_path: Path) -> ParsedFramework:
    """Read and check one framework (the JSON and its indicator CSV)."""
    name = json_path.name
    try:
        meta = json.loads(json_path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise FrameworkError(f"{name}: not valid JSON ({exc})") from None
    for field in ("key", "version", "title", "kind", "valid_from", "areas", "indicators_file"):
        if field not in meta:
            raise FrameworkError(f"{name}, field {field}: required")
    try:
        dt.date.fromisoformat(meta["valid_from"])
    except ValueError:
        raise FrameworkError(f"{name}, field valid_from: not a date") from None
    areas = {a["key"] for a in meta["areas"]}
    levels = {lv["key"] for lv in meta.get("levels", [])} | {"gold", "silver", "bronze"}
    csv_path = json_path.with_name(meta["indicators_file"])
    indicators, seen = [], set()
    with csv_path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        # a misspelt optional column would be read as empty, its values silently lost
        unknown = [c for c in reader.fieldnames or [] if c not in (*REQUIRED, *OPTIONAL)]
        if unknown:
            raise FrameworkError(
                f"{csv_path.name}: unknown column(s) {', '.join(unknown)}; the columns are "
                f"{', '.join((*REQUIRED, *OPTIONAL))}"
            )
        for line, row in enumerate(reader, start=2):
            if None in row:
                raise FrameworkError(f"{csv_path.name}, row {line}: more values than columns")
            checked = _check_row(row, line, csv_path.name, areas, levels)
            if checked["key"] in seen:
                raise FrameworkError(f"{csv_path.name}, row {line}, field key: appears twice")
            seen.add(checked["key"])
            indicators.append(checked)
    if not indicators:
        raise FrameworkError(f"{csv_path.name}: no indicators")
    return ParsedFramework(meta, indicators, name)


def shipped() -> list[Path]:
    return sorted(Path(str(FRAMEWORKS)).glob("*.json"))


@transaction.atomic
def load(parsed: ParsedFramework) -> Framework:
    """Store one framework version (replacing the same key and version if no one answered it)."""
    meta = parsed.meta
    framework, created = Framework.objects.get_or_create(
        key=meta["key"],
        version=meta["version"],
        defaults={"title": meta["title"], "kind": meta["kind"], "valid_from": meta["valid_from"]},
    )
    if not created and framework.assessments.exists():
        return framework  # answered versions are frozen: a change needs a new version
    for field in ("title", "kind", "valid_from"):
        setattr(framework, field, meta[field])
    framework.modelled_on = meta.get("modelled_on", "")
    framework.description = meta.get("description", "")
    framework.data_file = parsed.file
    framework.save()
    framework.indicators.all().delete()
    framework.areas.all().delete()
    areas = {
        a["key"]: Area.objects.create(framework=framework, key=a["key"], name=a["name"], position=i)
        for i, a in enumerate(meta["areas"])
    }
    Indicator.objects.bulk_create(
        Indicator(framework=framework, position=i, **{**row, "area": areas[row["area"]]})
        for i, row in enumerate(parsed.indicators)
    )
    for level in meta.get("levels", []):
        LabelLevel.objects.update_or_create(
            key=level["key"],
            defaults={
                "name": level["name"],
                "rank": level["rank"],
                "framework": framework,
                "validity_years": level.get("validity_years", 2),
                "pass_mark": level.get("pass_mark"),
                "min_assessors": level.get("min_assessors", 1),
                "national_assessors": level.get("national_assessors", 0),
                "foreign_assessors": level.get("foreign_assessors", 0),
                "eligibility": level.get("eligibility", []),
                "renewal_window_days": level.get("renewal_window_days", 365),
                "description": level.get("description", ""),
            },
        )
    return framework


def load_shipped() -> dict[str, int]:
    """Load every shipped framework version not yet stored (read all first: one bad file loads
    none); returns what was created, so a second run reports nothing new."""
    parsed = [read(path) for path in shipped()]
    stored = set(Framework.objects.values_list("key", "version"))
    fresh = [p for p in parsed if (p.meta["key"], p.meta["version"]) not in stored]
    levels_before = LabelLevel.objects.count()
    with transaction.atomic():
        for p in fresh:
            load(p)
    return {
        "frameworks": len(fresh),
        "indicators": sum(len(p.indicators) for p in fresh),
        "label levels": LabelLevel.objects.count() - levels_before,
    }
