"""#21: no wrong table from a plausible input, third round.

Text outcomes (the event is named or the input refused: labels never decide it), predicted probabilities of
exactly 0 or 1 (one rule in calibration, NRI/IDI and DCA), paths and scheduler addresses checked before any
work, and messages that name the cause (threshold order, decimal commas, column names with commas, R's errors
in Table 1, an intensity range too wide for the bin width). Every expected number is counted here from the
input (pandas, numpy), never taken from eprstats; every expected word is what the case built.
"""
from __future__ import annotations

import socket
import time

import numpy as np
import pandas as pd
import pytest

from tests.robustness.corpus import assert_clean_failure, error_paragraph, patients


def scored(seed=21) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    data = patients(seed=seed)
    y = data["EPR"].to_numpy()
    data["score"] = y + rng.normal(size=len(y))
    data["p_old"] = 1 / (1 + np.exp(-(0.5 * y + rng.normal(size=len(y)) - 0.25)))
    data["p_new"] = 1 / (1 + np.exp(-(data["score"] - 0.5)))
    data["EPR_text"] = np.where(y == 1, "EPR", "Non-EPR")
    return data


def _write(tmp_path, frame, name="table.csv", **kw):
    path = tmp_path / name
    frame.to_csv(path, index=False, **kw)
    return path


# ------------------------------------------------------------------------------------------------ outcomes
def test_table1_text_outcome_with_event_puts_each_patient_under_its_own_header(tmp_path, run_cli, tried, r):
    """The #21 case: EPR/Non-EPR with --outcome-labels Non-EPR,EPR put the 46 EPR patients under 'Non-EPR'."""
    data = scored()
    path = _write(tmp_path, data.drop(columns=["EPR"]))
    code, _, err = run_cli("table1", path, "--outcome", "EPR_text", "--event", "EPR", "--cohort-col", "cohort",
                           "--variables", "AFP", "--outcome-labels", "Non-EPR,EPR", "--out", tmp_path / "t")
    tried("table1: text outcome with --event")
    assert code == 0, err
    header = pd.read_csv(tmp_path / "t.csv").columns.tolist()
    for cohort in ("training", "external"):
        rows = data[data["cohort"] == cohort]
        n_epr, n_non = int((rows["EPR_text"] == "EPR").sum()), int((rows["EPR_text"] == "Non-EPR").sum())
        assert f"{cohort} EPR (n={n_epr})" in header and f"{cohort} Non-EPR (n={n_non})" in header, header
        # the AFP=1 count under the EPR header is the EPR patients' count
        n_afp = int(((rows["EPR_text"] == "EPR") & (rows["AFP"] == 1)).sum())
        table = pd.read_csv(tmp_path / "t.csv", dtype=str)
        assert table.loc[table["Level"] == "1", f"{cohort} EPR (n={n_epr})"].iloc[0].startswith(f"{n_afp} (")


TEXT_OUTCOME = {
    "table1": ["--cohort-col", "cohort", "--variables", "AFP", "--outcome-labels", "Non-EPR,EPR"],
    "roc": ["--scores", "score", "--no-figures"],
    "fit": ["--predictors", "age", "--no-figures"],
    "calibration": ["--predictors", "age", "--B", "20", "--no-figures"],
    "nri": ["--old", "p_old", "--new", "p_new"],
    "dca": ["--models", "p_new", "--no-figures"],
    "select": ["--id", "id", "--seed", "7", "--features", "age,score", "--no-figures"],
}


@pytest.mark.parametrize("command", list(TEXT_OUTCOME))
def test_text_outcome_without_event_is_refused_by_every_command(command, tmp_path, run_cli, tried, r):
    path = _write(tmp_path, scored())
    code, _, err = run_cli(command, path, "--outcome", "EPR_text", *TEXT_OUTCOME[command], "--out",
                           tmp_path / "out")
    tried(f"{command}: text outcome without --event")
    assert_clean_failure(code, error_paragraph(err), tmp_path / "out", ["'EPR_text'", "['EPR', 'Non-EPR']",
                                                                        "--event"])


