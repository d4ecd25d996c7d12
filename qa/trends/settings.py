"""The council's choices for how the trends are drawn, read from the app's configuration.

`FUNNEL_LIMITS` chooses the funnel plots' limits: "wilson" (the default, as UK public-health
funnel plots draw them, the PHE/UKHSA method) or "exact" (exact binomial limits, Spiegelhalter
2005). A council sets it in its instance configuration; the pages say which is in use.
"""

from __future__ import annotations

from flask import current_app

from trend_maths.statistics import FUNNEL_METHODS

DEFAULT_FUNNEL_LIMITS = "wilson"


def funnel_method() -> str:
    """The funnel limits this council has chosen; a setting that is not one of them is an
    error at the first page that draws a funnel, naming the choices."""
    method = str(current_app.config.get("FUNNEL_LIMITS", DEFAULT_FUNNEL_LIMITS)).lower()
    if method not in FUNNEL_METHODS:
        raise ValueError(
            f"FUNNEL_LIMITS is {method!r}: set it to one of {', '.join(FUNNEL_METHODS)}"
        )
    return method
