"""The council's choices for how the trends are drawn, read from the app's configuration.

`FUNNEL_LIMITS` chooses the funnel plots' limits: "wilson" (the default, as UK public-health
funnel plots draw them, the PHE/UKHSA method) or "exact" (exact binomial limits, Spiegelhalter
2005). `COMPLIANCE_TARGET`, a rate such as 0.8, is drawn on the compliance charts with Making
Data Count's assurance (will the process meet it?); none by default. A council sets them in
its instance configuration; the pages say which are in use.
"""

from __future__ import annotations

import math

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


def compliance_target() -> float | None:
    """The council's compliance target as a rate, or None when it has not set one."""
    value = current_app.config.get("COMPLIANCE_TARGET")
    if value is None or value == "":
        return None
    try:
        rate = float(value)  # an environment variable (QA_COMPLIANCE_TARGET) is text
    except (TypeError, ValueError):
        rate = math.nan
    if isinstance(value, bool) or not 0 < rate < 1:
        raise ValueError(f"COMPLIANCE_TARGET is {value!r}: set it to a rate such as 0.8")
    return rate
