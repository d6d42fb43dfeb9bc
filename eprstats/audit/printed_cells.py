"""A printed cell as a number: the pieces the cell checks (:mod:`.cell_checks`) and Table 1's cell checks
(:mod:`.table1_cells`) share, kept below both so that neither imports the other back."""
from __future__ import annotations

import re

from .cells import PATH_SEP, Cell
from .schema import Printed
from .verdicts import number


def printed(cell: Cell, *, proportion: bool = False) -> Printed:
    """A cell as a :class:`Printed` number; ``proportion``: a rate printed as a percentage (71.7) becomes the
    proportion with two more decimals (0.717)."""
    below, above = cell.bound in ("<", "<="), cell.bound in (">", ">=")
    text = f"{cell.bound}{cell.value:.{cell.decimals}f}"
    if proportion and is_percent(cell):
        return Printed(text + "%", cell.value / 100, cell.decimals + 2, below=below, above=above)
    return Printed(text, cell.value, cell.decimals, below=below, above=above)


def is_percent(cell: Cell) -> bool:
    """A rate printed on the percent scale: a value above 1, a % sign right after the number, or a header
    ``(%)`` / ``%`` (not the ``95%`` of "95% CI")."""
    if cell.value > 1:
        return True
    shown = f"{cell.value:.{cell.decimals}f}".lstrip("0") or "0"
    if re.search(re.escape(shown) + r"\s*%", cell.text):
        return True
    return any(re.search(r"(?<![\d.])%|\(%\)", h) for h in cell.col_path + cell.row_path)


def cell_number(cell: Cell, p: Printed | None = None, ci=None) -> dict:
    return number(cell.table, PATH_SEP.join(cell.col_path), p or printed(cell), row=PATH_SEP.join(cell.row_path),
                  model=cell.model or None, cohort=cell.cohort or None, statistic=cell.role, ci=ci)
