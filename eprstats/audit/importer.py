"""``import_paper(path)``: a DRAFT audit folder (docs/audit.md) read from a paper's text or PDF.

Tables given as delimited text or one cell per line become ``published_table1.csv`` (counts and P values),
``published_table1_percent.csv``, ``published_table2.csv`` and ``published_table3.csv``; the running text's
numbers become ``claims.csv`` (each with its model and cohort as its sentence names them, and its line),
``cohorts.csv`` (every printed cohort size) and ``binary_models.csv``; whatever could not be placed is listed
in ``unplaced.csv`` with its line, for a person to finish. Every row is a draft: check it against the paper.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..errors import InputError, MissingDependencyError
from ..results import Result, Table, tidy_frame
from .importer_claims import Context, Found, read_orders, read_p_values, read_significance, read_values
from .importer_cells import frames as cell_frames, from_grid, place_tables, text_unplaced, to_grid
from .importer_legacy import keep_readable
from .importer_counts import image_types, read_binary, read_features, read_percents, read_sizes
from .importer_tables import find_grids, read_grid
from .importer_text import Vocabulary, definitions, paragraphs, sentences
from .readers.files import read_file

#: file -> columns, in the order ``write`` writes them (the audit schema, plus ``line`` where a row has one)
COLUMNS = {
    "cohorts": ("where", "cohort", "n", "events", "nonevents"),
    "published_table1": ("variable", "level", "train_non_epr", "train_epr", "external_non_epr", "external_epr",
                         "p_train", "p_external", "p_between_cohorts"),
    "published_table1_percent": ("variable", "level", "train_non_epr", "train_epr", "external_non_epr",
                                 "external_epr"),
    "published_table2": ("model", "cohort", "auc", "auc_ci_low", "auc_ci_high", "sensitivity", "specificity"),
    "published_table3": ("term", "beta", "odds_ratio", "or_ci_low", "or_ci_high", "p"),
    "claims": ("where", "quantity", "value", "numerator", "denominator", "quote", "line"),
    "binary_models": ("model", "variable", "positive_level", "where"),
    "unplaced": ("line", "kind", "text", "reason"),
}
_ALPHA = re.compile(r"significan\w*\s+(?:level\s+)?(?:was\s+|is\s+)?(?:set\s+at|defined\s+as|considered(?:\s+at)?)"
                    r"\s*(?:a\s+)?(?:two-sided\s+)?[Pp]?\s*(?:<|≤|<=)\s*(0?\.\d+)", re.I)


@dataclass(frozen=True, repr=False, eq=False)
class ImportedPaper(Result):
    """A draft audit folder read from a paper: ``frames`` maps each file's stem (``claims``, ``cohorts``,
    ``published_table2``..., ``unplaced``) to its DataFrame of text cells; tables the paper lacks are absent."""

    analysis = "audit-import"

    frames: dict
    source: str
    settings: dict

    @property
    def inputs(self) -> tuple:
        return (Path(self.source),)

    def table_files(self) -> list[Table]:
        return [Table(name, frame, publication=False) for name, frame in self.frames.items()
                if len(frame) or name not in ("claims", "cohorts", "binary_models", "cells", "unplaced")]

    def summary(self) -> str:
        """One line: what was read, and how much is left to place by hand."""
        f = self.frames
        parts = [f"{name.replace('published_', '').replace('table', 'Table ')} ({len(f[name])} rows)"
                 for name in ("published_table1", "published_table2", "published_table3") if name in f]
        parts += [f"{len(f['claims'])} claims", f"{len(f['cohorts'])} cohort sizes"]
        if "binary_models" in f:
            k = len(f["binary_models"])
            parts.append(f"{k} binary model{'s' if k != 1 else ''}")
        text_left = int((f["unplaced"]["kind"] != "table").sum()) if len(f["unplaced"]) else 0
        return (f"audit-import {Path(self.source).name}: " + ", ".join(parts)
                + f"; {text_left} numbers of the text not placed" + (" (unplaced.csv)" if text_left else "")
                + ". A draft: check every row.\n"
                + self.accounting())

    def accounting(self) -> str:
        """The one line that says how much of the tables was placed: every number is in cells.csv or
        unplaced.csv, every table in tables.csv."""
        t = self.frames["tables"]
        n, k = int(t["numbers"].astype(int).sum()) if len(t) else 0, int(t["placed"].astype(int).sum()) if len(t) else 0
        # unplaced.csv is written only when it has a row (ImportedPaper.tables): name it only then
        return f"placed {k} of {n} numbers from {len(t)} tables; {n - k} unplaced" + (" (see unplaced.csv)" if n - k else "")

    def tidy(self):
        """Every number placed, one row each: ``table`` the file's stem, ``row`` its label (the variable and
        level, model, term, quantity or where), ``column``, ``statistic``, ``value`` (the printed number, a
        percentage in percent; ``printed`` text in the files), ``ci_low`` / ``ci_high`` for a claim's CI."""
        rows = []
        for name, frame in self.frames.items():
            if name in ("unplaced", "cells", "tables"):
                continue
            for rec in frame.to_dict("records"):
                rows += _tidy_rows(self.analysis, name, rec)
        return tidy_frame(rows)


