"""A share as a whole percentage, as the dashboards and the public pages give it."""

import math


def share_percent(share: float | None) -> int | None:
    """A whole percentage that never rounds a miss away: 99.6% is 99%, and 0.4% is 1%."""
    if share is None:
        return None
    percent = math.floor(share * 100 + 0.5)
    if percent == 100 and share < 1:
        return 99
    if percent == 0 and share > 0:
        return 1
    return percent
