"""The report's TRIPOD+AI / CLEAR checklist: an item is done only when the run wrote the file that answers it."""
from __future__ import annotations

import json

import pandas as pd

from eprstats.study.checklist import STATUSES, checklist, checklist_section


def _status(frame):
    return dict(zip(frame["item"], frame["status"]))


def _folder(tmp_path):
    out = tmp_path / "results"
    (out / "tables").mkdir(parents=True)
    (out / "features").mkdir()
    prov = {"settings": {"seed": 7, "bootstrap": 50, "icc_threshold": 0.8, "training_cohort": "train",
                         "outcome_column": "ER", "spacing": [1, 1, 1], "data_source": "two centres, 2015-2019 "
                         "retrospective", "dates": None},
            "software": {"R": "R 4.2.2", "R:pROC": "1.18.0", "platform": "Linux"}}
    (out / "provenance.json").write_text(json.dumps(prov), encoding="utf-8")
    pd.DataFrame({"model": ["A", "A"], "cohort": ["train", "ext"], "n": [100, 40], "events": [30, 12],
                  "auc": [0.8, 0.7], "auc_ci_low": [0.7, 0.5], "auc_ci_high": [0.9, 0.9],
                  "sensitivity": [0.7, 0.6]}).to_csv(out / "tables" / "roc.csv", index=False)
    return out


def test_items_done_only_when_their_files_exist(tmp_path):
    out = _folder(tmp_path)
    frame = checklist(out)
    assert set(frame["status"]) <= set(STATUSES)
    st = _status(frame)
    assert st["Data source"] == "done" and "two centres" in frame.set_index("item").loc["Data source", "answer"]
    assert st["Study dates"] == "to answer" and st["Outcome definition"] == "to answer"
    assert "'ER'" in frame.set_index("item").loc["Outcome definition", "answer"]
    # nothing written for these: not done
    for item in ("Calibration", "Decision curves (clinical utility)", "Internal validation", "Predictors",
                 "Model building", "Feature reproducibility"):
        assert st[item] == "not produced", item
    # AUC with CI but sensitivity without: partial, not done
    assert st["Performance measures with CIs"] == "partial"
    answer = frame.set_index("item")["answer"]
    assert "train: 100 patients, 30 events; ext: 40 patients, 12 events" in answer["Sample size and events per cohort"]
    assert st["Software versions"] == "done" and "pROC 1.18.0" in answer["Software versions"]
    assert "platform" not in answer["Software versions"]
    assert st["Code availability"] == "to answer" and st["Missing data handling"] == "to answer"

    # the files appear: the items become done
    pd.DataFrame({"model": ["A"], "cohort": ["train"], "n": [100], "events": [30], "intercept": [0.0],
                  "slope": [1.0]}).to_csv(out / "tables" / "calibration_numeric.csv", index=False)
    pd.DataFrame({"cohort": ["train"] * 2, "model": ["A"] * 2, "threshold": [0.1, 0.5],
                  "net_benefit": [0.2, 0.1]}).to_csv(out / "tables" / "decision_curves.csv", index=False)
    pd.DataFrame({"roi": ["AP"], "kept": [3]}).to_csv(out / "tables" / "icc_summary.csv", index=False)
    (out / "features" / "models.json").write_text(json.dumps({"models": {"A": {
        "kind": "roi", "n_variables": 2, "variables": ["f1", "f2"], "events": 30, "epv": 15.0}}, "failed": {}}),
        encoding="utf-8")
    roc = pd.read_csv(out / "tables" / "roc.csv").assign(sensitivity_ci_low=0.5, sensitivity_ci_high=0.8)
    roc.to_csv(out / "tables" / "roc.csv", index=False)
    frame = checklist(out)
    st = _status(frame)
    for item in ("Calibration", "Decision curves (clinical utility)", "Predictors", "Model building",
                 "Feature reproducibility", "Performance measures with CIs"):
        assert st[item] == "done", item
    assert st["Internal validation"] == "partial"  # bootstrap calibration only, no optimism-corrected AUC
    answer = frame.set_index("item")["answer"]
    assert "B = 50" in answer["Internal validation"] and "f1, f2" in answer["Predictors"]
    assert "0.1 to 0.5" in answer["Decision curves (clinical utility)"]
    assert "Events per variable: A 15" in answer["Sample size and events per cohort"]


def test_a_stage_that_did_not_compute_does_not_count(tmp_path):
    out = _folder(tmp_path)
    pd.DataFrame({"model": ["A"], "cohort": ["train"], "n": [100], "events": [30], "intercept": [0.0],
                  "slope": [1.0]}).to_csv(out / "tables" / "calibration_numeric.csv", index=False)
    stages = out / ".eprstats" / "stages"
    stages.mkdir(parents=True)
    (stages / "calibration.json").write_text(json.dumps({"status": "failed: R error"}), encoding="utf-8")
    assert _status(checklist(out))["Calibration"] == "not produced"
    (stages / "calibration.json").write_text(json.dumps({"status": "computed"}), encoding="utf-8")
    assert _status(checklist(out))["Calibration"] == "done"


def test_settings_given_override_provenance_and_section_lists_open_items(tmp_path):
    out = _folder(tmp_path)
    frame = checklist(out, settings={"dates": "2015-01 to 2019-12", "outcome_definition": "recurrence <= 2 y"},
                      versions={})
    st = _status(frame)
    assert st["Study dates"] == "done" and st["Outcome definition"] == "done"
    assert st["Data source"] == "to answer" and st["Software versions"] == "not produced"
    html = checklist_section(out)
    assert "TRIPOD+AI" in html and "CLEAR" in html and "Code availability" in html and "<table" in html


def test_study_file_takes_the_free_text_keys():
    from eprstats.cohort.settings import parse_settings

    s = parse_settings({"manifest": "m.csv", "data_source": "centre A", "dates": "2015-2019",
                        "outcome_definition": "early recurrence"})
    assert (s.data_source, s.dates, s.outcome_definition) == ("centre A", "2015-2019", "early recurrence")
    assert parse_settings({"manifest": "m.csv"}).data_source is None


def test_performance_cis_are_read_from_the_diagnostic_accuracy_table(tmp_path):
    """roc/table2 write the CIs of sensitivity ... accuracy in diagnostic_accuracy_numeric.csv: the item is done
    only when that table gives a CI for every proportion roc.csv reports."""
    out = _folder(tmp_path)
    assert _status(checklist(out))["Performance measures with CIs"] == "partial"
    pd.DataFrame({"model": ["A"], "cohort": ["train"], "sensitivity": [0.7], "sensitivity_ci_low": [0.55],
                  "sensitivity_ci_high": [0.82], "specificity": [0.8]}).to_csv(
        out / "tables" / "diagnostic_accuracy_numeric.csv", index=False)
    assert _status(checklist(out))["Performance measures with CIs"] == "partial"   # specificity without its CI
    acc = pd.read_csv(out / "tables" / "diagnostic_accuracy_numeric.csv").assign(specificity_ci_low=0.7,
                                                                                   specificity_ci_high=0.9)
    acc.to_csv(out / "tables" / "diagnostic_accuracy_numeric.csv", index=False)
    assert _status(checklist(out))["Performance measures with CIs"] == "done"
