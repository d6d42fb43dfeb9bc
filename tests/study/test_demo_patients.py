"""``eprstats demo --patients N``: the paper's Table 1 counts scaled to N patients (for cost curves).

The expected shares are computed here from the paper's printed counts (tables/published/published_table1.csv),
independently of :func:`eprstats.study.demo.scaled_counts`: every group and every level must be within one
patient of its exact share, and the totals exact.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from eprstats.errors import InputError
from eprstats.study.demo import scaled_counts

GROUPS = ["train_non_epr", "train_epr", "external_non_epr", "external_epr"]
PAPER = Path(__file__).resolve().parents[2] / "tables" / "published" / "published_table1.csv"


@pytest.fixture(scope="module")
def paper():
    return pd.read_csv(PAPER)


@pytest.mark.parametrize("n", [40, 80, 160, 320, 5000])
def test_scaled_counts_keep_the_papers_shares(paper, n):
    scaled = scaled_counts(paper, n)
    sizes = paper[paper["variable"] == "Gender"][GROUPS].sum()          # 68, 46, 23, 20 in the paper
    assert sizes.tolist() == [68, 46, 23, 20]
    for variable, rows in scaled.groupby("variable", sort=False):
        group_n = rows[GROUPS].sum()
        assert int(group_n.sum()) == n, variable
        for g in GROUPS:
            assert abs(group_n[g] - sizes[g] * n / 157) < 1, (variable, g)
            printed = paper.loc[rows.index, g]
            exact = printed / printed.sum() * group_n[g]
            assert ((rows[g] - exact).abs() < 1).all(), (variable, g)


def test_the_papers_size_gives_the_papers_counts(paper):
    assert scaled_counts(paper, 157).equals(paper)


def test_too_few_patients_are_refused(paper):
    with pytest.raises(InputError, match="at least 8"):
        scaled_counts(paper, 5)


def test_a_scaled_small_demo_has_those_patients_and_no_published_folder(tmp_path):
    import yaml
    from eprstats.study.demo import make_demo_study
    study = make_demo_study(tmp_path / "d", small=True, patients=24)
    manifest = pd.read_csv(study.parent / "manifest.csv")
    assert len(manifest) == 24
    assert manifest.groupby(["cohort", "outcome"]).size().to_dict() == {
        ("external", 0): 4, ("external", 1): 3, ("training", 0): 10, ("training", 1): 7}
    settings = yaml.safe_load(study.read_text())
    assert "published" not in settings and "24 patients" in settings["name"]
    assert not (study.parent / "published").exists()
