"""UK postcodes: one normal form for storage and lookup."""

import re

# Outward code (area, district) and inward code (sector, unit); GIR 0AA is the one oddity.
POSTCODE_RE = re.compile(r"^(GIR0AA|[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2})$")


def normalise_postcode(value: str) -> str | None:
    """'de11aa', ' De1 1Aa ' -> 'DE1 1AA'; None when it is not a UK postcode."""
    compact = re.sub(r"\s+", "", value or "").upper()
    if not POSTCODE_RE.match(compact):
        return None
    return f"{compact[:-3]} {compact[-3:]}"