@pytest.mark.parametrize("event, needles", [("yes", ["'yes' does not occur", "['EPR', 'Non-EPR']"]),
                                            ("Non-EPR", None)])
def test_event_value_must_occur_and_decides_the_coding(event, needles, tmp_path, run_cli, tried, r):
    """--event Non-EPR makes Non-EPR the event: the ROC table counts those patients as events."""
    data = scored()
    path = _write(tmp_path, data)
    code, _, err = run_cli("roc", path, "--outcome", "EPR_text", "--event", event, "--scores", "score",
                           "--no-figures", "--out", tmp_path / "out")
    tried(f"roc: --event {event}")
    if needles:
        assert_clean_failure(code, error_paragraph(err), tmp_path / "out", needles)
        return
    assert code == 0, err
    roc = pd.read_csv(tmp_path / "out" / "roc.csv")
    assert int(roc["events"].iloc[0]) == int((data["EPR_text"] == "Non-EPR").sum())


def test_three_valued_outcome_with_event_is_refused(tmp_path, run_cli, tried, r):
    data = scored()
    data.loc[3, "EPR_text"] = "unknown"
    path = _write(tmp_path, data)
    code, _, err = run_cli("dca", path, "--outcome", "EPR_text", "--event", "EPR", "--models", "p_new",
                           "--no-figures", "--out", tmp_path / "out")
    tried("dca: three-valued outcome with --event")
    assert_clean_failure(code, error_paragraph(err), tmp_path / "out", ["3 values", "'unknown'"])


def test_api_event_gives_the_same_table_as_a_0_1_outcome(r):
    import eprstats as ep
    data = scored()
    coded = ep.table1(data, "EPR", ["AFP", "age"], cohort_col="cohort", outcome_labels=("Non-EPR", "EPR"))
    text = ep.table1(data.drop(columns=["EPR"]), "EPR_text", ["AFP", "age"], cohort_col="cohort",
                     outcome_labels=("Non-EPR", "EPR"), event="EPR")
    pd.testing.assert_frame_equal(coded.table, text.table)
    from eprstats.errors import InputError
    with pytest.raises(InputError, match="event="):
        ep.table1(data, "EPR_text", ["AFP"], cohort_col="cohort", outcome_labels=("Non-EPR", "EPR"))


def test_api_a_string_is_one_variable_not_its_letters(r):
    import eprstats as ep
    data = scored().rename(columns={"AFP": "Gender"})
    res = ep.table1(data, "EPR", "Gender", cohort_col="cohort")
    assert res.table["Variable"].replace("", np.nan).dropna().tolist() == ["Gender"]


# --------------------------------------------------------------------------------- probabilities 0 or 1
PROB_COMMANDS = {
    "calibration": ["--probabilities", "p_new", "--cohort-col", "cohort", "--train-cohort", "training", "--B", "20",
                    "--no-figures"],
    "nri": ["--old", "p_old", "--new", "p_new"],
    "dca": ["--models", "p_new", "--no-figures"],
}


@pytest.mark.parametrize("value", [0.0, 1.0])
@pytest.mark.parametrize("command", list(PROB_COMMANDS))
def test_probability_of_exactly_0_or_1_is_refused_alike(command, value, tmp_path, run_cli, tried, r):
    """#21: one p = 0 moved an external calibration slope from 0.27 to 2.02 without a word; now every analysis
    that takes probabilities refuses it, naming the patient's table row (row 7: the header is row 1)."""
    data = scored()
    data.loc[5, "p_new"] = value
    path = _write(tmp_path, data)
    code, _, err = run_cli(command, path, "--outcome", "EPR", *PROB_COMMANDS[command], "--out", tmp_path / "out")
    tried(f"{command}: a probability of exactly {value:g}")
    assert_clean_failure(code, error_paragraph(err), tmp_path / "out",
                         ["exactly 0 or 1", "table rows 7", "'p_new'", "clip"])


