"""Extract a whole cohort: parallel across patients (joblib) or on a Dask cluster, cached, never losing work.

One *case* is one patient: every image of the patient is read once and all its ROIs are extracted together
(:func:`~.extract.extract_features` shares resampling and filtering). Each finished case is written to the
per-case cache at once (atomically), so a run that is killed loses only the cases in progress; a rerun skips
the cached ones. A case that fails is recorded with the patient and the error; the others continue, and the
run ends with :class:`~eprstats.errors.PartialFailure` (exit code 4) after writing every table it can and a
failures CSV. On a Dask cluster the workers only extract: this process reads and writes the cache (the workers
need not see the output folder) and takes the results in the cases' order.

Outputs in ``out_dir``:

* ``features_<ROI>.parquet`` / ``.csv``: one row per patient (column ``id``), one column per feature, in
  pyradiomics' order;
* ``diagnostics.parquet`` / ``.csv``: pyradiomics' ``diagnostics_*`` provenance in long form
  (``id, roi, item, value``);
* ``failures.csv`` (only when some case failed): ``id, error``;
* ``cache/``: one JSON file per patient; ``extraction.provenance.json``.
"""
from __future__ import annotations

import os
import re
import sys
import time
from pathlib import Path
from typing import Iterable

from ..cluster import in_order, task_key
from ..errors import InputError, PartialFailure
from ..fileio import OutputWriteError, read_csv, write_csv
from ..paths import check_unique_components
from .cache import CaseCache, recorded_warnings, replay_warnings
# one case, as a worker runs it (its own module, which loads no pandas); Case, RoiSpec and run_case are this
# module's API too
from .case import (Case, RoiSpec, _cache_entry, _failure, extract_case_remote, release_freed_memory,  # noqa: F401
                   run_case)
from .params import Settings, load_settings

# pandas (with pyarrow, about 75 MB resident) is imported only where a table is read or written through it: with
# --jobs 1 this process extracts the features too, and a plain cases CSV (_plain_table) is read without it, so
# the extraction's peak memory does not carry it (issue #25). tables.py (pyarrow, and pandas for unusual tables)
# is imported when the tables are written, and CohortResult (this module's API too) is looked up there on use.


def __getattr__(name):
    if name == "CohortResult":
        from .tables import CohortResult
        return CohortResult
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# --- inputs -------------------------------------------------------------------------------------------------

def cases_from_rows(rows, root=None) -> list[Case]:
    """Cases from a simple table: columns ``id, image, mask`` and optionally ``roi`` and ``label``.

    Each row is one ROI; rows of one id form one case. ``roi`` defaults to ``roi`` (one ROI per patient).
    Relative paths are relative to ``root`` (the CSV's folder).
    """
    if isinstance(rows, (str, os.PathLike)):
        path = Path(rows)
        root = path.parent if root is None else root
        plain = _plain_table(path)
        if plain is not None:  # the same cases as pandas' reading below, without importing pandas
            return _cases_from_plain(plain, root, str(path))
    import pandas as pd
    if isinstance(rows, (str, os.PathLike)):
        frame = read_csv(path, "extraction table")
        where = str(path)
    else:
        frame = pd.DataFrame(rows)
        where = "rows"
    missing = [c for c in ("id", "image", "mask") if c not in frame.columns]
    if missing:
        raise InputError(f"the extraction table lacks the column(s) {missing}",
                         "give columns id,image,mask (and optionally roi,label)", file=where)
    frame = frame.copy()
    if "roi" not in frame.columns:
        frame["roi"] = "roi"
    frame["id"] = frame["id"].astype(str)
    dup = frame[frame.duplicated(["id", "roi"], keep=False)]
    if not dup.empty:
        _refuse_duplicate(dup["id"].iloc[0], dup["roi"].iloc[0], where)
    # ids and ROI names become cache and table file names: two that collide as file names are refused here
    check_unique_components(frame["id"].unique())
    check_unique_components(frame["roi"].astype(str).unique(), "ROI name")
    resolve = _resolver(root)
    cases = []
    for patient, group in frame.groupby("id", sort=False):
        rois = []
        for _, row in group.iterrows():
            label = row.get("label")
            label = None if label is None or pd.isna(label) else int(label)
            rois.append(RoiSpec(roi=str(row["roi"]), image=resolve(row["image"]), mask=resolve(row["mask"]),
                                label=label))
        cases.append(Case(str(patient), rois))
    return cases