def _number(text) -> float | None:
    m = re.search(r"-?\d*\.?\d+", str(text or ""))
    return float(m.group(0)) if m else None


def _tidy_rows(analysis: str, name: str, rec: dict) -> list[dict]:
    if name == "claims":
        kind, *parts = rec["quantity"].split(":")
        m = re.match(r"\s*(\S+)\s*\(\s*(\S+?)\s*-\s*(\S+)\s*\)", rec["value"])
        est, lo, hi = (m.groups() if m else (rec["value"], None, None))
        cohort = parts[-1] if kind in ("auc", "sensitivity", "specificity", "p_table1", "delong_p", "order",
                                       "event_rate") else None
        return [{"analysis": analysis, "table": name, "row": rec["quantity"], "column": "value", "statistic": kind,
                 "model": parts[0] if kind in ("auc", "sensitivity", "specificity") else None, "cohort": cohort,
                 "value": _number(est), "ci_low": _number(lo), "ci_high": _number(hi)}] if kind != "order" else []
    label = {"published_table2": "model", "published_table3": "term", "cohorts": "where",
             "binary_models": "model"}.get(name)
    row = f"{rec['variable']}: {rec['level']}" if "variable" in rec and "level" in rec else rec.get(label)
    out = []
    for column, text in rec.items():
        if column in ("variable", "level", "model", "cohort", "term", "where", "line", "positive_level") or \
                _number(text) is None:
            continue
        out.append({"analysis": analysis, "table": name, "row": row, "column": column, "statistic": column,
                    "model": rec.get("model"), "cohort": rec.get("cohort"), "value": _number(text)})
    return out


def read_text(path) -> str:
    """The paper's text: a text file as it is (UTF-8), a PDF's pages through pdfplumber."""
    path = Path(path)
    if not path.is_file():
        raise InputError("the paper does not exist or is not a file", "give the paper's text (.txt) or PDF",
                         file=str(path))
    if path.suffix.lower() == ".pdf":
        try:
            import pdfplumber
        except ImportError:
            raise MissingDependencyError("reading a PDF needs pdfplumber, which is not installed",
                                         "pip install 'eprstats[audit]' (or pip install pdfplumber), or give the "
                                         "paper's text as a .txt file", file=str(path)) from None
        try:
            with pdfplumber.open(path) as pdf:
                return "\n\n".join(page.extract_text() or "" for page in pdf.pages)
        except Exception as exc:  # pdfminer raises many types for a damaged file
            raise InputError(f"the PDF could not be read ({type(exc).__name__}: {exc})",
                             "check that it is a PDF with a text layer, or give the paper's text as .txt",
                             file=str(path)) from None
    try:
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"the paper is not UTF-8 text (byte {exc.start})", "save it as UTF-8 text, or give the PDF",
                         file=str(path)) from None


def _vocabulary(text: str, tables: dict) -> Vocabulary:
    t1, t2, t3 = (tables.get(k) for k in ("table1", "table2", "table3"))
    models = tuple(dict.fromkeys(r["model"] for r in t2.rows)) if t2 else ()
    cohorts = tuple(dict.fromkeys(r["cohort"] for r in t2.rows)) if t2 else ("training", "external")
    vocab = Vocabulary(models=models, cohorts=tuple(c for c in cohorts if c in ("training", "external")) or cohorts,
                       terms=tuple(r["term"] for r in t3.rows) if t3 else (),
                       variables=tuple(dict.fromkeys(r["variable"] for r in t1.rows)) if t1 else (),
                       outcome=t1.groups if t1 else None)
    vocab.aliases, _ = definitions(text, models)
    return vocab


def _levels(t1) -> dict:
    levels: dict[str, list] = {}
    for r in (t1.rows if t1 else []):
        levels.setdefault(r["variable"], []).append(r["level"])
    return levels