# ------------------------------------------------------------------------------------------- messages
def test_dca_thresholds_in_the_wrong_order_name_the_order(tmp_path, run_cli, tried, r):
    path = _write(tmp_path, scored())
    code, _, err = run_cli("dca", path, "--outcome", "EPR", "--models", "p_new", "--thresholds", "0.5,0.1,0.01",
                           "--no-figures", "--out", tmp_path / "out")
    tried("dca: thresholds start above stop")
    assert_clean_failure(code, error_paragraph(err), tmp_path / "out", ["start 0.5 is above the stop 0.1",
                                                                        "0.1,0.5,0.01"])


def test_api_thresholds_out_of_order(r):
    import eprstats as ep
    from eprstats.errors import InputError
    with pytest.raises(InputError, match="increasing"):
        ep.decision_curve(scored(), "EPR", ["p_new"], thresholds=[0.5, 0.1, 0.2])


@pytest.mark.parametrize("command, args, column", [
    ("table1", ["--variables", "age", "--cohort-col", "cohort"], "age"),
    ("roc", ["--scores", "score", "--no-figures"], "score"),
])
def test_decimal_commas_in_a_semicolon_file_are_named(command, args, column, tmp_path, run_cli, tried, r):
    data = scored()[["id", "cohort", "EPR", "age", "score"]]
    path = tmp_path / "european.csv"
    data.to_csv(path, index=False, sep=";", decimal=",")
    code, _, err = run_cli(command, path, "--outcome", "EPR", *args, "--out", tmp_path / "out")
    tried(f"{command}: ';'-separated file with decimal commas")
    example = f"{data[column].iloc[0]}".replace(".", ",")
    assert_clean_failure(code, error_paragraph(err), tmp_path / "out", ["decimal comma", repr(example)])


def test_column_with_a_comma_is_selected_by_quoting(tmp_path, run_cli, tried, r):
    data = scored().rename(columns={"AFP": "AFP, ng/mL"})
    path = _write(tmp_path, data)
    code, _, err = run_cli("table1", path, "--outcome", "EPR", "--variables", '"AFP, ng/mL",BCLC', "--out",
                           tmp_path / "t")
    tried("table1: a quoted column name with a comma")
    assert code == 0, err
    assert "AFP, ng/mL" in pd.read_csv(tmp_path / "t.csv")["Variable"].tolist()
    code, _, err = run_cli("table1", path, "--outcome", "EPR", "--variables", "AFP, ng/mL", "--out", tmp_path / "u")
    tried("table1: an unquoted column name with a comma")
    assert_clean_failure(code, error_paragraph(err), None, ["'AFP, ng/mL' holds a comma", "double quotes"])
    from eprstats.characteristics.cli import table1_command
    assert "double quotes" in next(p.help for p in table1_command.params if p.name == "variables")


def test_table1_spss_rule_with_a_one_patient_group_names_variable_and_cohort(tmp_path, run_cli, tried, r):
    """R's bare "not enough 'y' observations" (or its like) re-raised with the variable, cohort and rule."""
    data = scored()
    external = data.index[data["cohort"] == "external"]
    data.loc[external, "age"] = np.nan
    data.loc[external[0], "age"] = 50.0
    path = _write(tmp_path, data)
    code, _, err = run_cli("table1", path, "--outcome", "EPR", "--variables", "age", "--cohort-col", "cohort",
                           "--continuous-rule", "spss", "--out", tmp_path / "t")
    tried("table1: spss rule, a group of one patient")
    assert_clean_failure(code, error_paragraph(err), None, ["'age'", "'external'", "'spss'", "1 patient(s)"],
                         exit_code=3)


def test_mann_whitney_w_between_cohorts_names_the_group_it_counts(r):
    """W = pairs (one external, one training patient) with the larger value in the named group, ties 1/2:
    counted here with numpy."""
    import eprstats as ep
    data = scored()
    res = ep.table1(data, "EPR", ["age"], cohort_col="cohort", types={"age": "nonnormal"})
    row = res.tests[res.tests["comparison"] == "between cohorts"].iloc[0]
    first = "external" if "one external, one training" in row["method"] else "training"
    assert f"which the {first} value is the larger" in row["method"]
    a = data.loc[data["cohort"] == first, "age"].to_numpy()
    b = data.loc[data["cohort"] != first, "age"].to_numpy()
    w = (a[:, None] > b[None, :]).sum() + 0.5 * (a[:, None] == b[None, :]).sum()
    assert row["statistic"] == pytest.approx(w)