def _refuse_duplicate(patient, roi, where):
    raise InputError(f"patient {patient!r} has ROI {roi!r} more than once",
                     "give each ROI of a patient a distinct name in the roi column", patient=patient, file=where)


def _resolver(root):
    root = Path(root) if root is not None else Path.cwd()

    def resolve(p):
        p = Path(str(p)).expanduser()
        return str(p if p.is_absolute() else root / p)
    return resolve


#: pandas' default missing-value texts (pandas._libs.parsers.STR_NA_VALUES; tested equal) and the texts it reads
#: as booleans: a cell holding one is not plain text
_NOT_TEXT = {"", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN", "<NA>",
             "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null", "true", "false"}
_LABEL = re.compile(r"[+-]?[0-9]{1,15}")


def _is_text(cell: str) -> bool:
    """A cell that pandas certainly keeps as this very text: no number, missing value or boolean."""
    if (cell.lower() in _NOT_TEXT or cell in _NOT_TEXT or cell != cell.strip()
            or not cell.strip("0123456789+-.eE")):
        return False
    try:
        float(cell)
    except ValueError:
        return True
    return False


def _plain_table(path: Path) -> dict | None:
    """The columns of a plain cases CSV (comma-separated, no quotes, one field per header name on every row,
    id/roi/image/mask plain text, labels whole numbers or empty) as lists of text; None for any other file,
    which pandas reads (with the errors :func:`~eprstats.fileio.read_csv` gives)."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    text = text.replace("\r\n", "\n")
    if '"' in text or "\r" in text:
        return None
    lines = text[:-1].split("\n") if text.endswith("\n") else text.split("\n")
    header = [h.strip() for h in lines[0].split(",")]
    if (lines[0].count(";") > lines[0].count(",") or len(lines) < 2 or "" in header
            or len(set(header)) != len(header) or not {"id", "image", "mask"} <= set(header)):
        return None
    cells = [line.split(",") for line in lines[1:]]
    if any(len(row) != len(header) or not line.strip() for row, line in zip(cells, lines[1:])):
        return None
    table = {h: [row[k] for row in cells] for k, h in enumerate(header)}
    if not all(_is_text(c) for h in ("id", "roi", "image", "mask") for c in table.get(h, ())):
        return None
    if not all(c == "" or _LABEL.fullmatch(c) for c in table.get("label", ())):
        return None
    return table


def _cases_from_plain(table: dict, root, where: str) -> list[Case]:
    """:func:`cases_from_rows`' cases and errors for a :func:`_plain_table`."""
    ids = table["id"]
    rois = table.get("roi") or ["roi"] * len(ids)
    labels = table.get("label") or [""] * len(ids)
    count: dict = {}
    for pair in zip(ids, rois):
        count[pair] = count.get(pair, 0) + 1
    for pair in zip(ids, rois):
        if count[pair] > 1:
            _refuse_duplicate(pair[0], pair[1], where)
    check_unique_components(list(dict.fromkeys(ids)))
    check_unique_components(list(dict.fromkeys(rois)), "ROI name")
    resolve = _resolver(root)
    by_patient: dict = {}
    for patient, roi, image, mask, label in zip(ids, rois, table["image"], table["mask"], labels):
        by_patient.setdefault(patient, []).append(
            RoiSpec(roi=roi, image=resolve(image), mask=resolve(mask), label=int(label) if label else None))
    return [Case(patient, specs) for patient, specs in by_patient.items()]