def draft_frames(text: str, read_tables=(), source: str = "paper") -> dict:
    """The draft folder's tables (file stem -> DataFrame) read from a paper's text and the tables a reader
    found in its page / XML / PDF / DOCX (``read_tables``): :func:`import_paper`'s work without the files.

    Every number of every table goes to ``cells`` or ``unplaced`` (with the reason), every table to ``tables``;
    the tables that have the seed schema's shape also become ``published_table1/2/3`` as before."""
    lines = text.replace("\xa0", " ").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    grids, taken = find_grids(lines)
    all_tables = list(read_tables) + [from_grid(g, source, lines) for g in grids]
    cells, cells_unplaced, listed = place_tables(all_tables)
    tables, found, legacy = {}, Found(), {}
    for k, grid in enumerate([to_grid(t) for t in read_tables] + grids):
        placed = read_grid(grid)          # its unplaced cells are the cells' business now (unplaced.csv)
        if placed.kind and placed.kind not in tables:
            tables[placed.kind] = placed
            legacy[placed.kind] = listed[k]     # the same table's tables.csv row (place_tables keeps the order)
            for cohort, n, where, line in placed.sizes:
                found.cohorts.append({"where": where, "cohort": cohort, "n": n, "events": "", "nonevents": "",
                                      "line": line})
    full = "\n".join(lines)
    vocab = _vocabulary(full, tables)
    levels = _levels(tables.get("table1"))
    alpha = (_ALPHA.search(full).group(1) if _ALPHA.search(full) else "0.05")
    for p in paragraphs(lines, taken):
        last_free, types = None, image_types(p.text)
        for s in sentences(p):
            ctx = Context(s, vocab, found, last_free)
            read_sizes(ctx)
            read_values(ctx)
            read_p_values(ctx)
            read_significance(ctx, alpha)
            read_percents(ctx)
            read_features(ctx, types)
            read_orders(ctx)
            read_binary(ctx, levels)
            for n in ctx.nums:
                if not n.used and n.kind in ("ci", "p", "size"):
                    ctx.unplaced(n.start, {"ci": "estimate with CI"}.get(n.kind, n.kind), n.text,
                                 "its sentence names no statistic, model or cohort it could belong to")
            free = [c for c in ctx.cohorts if not c.attached]
            last_free = free[-1].names if free else last_free
    frames = {}
    if "table1" in tables:
        frames["published_table1"] = pd.DataFrame(tables["table1"].rows, columns=COLUMNS["published_table1"])
        frames["published_table1_percent"] = pd.DataFrame(tables["table1"].percent_rows,
                                                          columns=COLUMNS["published_table1_percent"])
    for kind in ("table2", "table3"):
        if kind in tables:
            frames[f"published_{kind}"] = pd.DataFrame(tables[kind].rows, columns=COLUMNS[f"published_{kind}"]).fillna("")
    cohorts = sorted(found.cohorts, key=lambda r: r["line"])
    frames["cohorts"] = pd.DataFrame(cohorts, columns=COLUMNS["cohorts"])
    frames["claims"] = pd.DataFrame([c.__dict__ for c in _unique(found.claims)], columns=COLUMNS["claims"])
    if found.binary:
        frames["binary_models"] = pd.DataFrame([(m, v, lv, "; ".join(w)) for (m, v, lv), w in found.binary.items()],
                                               columns=COLUMNS["binary_models"])
    text_left = [text_unplaced(*u) for u in sorted(set(found.unplaced))]
    frames.update(cell_frames(cells, cells_unplaced + text_left, listed))
    frames, moved = keep_readable(frames, legacy, text_unplaced)
    frames.update(cell_frames(cells, cells_unplaced + text_left + moved, listed))
    return frames


def _unique(claims: list) -> list:
    seen, out = set(), []
    for c in claims:
        key = (c.quantity, c.value, c.line)
        if key not in seen:
            seen.add(key)
            out.append(c)
    return out


def import_paper(path, out=None) -> ImportedPaper:
    """Read a paper's text (``.txt``) or PDF (``.pdf``, with pdfplumber) into a draft audit folder.

    Tables: delimited text (CSV, TSV, ``;``, Markdown / pipe tables, columns spaced apart) or one cell per
    line, read into Table 1 (counts ``k (p%)`` per outcome group and cohort, P values), Table 2 (AUC with its
    CI, sensitivity, specificity per model and cohort) and Table 3 (beta, OR with its CI, P per term). Text:
    AUCs with CIs in the forms papers print (``0.751 (95% CI, 0.659-0.843)``, ``0.802 (0.717-0.887)``,
    ``95%CI: a-b``, en dashes), P values (``P = 0.031``, ``P<0.05``), cohort sizes and event rates
    (``n=114``, ``40.3% (n=46)``), ORs with CIs, sensitivities and specificities, feature counts, and
    "A did better than B" statements, each with the model and cohort its sentence names (the rules are in
    :mod:`eprstats.audit.importer_claims` and docs/audit.md) and the line it came from. Whatever could not be
    placed goes to ``unplaced.csv``. There is no formula and no R function behind it: it is pattern matching,
    and its output is a draft to check against the paper before :func:`eprstats.audit.audit` reads it.

    Measured on the seed paper (docs/audit.md): every AUC, CI and P row of its hand-made claims.csv and every
    cell of its hand-made tables recovered, and the audit of the imported folder finds the same discrepancies.

    Example::

        >>> from eprstats.audit import import_paper, audit
        >>> draft = import_paper("paper.txt", out="paper_audit")    # doctest: +SKIP
        >>> print(draft.summary())                                   # doctest: +SKIP
        >>> audit("paper_audit").findings()                          # doctest: +SKIP

    Reference: the audit folder's schema, docs/audit.md.
    """
    path = Path(path)
    read_tables, text, reader = read_file(path)
    frames = draft_frames(text, read_tables, path.name)
    result = ImportedPaper(frames, str(path), {"paper": str(path), "reader": reader})
    if out is not None:
        result.write(out)
    return result