def test_yates_on_a_larger_table_is_reported_as_pearson(r):
    """R's chisq.test(correct = TRUE) corrects 2x2 tables only; on a 3x2 table the statistic is Pearson's
    (scipy's chi2_contingency without correction)."""
    from scipy import stats

    from eprstats.characteristics.tests import categorical_test
    m = [[10, 12], [11, 9], [14, 8]]
    res = categorical_test(m, "yates")
    assert res["test"] == "pearson"
    assert res["p"] == pytest.approx(stats.chi2_contingency(m, correction=False)[1], rel=1e-9)


# ------------------------------------------------------------------------------------ paths and addresses
def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def study(tmp_path):
    pytest.importorskip("SimpleITK")
    from tests.robustness.test_bad_imaging import make_study
    path, _ = make_study(tmp_path / "study", n=4)
    return path


@pytest.mark.parametrize("command", ["run", "extract"])
@pytest.mark.parametrize("address, needles", [
    ("tcp://127.0.0.1:99999", ["port", "1 to 65535"]),
    ("http://127.0.0.1:8786", ["http://", "dashboard"]),
    ("tcp://127.0.0.1", ["no port"]),
    ("ftp://127.0.0.1:8786", ["scheme 'ftp'"]),
    ("closed", ["nobody answers"]),
])
def test_scheduler_address_refused_by_name_before_work(command, address, needles, study, tmp_path, run_cli, tried):
    if address == "closed":
        address = f"tcp://127.0.0.1:{_closed_port()}"
    started = time.monotonic()
    code, out, err = run_cli(command, study, "--out", tmp_path / "out", "--scheduler", address)
    tried(f"{command}: --scheduler {address.split(':')[0]} {needles[0]}")
    assert_clean_failure(code, error_paragraph(err), tmp_path / "out", needles)
    assert time.monotonic() - started < 30
    assert not (tmp_path / "out").exists()


def test_something_else_on_the_port_is_refused_within_the_timeout(tmp_path, monkeypatch, tried):
    """A listener that never speaks Dask (a web server's port): refused within the probe's deadline, with no
    half-made Client left to print a traceback at exit."""
    import threading

    from eprstats import cluster
    from eprstats.errors import InputError
    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT", 3)
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    accepted = []
    threading.Thread(target=lambda: accepted.append(server.accept()), daemon=True).start()
    started = time.monotonic()
    try:
        with pytest.raises(InputError, match="did not answer as a Dask scheduler within 3 s"):
            cluster.connect(f"tcp://127.0.0.1:{server.getsockname()[1]}")
    finally:
        server.close()
    tried("cluster: a non-Dask listener")
    assert time.monotonic() - started < 15


OUT_COMMANDS = {
    "roc": lambda t, s: ["roc", t, "--outcome", "EPR", "--scores", "score"],
    "fit": lambda t, s: ["fit", t, "--outcome", "EPR", "--predictors", "age"],
    "calibration": lambda t, s: ["calibration", t, "--outcome", "EPR", "--predictors", "age"],
    "nri": lambda t, s: ["nri", t, "--outcome", "EPR", "--old", "p_old", "--new", "p_new"],
    "dca": lambda t, s: ["dca", t, "--outcome", "EPR", "--models", "p_new"],
    "select": lambda t, s: ["select", t, "--outcome", "EPR", "--id", "id", "--seed", "7"],
    "samplesize": lambda t, s: ["samplesize", "--prevalence", "0.3", "--parameters", "5", "--cstatistic", "0.8"],
    "extract": lambda t, s: ["extract", s],
    "rois": lambda t, s: ["rois", s],
    "deep": lambda t, s: ["deep", s],
    "run": lambda t, s: ["run", s],
    "demo": lambda t, s: ["demo", "--small"],
    "audit": lambda t, s: ["audit", t.parent],
    "compare": lambda t, s: ["compare", t.parent, t.parent],
}