def cases_from_study(study, ring_phases=None) -> list[Case]:
    """Cases from a loaded study (:func:`eprstats.cohort.study.load_study`).

    Each phase gives its tumour ROI (``<PHASE>_tumour``); the phases in ``ring_phases`` (study key
    ``ring_phases``, default PVP as in the paper) also give ``<PHASE>_ring`` and ``<PHASE>_plus``. Images are
    resampled to the study's ``spacing`` (linear) and ROIs derived by :mod:`eprstats.segmentation`.
    """
    phases = list(study.phases)
    if ring_phases is None:
        ring_phases = list(study.settings.ring_phases) or (["PVP"] if "PVP" in phases else phases[:1])
    derive = {"spacing": list(study.settings.spacing), "ring_mm": study.settings.ring_mm}
    tolerance = study.settings.geometry_tolerance
    if tolerance != 1e-3:  # only when set, so that the default keeps the cache keys of earlier runs
        derive["geometry_tolerance"] = tolerance
    cases = []
    for patient in study.patients:
        row = study.row(patient)
        rois = []
        for phase in phases:
            image = study.image(row, phase)
            mask = study.mask(row, phase)
            if image is None or mask is None:
                continue
            liver = study.mask(row, phase, "liver_mask")
            kinds = ["tumour", "ring", "plus"] if phase in ring_phases else ["tumour"]
            for kind in kinds:
                rois.append(RoiSpec(roi=f"{phase}_{kind}", image=str(image.path), mask=str(mask.path),
                                    label=mask.label, segment=mask.segment, image_series=image.series_uid,
                                    derive=kind, liver=str(liver.path) if liver else None))
        cases.append(Case(str(patient), rois, derive))
    return cases


# --- the cohort ---------------------------------------------------------------------------------------------

def _progress(total: int, show: bool):
    if not show:  # no bar: tqdm (30 ms of the command's start) is not imported for a disabled one
        return _NoBar()
    from tqdm.auto import tqdm
    return tqdm(total=total, unit="case", desc="pyradiomics", smoothing=0.1)


class _NoBar:
    """What a disabled tqdm bar does: nothing, except ``write``, which prints as ``tqdm.write`` does."""

    def update(self, n=1):
        pass

    def close(self):
        pass

    @staticmethod
    def write(text):
        sys.stdout.write(text)
        sys.stdout.write("\n")


def _run_joblib(cases, settings, cache_dir, n_jobs, bar) -> Iterable[dict]:
    if n_jobs == 1:
        for case in cases:
            yield run_case(case, settings, cache_dir)
        return
    from joblib import Parallel, delayed
    # joblib's loky workers limit BLAS/OpenMP threads to cores // n_jobs, so workers do not oversubscribe.
    with Parallel(n_jobs=n_jobs, return_as="generator_unordered", batch_size=1,
                  prefer="processes") as parallel:
        yield from parallel(delayed(run_case)(c, settings, cache_dir) for c in cases)


def _run_dask(cases, settings, cache_dir, scheduler) -> Iterable[dict]:
    """The cases on a Dask cluster: cached cases are read here, the others extracted on the workers, each
    stored here (only the client writes) in the cases' order as its result arrives."""
    from dask.distributed import Client

    own = not isinstance(scheduler, Client)
    try:
        client = Client(scheduler, set_as_default=False) if own else scheduler
    except Exception as exc:
        raise InputError(f"could not connect to the Dask scheduler {scheduler!r} ({exc})",
                         "check the address (tcp://host:port) and that the scheduler is running") from None
    cache = CaseCache(cache_dir)
    try:
        todo, keys, futures, token = [], {}, [], task_key("handcrafted")
        for case in cases:
            started = time.perf_counter()
            with recorded_warnings() as warned:
                try:
                    keys[case.patient], entry = _cache_entry(case, settings, cache)
                    rec = None
                    if entry is not None:
                        replay_warnings(entry["warnings"])
                        rec = {"patient": case.patient, "status": "cached", "key": keys[case.patient]}
                except Exception as exc:
                    rec = _failure(case, exc)
            if rec is None:  # submitted at once: the workers start while later cases are hashed here
                futures.append(client.submit(extract_case_remote, case, settings, key=f"{token}-{len(todo)}",
                                             pure=False))
                todo.append(case)
            else:
                yield rec | {"warnings": warned, "seconds": time.perf_counter() - started}
        for case, rec in zip(todo, in_order(client, futures, [c.patient for c in todo], errors="return")):
            if isinstance(rec, BaseException):  # the case's workers died (Dask already rescheduled it twice)
                rec = _failure(case, rec)
            elif rec["status"] == "computed":
                cache.store(case.patient, keys[case.patient], rec.pop("features"), rec.pop("diagnostics"),
                            rec.pop("computed"))
                rec["key"] = keys[case.patient]
            yield rec
    finally:
        if own:
            client.close()


