"""The table formats eprstats writes and the one P-value formatter (a module of its own, without pandas, so
that the command line can name the formats in its help without importing pandas)."""
from __future__ import annotations

import math

FORMATS = ("csv", "md", "tex", "docx", "html")


def format_p(p, decimals: int = 3, star: bool = False, floor: bool = True) -> str:
    """A P value as papers print it: ``decimals`` decimals, ``<0.001`` below the printed precision.

    Parameters
    ----------
    p : float or None
        The P value; None or a non-finite value prints as an empty cell.
    decimals : int
        Decimals printed.
    star : bool
        Append ``*`` when P < 0.05 (Table 1's convention).
    floor : bool
        Print ``<0.001`` below the precision (``False`` rounds instead, as some papers do: 0.00058 -> 0.001).

    Returns
    -------
    str
        The printed P.

    Notes
    -----
    With d decimals the smallest printable P is u = 10^-d: P < u prints ``<u`` (the ``eps`` rule of R's
    ``format.pval``), otherwise P rounded to d decimals (Python's correctly rounded formatting of the binary
    value, which R's ``sprintf("%.3f", p)`` gives too).

    References
    ----------
    Lang TA, Altman DG (2013) Basic statistical reporting for articles published in biomedical journals:
    the SAMPL guidelines. In: Smart P et al. (eds) Science Editors' Handbook. EASE.

    Examples
    --------
    >>> format_p(0.0312), format_p(0.0312, star=True), format_p(0.00058), format_p(0.00058, floor=False)
    ('0.031', '0.031*', '<0.001', '0.001')
    >>> format_p(float("nan")), format_p(0.2, decimals=2)
    ('', '0.20')
    """
    if p is None or not math.isfinite(p):
        return ""
    smallest = 10 ** -decimals
    text = f"<{smallest:.{decimals}f}" if floor and p < smallest else f"{p:.{decimals}f}"
    return text + ("*" if star and p < 0.05 else "")
