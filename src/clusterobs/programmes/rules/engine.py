"""Scheme funding rules as data, and the calculator that applies them.

A *rule set* is one version of a scheme's funding rules (a JSON document shipped in
``programmes/data/rules/`` and stored as a versioned database row). The engine below knows no
scheme: components, cost caps, cost bands, grant shares, special categories and eligibility
conditions all come from the document, so a revised guideline is a new file, never new code.

Shape of a rule set (see ``docs/programmes.md`` for the full reference)::

    {"scheme": "msecdp", "version": "2022", "valid_from": "2022-04-01", "valid_to": null,
     "currency": "INR", "unit": "crore", "inherits": "2007", "source": {...},
     "categories": {"special_region": {"label": "...", "any": [<condition>, ...]}},
     "components": [{"key": "cfc", "name": "...", "variants": [
         {"when": [<condition>], "min_cost": "5", "max_eligible_cost": "30",
          "conditions": [<condition with "reason">],
          "bands": [{"above": "10", "up_to": "30", "share": "60",
                     "category_shares": {"special_region": "70"}}]}]}]}

A condition is ``{"fact": name, "op": one of eq ne gt gte lt lte in is_true has_label,
"value": v}``. ``has_label`` reads a list fact (``labels``: the label levels an organisation holds
*valid on the calculation date*, supplied by the excellence app through
:mod:`clusterobs.programmes.rules.facts`) and holds when it contains the level named in
``value`` (a level key such as ``"gold"``, or a list of keys, any of which will do).
Bands select on the *eligible* cost (the proposed cost capped at ``max_eligible_cost``):
``above`` is exclusive, ``up_to`` inclusive, so exactly Rs 10 crore falls in the "5-10" band.

All arithmetic is :class:`~decimal.Decimal` in rupees; grants are rounded down to the rupee
(a scheme pays "up to" its share). Every figure and every refusal carries its reason.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal, InvalidOperation
from typing import Any

#: Indian numbering units, in rupees. Amounts always carry currency and unit.
UNITS: dict[str, Decimal] = {
    "rupee": Decimal(1),
    "lakh": Decimal(100_000),
    "crore": Decimal(10_000_000),
}
OPS = {"eq", "ne", "gt", "gte", "lt", "lte", "in", "is_true", "has_label"}
HUNDRED = Decimal(100)


class RuleError(ValueError):
    """A rule set document is malformed (raised when it is loaded, never mid-calculation)."""


@dataclass(frozen=True)
class Money:
    """An amount with its currency and unit (``Money(Decimal("2.5"), "INR", "lakh")``)."""

    amount: Decimal
    currency: str = "INR"
    unit: str = "lakh"

    def __post_init__(self) -> None:
        if self.unit not in UNITS:
            raise RuleError(f"unknown unit {self.unit!r} (use one of {', '.join(UNITS)})")

    @property
    def rupees(self) -> Decimal:
        return self.amount * UNITS[self.unit]

    def to(self, unit: str) -> Money:
        return Money(_plain(self.rupees / UNITS[unit]), self.currency, unit)

    def __str__(self) -> str:
        sign = "Rs " if self.currency == "INR" else f"{self.currency} "
        return f"{sign}{format(_plain(self.amount), 'f')} {self.unit}"

    def as_dict(self) -> dict[str, str]:
        return {
            "amount": format(_plain(self.amount), "f"),
            "currency": self.currency,
            "unit": self.unit,
        }


def _plain(value: Decimal) -> Decimal:
    """Drop trailing zeros without switching to exponent notation (Decimal('1E+1') -> 10)."""
    value = value.normalize()
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value


def _dec(value: Any, where: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise RuleError(f"{where}: {value!r} is not a number") from None
    if not number.is_finite():
        raise RuleError(f"{where}: {value!r} is not finite")
    return number


@dataclass
class ComponentResult:
    key: str
    name: str
    eligible: bool
    proposed_cost: Money
    eligible_cost: Money | None = None
    grant_share_percent: Decimal | None = None
    grant: Money | None = None
    beneficiary_share: Money | None = None
    reasons: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "component": self.key,
            "name": self.name,
            "eligible": self.eligible,
            "proposed_cost": self.proposed_cost.as_dict(),
            "eligible_cost": self.eligible_cost.as_dict() if self.eligible_cost else None,
            "grant_share_percent": (
                format(_plain(self.grant_share_percent), "f")
                if self.grant_share_percent is not None
                else None
            ),
            "grant": self.grant.as_dict() if self.grant else None,
            "beneficiary_share": (
                self.beneficiary_share.as_dict() if self.beneficiary_share else None
            ),
            "reasons": self.reasons,
        }


@dataclass
class Calculation:
    scheme: str
    rule_version: str
    rule_title: str
    rule_source: str
    valid_from: str
    valid_to: str | None
    categories: list[str]
    components: list[ComponentResult]
    total_grant: Money
    total_beneficiary_share: Money
    reasons: list[str]

    def as_dict(self) -> dict[str, Any]:
        return {
            "scheme": self.scheme,
            "rule_version": self.rule_version,
            "rule_title": self.rule_title,
            "rule_source": self.rule_source,
            "valid_from": self.valid_from,
            "valid_to": self.valid_to,
            "categories": self.categories,
            "components": [c.as_dict() for c in self.components],
            "total_grant": self.total_grant.as_dict(),
            "total_beneficiary_share": self.total_beneficiary_share.as_dict(),
            "reasons": self.reasons,
        }


# --- validation and inheritance -----------------------------------------------------------------


def _check_condition(cond: Any, where: str) -> None:
    if not isinstance(cond, dict) or "fact" not in cond or cond.get("op") not in OPS:
        raise RuleError(f"{where}: a condition needs 'fact' and 'op' in {sorted(OPS)}")
    if cond["op"] in {"gt", "gte", "lt", "lte"}:
        _dec(cond.get("value"), where)


def validate(rule_set: dict[str, Any]) -> None:
    """Raise :class:`RuleError` naming the first problem in a (resolved) rule set."""
    for key in ("scheme", "version", "valid_from", "currency", "unit", "source", "components"):
        if key not in rule_set:
            raise RuleError(f"rule set lacks {key!r}")
    if rule_set["unit"] not in UNITS:
        raise RuleError(f"unknown unit {rule_set['unit']!r}")
    dt.date.fromisoformat(rule_set["valid_from"])
    if rule_set.get("valid_to"):
        dt.date.fromisoformat(rule_set["valid_to"])
    for name, cat in rule_set.get("categories", {}).items():
        for cond in cat.get("any", []):
            _check_condition(cond, f"category {name}")
    keys = set()
    for comp in rule_set["components"]:
        where = f"component {comp.get('key')!r}"
        if not comp.get("key") or not comp.get("name") or not comp.get("variants"):
            raise RuleError(f"{where}: needs key, name and variants")
        if comp["key"] in keys:
            raise RuleError(f"{where} appears twice")
        keys.add(comp["key"])
        for variant in comp["variants"]:
            for cond in [*variant.get("when", []), *variant.get("conditions", [])]:
                _check_condition(cond, where)
            for k in ("min_cost", "max_eligible_cost"):
                if variant.get(k) is not None:
                    _dec(variant[k], f"{where} {k}")
            if not variant.get("bands"):
                raise RuleError(f"{where}: a variant needs at least one band")
            for band in variant["bands"]:
                _dec(band.get("share"), f"{where} share")
                for cat, share in band.get("category_shares", {}).items():
                    if cat not in rule_set.get("categories", {}):
                        raise RuleError(f"{where}: unknown category {cat!r}")
                    _dec(share, f"{where} share for {cat}")


def resolve(rule_set: dict[str, Any], parent: dict[str, Any] | None) -> dict[str, Any]:
    """A rule set with ``inherits`` takes its parent's categories and components, overriding
    components of the same key (a revision restates only what it changes)."""
    if not rule_set.get("inherits"):
        return rule_set
    if parent is None:
        raise RuleError(f"rule set {rule_set.get('version')} inherits a missing version")
    merged = dict(rule_set)
    merged["categories"] = {**parent.get("categories", {}), **rule_set.get("categories", {})}
    own = {c["key"]: c for c in rule_set.get("components", [])}
    components = []
    for comp in parent["components"]:
        if comp["key"] in own:
            components.append(own.pop(comp["key"]))
        else:
            inherited = dict(comp)
            inherited["inherited_from"] = parent["version"]
            components.append(inherited)
    merged["components"] = components + list(own.values())
    # Inherited figures keep their own unit: the parent's unit is recorded per component.
    for comp in merged["components"]:
        if "inherited_from" in comp:
            comp.setdefault("unit", parent.get("unit"))
    return merged


def select(rule_sets: list[dict[str, Any]], on: dt.date) -> dict[str, Any] | None:
    """The rule set in force on ``on`` (the latest ``valid_from`` not after it)."""
    valid = [
        r
        for r in rule_sets
        if dt.date.fromisoformat(r["valid_from"]) <= on
        and (not r.get("valid_to") or on <= dt.date.fromisoformat(r["valid_to"]))
    ]
    return max(valid, key=lambda r: r["valid_from"]) if valid else None


# --- evaluation --------------------------------------------------------------------------------


_MISSING = object()


def _holds(cond: dict[str, Any], facts: dict[str, Any]) -> bool | None:
    """True/False, or None when the fact is not given."""
    value = facts.get(cond["fact"], _MISSING)
    if value is _MISSING or value is None or value == "":
        return None
    op, target = cond["op"], cond.get("value")
    if op == "is_true":
        return value is True or str(value).lower() in {"true", "1", "yes"}
    if op == "has_label":
        wanted = target if isinstance(target, list) else [target]
        held = value if isinstance(value, (list, tuple, set, frozenset)) else [value]
        return any(str(level) in {str(h) for h in held} for level in wanted)
    if op == "in":
        return str(value) in [str(t) for t in target]
    if op in {"eq", "ne"}:
        equal = str(value) == str(target)
        return equal if op == "eq" else not equal
    number, bound = _dec(value, cond["fact"]), _dec(target, cond["fact"])
    return {
        "gt": number > bound,
        "gte": number >= bound,
        "lt": number < bound,
        "lte": number <= bound,
    }[op]


def _describe(cond: dict[str, Any]) -> str:
    if cond.get("reason"):
        return cond["reason"]
    symbols = {"eq": "=", "ne": "≠", "gt": ">", "gte": "≥", "lt": "<", "lte": "≤", "in": "in"}
    if cond["op"] == "is_true":
        return f"{cond['fact']} is true"
    if cond["op"] == "has_label":
        return f"holds a valid {cond.get('value')} label"
    return f"{cond['fact']} {symbols[cond['op']]} {cond.get('value')}"


def categories_met(rule_set: dict[str, Any], facts: dict[str, Any]) -> tuple[list[str], list[str]]:
    """Special categories the facts place the cluster in, with the reasons."""
    met, reasons = [], []
    for name, cat in rule_set.get("categories", {}).items():
        results = [(c, _holds(c, facts)) for c in cat.get("any", [])]
        hits = [c for c, ok in results if ok]
        if hits:
            met.append(name)
            reasons.append(f"special category '{cat.get('label', name)}': {_describe(hits[0])}")
        elif all(ok is None for _, ok in results):
            reasons.append(
                f"special category '{cat.get('label', name)}' not assessed: "
                f"{', '.join(sorted({c['fact'] for c, _ in results}))} not given"
            )
    return met, reasons


def _component(
    comp: dict[str, Any],
    rule_set: dict[str, Any],
    cost: Money,
    facts: dict[str, Any],
    categories: list[str],
) -> ComponentResult:
    result = ComponentResult(comp["key"], comp["name"], False, cost)
    unit = comp.get("unit") or rule_set["unit"]
    currency = rule_set["currency"]
    if comp.get("inherited_from"):
        result.reasons.append(f"rule carried over unchanged from version {comp['inherited_from']}")
    if cost.currency != currency:
        result.reasons.append(f"refused: costs must be in {currency}, not {cost.currency}")
        return result
    if cost.amount <= 0:
        result.reasons.append("refused: the proposed cost must be positive")
        return result
    variant = None
    for candidate in comp["variants"]:
        checks = [(c, _holds(c, facts)) for c in candidate.get("when", [])]
        missing = [c["fact"] for c, ok in checks if ok is None]
        if missing and len(comp["variants"]) > 1:
            continue
        if all(ok for _, ok in checks):
            variant = candidate
            if checks:
                result.reasons.append(
                    "applies: " + "; ".join(c.get("label") or _describe(c) for c, _ in checks)
                )
            break
    if variant is None:
        facts_needed = sorted({c["fact"] for v in comp["variants"] for c in v.get("when", [])})
        result.reasons.append(
            "refused: no variant of this component matches the facts "
            f"(needs {', '.join(facts_needed)})"
        )
        return result
    refusals = []
    for cond in variant.get("conditions", []):
        ok = _holds(cond, facts)
        if ok is None:
            refusals.append(f"refused: {cond['fact']} not given (required: {_describe(cond)})")
        elif not ok:
            refusals.append(
                f"refused: condition not met: {_describe(cond)} "
                f"(given {cond['fact']} = {facts.get(cond['fact'])})"
            )
        else:
            result.reasons.append(f"condition met: {_describe(cond)}")
    rupees = cost.rupees
    factor = UNITS[unit]
    if variant.get("min_cost") is not None:
        minimum = _dec(variant["min_cost"], "min_cost") * factor
        if rupees < minimum:
            refusals.append(
                f"refused: proposed cost {cost} is below the minimum "
                f"{Money(_dec(variant['min_cost'], 'min_cost'), currency, unit)}"
            )
    if refusals:
        result.reasons.extend(refusals)
        return result
    eligible = rupees
    if variant.get("max_eligible_cost") is not None:
        cap_amount = _dec(variant["max_eligible_cost"], "max_eligible_cost")
        cap = cap_amount * factor
        if rupees > cap:
            eligible = cap
            result.reasons.append(
                f"eligible cost capped at {Money(cap_amount, currency, unit)} "
                f"(proposed {cost}); the excess is borne by the beneficiaries"
            )
        else:
            result.reasons.append(
                f"proposed cost within the cap of {Money(cap_amount, currency, unit)}"
            )
    band = None
    for candidate in variant["bands"]:
        above = candidate.get("above")
        up_to = candidate.get("up_to")
        if above is not None and not eligible > _dec(above, "above") * factor:
            continue
        if up_to is not None and not eligible <= _dec(up_to, "up_to") * factor:
            continue
        band = candidate
        break
    if band is None:
        result.reasons.append(f"refused: no cost band covers an eligible cost of {cost}")
        return result
    share = _dec(band["share"], "share")
    share_reason = f"grant share {_plain(share)}%"
    if band.get("above") is not None or band.get("up_to") is not None:
        low = (
            f"above {Money(_dec(band['above'], 'a'), currency, unit)}" if band.get("above") else ""
        )
        high = (
            f"up to {Money(_dec(band['up_to'], 'u'), currency, unit)}" if band.get("up_to") else ""
        )
        share_reason += f" for an eligible cost {' and '.join(x for x in (low, high) if x)}"
    for cat in categories:
        special = band.get("category_shares", {}).get(cat)
        if special is not None and _dec(special, "share") > share:
            share = _dec(special, "share")
            label = rule_set["categories"][cat].get("label", cat)
            share_reason = f"grant share {_plain(share)}% for the special category '{label}'"
    result.reasons.append(share_reason)
    grant = (eligible * share / HUNDRED).quantize(Decimal(1), rounding=ROUND_FLOOR)
    out = cost.unit
    result.eligible = True
    result.eligible_cost = Money(_plain(eligible / UNITS[out]), currency, out)
    result.grant_share_percent = share
    result.grant = Money(_plain(grant / UNITS[out]), currency, out)
    result.beneficiary_share = Money(_plain((rupees - grant) / UNITS[out]), currency, out)
    result.reasons.append(
        f"grant = {_plain(share)}% × {result.eligible_cost} = {result.grant}; "
        f"beneficiaries bear {result.beneficiary_share} of the proposed {cost}"
    )
    return result


def calculate(
    rule_set: dict[str, Any], *, facts: dict[str, Any], costs: dict[str, Money]
) -> Calculation:
    """Eligible grant per proposed component under ``rule_set`` (already resolved).

    ``facts`` are the cluster's facts named in the rule set (e.g. ``special_units_percent``,
    ``special_region``, ``spv_members``); ``costs`` maps component keys to proposed costs.
    Components not in the rule set are refused with a reason, never silently dropped.
    """
    categories, reasons = categories_met(rule_set, facts)
    by_key = {c["key"]: c for c in rule_set["components"]}
    results = []
    for key, cost in costs.items():
        if key not in by_key:
            results.append(
                ComponentResult(
                    key,
                    key,
                    False,
                    cost,
                    reasons=[
                        f"refused: {key!r} is not a component of {rule_set['scheme']} "
                        f"rules version {rule_set['version']} "
                        f"(components: {', '.join(by_key)})"
                    ],
                )
            )
            continue
        results.append(_component(by_key[key], rule_set, cost, facts, categories))
    out_unit = next(iter(costs.values())).unit if costs else rule_set["unit"]
    currency = rule_set["currency"]
    total_grant = sum((r.grant.rupees for r in results if r.grant), Decimal(0))
    total_cost = sum((r.proposed_cost.rupees for r in results if r.eligible), Decimal(0))
    source = rule_set["source"]
    if isinstance(source, dict):
        source = ", ".join(str(source[k]) for k in ("document", "location") if source.get(k))
    return Calculation(
        scheme=rule_set["scheme"],
        rule_version=rule_set["version"],
        rule_title=rule_set.get("title", ""),
        rule_source=source,
        valid_from=rule_set["valid_from"],
        valid_to=rule_set.get("valid_to"),
        categories=categories,
        components=results,
        total_grant=Money(total_grant, currency, "rupee").to(out_unit),
        total_beneficiary_share=Money(total_cost - total_grant, currency, "rupee").to(out_unit),
        reasons=reasons,
    )