def extract_cohort(cases, out_dir, *, settings: Settings | str | os.PathLike | None = None, n_jobs: int = 2,
                   scheduler=None, progress: bool = True, raise_on_failure: bool = True) -> CohortResult:
    """pyradiomics features of a whole cohort, in parallel, cached per case, written as tidy tables.

    Parameters
    ----------
    cases : Study, path to a CSV, DataFrame or list of :class:`Case`
        A loaded study (tumour ROI per phase, ring and plus on PVP), or a table with columns
        ``id, image, mask[, roi][, label]``.
    out_dir : path
        Output folder (tables, ``cache/``, ``failures.csv``).
    settings : Settings or path, optional
        pyradiomics parameter file; the paper's settings by default.
    n_jobs : int
        Worker processes on this machine (joblib); ignored when ``scheduler`` is given.
    scheduler : str or dask.distributed.Client, optional
        Dask scheduler address (``tcp://host:8786``) or client: run the cases on that cluster.

    Returns
    -------
    CohortResult

    Raises
    ------
    PartialFailure
        When some cases failed (after writing the tables of the others and ``failures.csv``).
    InputError
        When every case failed (only ``failures.csv`` is written).
    """
    out_dir = Path(out_dir)
    if not isinstance(settings, Settings):
        settings = load_settings(settings)
    # a DataFrame exists only once pandas is imported: looked up, not imported, for a list of cases
    frame_type = getattr(sys.modules.get("pandas"), "DataFrame", ())
    if isinstance(cases, (str, os.PathLike)) or isinstance(cases, frame_type):
        cases = cases_from_rows(cases)
    elif hasattr(cases, "manifest") and hasattr(cases, "phases"):
        cases = cases_from_study(cases)
    cases = list(cases)
    if not cases:
        raise InputError("there are no cases to extract", "check the manifest has rows")
    if n_jobs < 1:
        raise InputError(f"--jobs must be at least 1 (got {n_jobs})", "give a positive number of workers")
    cache_dir = out_dir / "cache"
    cache_dir.mkdir(parents=True, exist_ok=True)

    records = []
    bar = _progress(len(cases), progress)
    try:
        runner = (_run_dask(cases, settings, cache_dir, scheduler) if scheduler is not None
                  else _run_joblib(cases, settings, cache_dir, n_jobs, bar))
        for rec in runner:
            if rec.get("write_error"):  # the cases extracted so far are in the cache; a rerun resumes there
                w = rec["write_error"]
                reason = os.strerror(w["errno"]) if w["errno"] else "the output could not be written"
                raise OutputWriteError(w["file"], OSError(w["errno"], reason))
            records.append(rec)
            bar.update(1)
            if rec["status"] == "failed":
                bar.write(f"failed: patient {rec['patient']!r}: {rec['error']}")
    finally:
        bar.close()
    # The cases' warnings (computed now, or when a cached case was computed), in the cases' order: a resumed
    # or parallel run shows the same warnings, in the same order, as an uninterrupted one.
    order = {c.patient: k for k, c in enumerate(cases)}
    for rec in sorted(records, key=lambda r: order.get(r["patient"], len(order))):
        replay_warnings(rec.get("warnings"))

    if raise_on_failure and records and all(r["status"] == "failed" for r in records):
        # Nothing to tabulate: write the failure report only, no empty tables that look like a finished run.
        order = {c.patient: k for k, c in enumerate(cases)}
        failed = sorted(records, key=lambda r: order.get(r["patient"], len(order)))
        import pandas as pd
        write_csv(out_dir / "failures.csv", pd.DataFrame([{"id": r["patient"], "error": r["error"]} for r in failed],
                                                         columns=["id", "error"]))
        raise InputError(f"none of the {len(cases)} cases could be extracted (first: patient "
                         f"{failed[0]['patient']!r}: {failed[0]['error']})",
                         f"see {out_dir / 'failures.csv'}, fix those inputs and rerun")
    release_freed_memory()  # the tables are built on what the extraction freed, not on top of it
    from .tables import assemble_tables  # pandas and pyarrow load here, after the extraction (see the top)
    result = assemble_tables(cases, settings, cache_dir, out_dir, records)
    if raise_on_failure and result.failed:
        first = result.failed[0]
        raise PartialFailure(
            f"{len(result.failed)} of {len(cases)} cases failed (first: patient {first['id']!r}: "
            f"{first['error']}); the other {len(cases) - len(result.failed)} were written to {out_dir}",
            f"see {out_dir / 'failures.csv'}, fix those inputs and rerun: finished cases are not recomputed")
    return result