@pytest.mark.parametrize("command", list(OUT_COMMANDS))
def test_out_that_is_an_existing_file_is_refused_first(command, study, tmp_path, run_cli, tried):
    table = _write(tmp_path, scored())
    blocker = tmp_path / "taken.txt"
    blocker.write_text("not a folder\n")
    before = blocker.read_bytes()
    code, _, err = run_cli(*OUT_COMMANDS[command](table, study), "--out", blocker)
    tried(f"{command}: --out an existing file")
    assert_clean_failure(code, error_paragraph(err), None, ["taken.txt", "is a file", "--out"])
    assert blocker.read_bytes() == before


def test_out_under_an_unwritable_folder_is_refused_first(tmp_path, run_cli, tried, r):
    import os
    if os.geteuid() == 0:
        pytest.skip("root may write into any folder")
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        code, _, err = run_cli("table1", _write(tmp_path, scored()), "--outcome", "EPR", "--out",
                               locked / "new" / "t")
    finally:
        locked.chmod(0o755)
    tried("table1: --out under an unwritable folder")
    assert_clean_failure(code, error_paragraph(err), None, ["not writable", "locked"])


@pytest.mark.parametrize("content, needles", [
    ("paper_name,run_name\nmod\xe8le,model\n".encode("latin-1"), ["mapping.csv", "not UTF-8"]),
    (b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(256)), ["mapping.csv", "not a text file"]),
])
def test_compare_mapping_that_is_not_utf8_text_is_named(content, needles, tmp_path, run_cli, tried):
    mapping = tmp_path / "mapping.csv"
    mapping.write_bytes(content)
    code, _, err = run_cli("compare", tmp_path, tmp_path, "--mapping", mapping, "--out", tmp_path / "out")
    tried(f"compare: --mapping {needles[1]}")
    assert_clean_failure(code, error_paragraph(err), tmp_path / "out", needles)


# ------------------------------------------------------------------------------------------ the study file
def test_study_file_text_outcome_needs_outcome_event(study, run_cli, tried):
    manifest = study.parent / "manifest.csv"
    frame = pd.read_csv(manifest)
    frame["outcome"] = np.where(frame["outcome"] == 1, "EPR", "Non-EPR")
    frame.to_csv(manifest, index=False)
    code, out, err = run_cli("validate", study)
    tried("validate: text outcome without outcome_event")
    assert code == 2 and "outcome_event" in out + err and "Traceback" not in out + err, out + err
    study.write_text(study.read_text() + "outcome_event: EPR\n")
    code, out, err = run_cli("validate", study)
    tried("validate: text outcome with outcome_event")
    assert code == 0, out + err


def test_intensity_range_too_wide_for_the_bin_width_is_caught_by_validate(study, run_cli, tried):
    """A float image with values near 1e30 passed validate; extract then said 'Maximum allowed size exceeded'."""
    import SimpleITK as sitk

    from tests.robustness.test_bad_imaging import image_array, image_path, to_image, tumour_array
    arr = image_array(2).astype(np.float32)
    arr[tumour_array() > 0] *= np.float32(1e28)
    sitk.WriteImage(to_image(arr), str(image_path(study.parent)), True)
    arr = sitk.GetArrayFromImage(sitk.ReadImage(str(image_path(study.parent))))  # the values as stored
    code, out, err = run_cli("validate", study)
    tried("validate: intensities near 1e30")
    text = out + err
    assert code == 2 and "Traceback" not in text, text
    high = float(arr[tumour_array() > 0].max())
    levels = (high - float(arr[tumour_array() > 0].min())) / 5  # the paper's bin width
    assert "bin width 5" in text and f"{levels:.3g} grey levels" in text and f"{high:.6g}" in text, text
