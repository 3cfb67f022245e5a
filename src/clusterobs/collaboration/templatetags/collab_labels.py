"""``{% held_labels org_id as labels %}``: the labels an organisation holds valid today, for the
badges on profiles and partner suggestions (see :mod:`clusterobs.collaboration.labels`)."""

from __future__ import annotations

from django import template

from clusterobs.collaboration.labels import HeldLabel, valid_labels

register = template.Library()


@register.simple_tag
def held_labels(org_id: int) -> list[HeldLabel]:
    return valid_labels([org_id]).get(org_id, [])


@register.inclusion_tag("collaboration/_label_badges.html")
def label_badges(labels: list[HeldLabel]) -> dict:
    return {"labels": labels}
