"""Country codes (ISO 3166-1 alpha-2) and their names, from pycountry.

Geography is the regions app's job; the registry, collaboration and web layers above it read
country codes through here.
"""

from __future__ import annotations

import pycountry


def is_known_country(code: str) -> bool:
    """True for an ISO 3166-1 alpha-2 code (upper case)."""
    return len(code) == 2 and code.isupper() and pycountry.countries.get(alpha_2=code) is not None


def country_name(code: str) -> str:
    """English short name of an ISO country code, or the code itself if unknown."""
    country = pycountry.countries.get(alpha_2=code) if code else None
    return country.name if country else code
