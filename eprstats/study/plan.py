"""The study's stage plan: every stage of ``eprstats run`` in order, what it depends on and what it reads.

One table, :data:`STAGES`, read by the runner (order, dependencies, cache keys) and by the report (order of
the stage list); the adapter of a stage is the function of the same name in :mod:`eprstats.study.stages`.

==============  ==================================  =====================================================
stage           depends on                          study settings it reads (part of its cache key)
==============  ==================================  =====================================================
validate        -                                   phases, spacing, geometry_tolerance, columns, segments
rois            validate                            ring_mm, ring_phases, spacing
handcrafted     validate                            ring_mm, ring_phases, spacing, radiomics_settings,
                                                    radiomics_engine
deep            validate                            deep_weights, deep_phase, deep_crop_size, deep_device,
                                                    spacing, seed
icc             handcrafted                         icc_threshold
signatures      icc, deep (optional)                models, seed, training_cohort, clinical
table1          validate                            clinical, table1_rule, table1_continuous_rule
table2 ... dca  signatures                          accuracy_ci_method, optimism_bootstrap, seed (table2);
                                                    nomogram_model, table3_stepwise (table3); bootstrap, seed,
                                                    hl_grouping, hl_external_df, hl_groups (calibration);
                                                    nomogram_model (nri)
compare         table1, table2, table3 (optional)   published, published_mapping (and their files), synthetic
report          every stage (each optional)         name, synthetic, reduced
==============  ==================================  =====================================================

A stage that cannot produce its outputs for a reason that is not an error of the input (the nomogram model
was not built, the deep stage did not run) raises :class:`StageSkipped`; the runner records it as skipped
and ``eprstats run`` then exits with code 4, listing the skipped stages.

An optional step of the Methods (``compare``: the run beside the paper's printed numbers) is a stage with
``configured_by``: without that setting in the study file it is **not configured**, which is neither a
failure nor a skip. The runner does not run it, removes what an earlier configured run of it wrote, records
:data:`NOT_CONFIGURED` in its stage manifest and provenance and leaves it out of the run's status, so a
study without a ``published:`` folder exits 0 as before.
"""
from __future__ import annotations

from dataclasses import dataclass, fields

from ..cohort.settings import StudySettings


#: the stage-manifest status of a stage whose ``configured_by`` setting is not given
NOT_CONFIGURED = "not configured"


class StageSkipped(Exception):
    """A stage could not run for a stated reason (e.g. the nomogram model was not built): recorded as
    ``skipped: <reason>``; the run's other stages go on, and ``eprstats run`` exits with code 4."""


@dataclass(frozen=True)
class Stage:
    """One stage: its name (= its adapter in :mod:`eprstats.study.stages`, which the runner calls: this
    module imports no stage, so that stages and report can import it), the stages whose outputs it
    reads, which of those may be missing (failed or skipped) without skipping it, the study settings it
    reads and whether the image files' hashes are part of its cache key. ``configured_by``: the setting
    without which the stage is not configured (not run, not an error); ``files``: the settings naming a file
    or folder whose content is part of the key (an edited published folder reruns the comparison)."""

    name: str
    depends_on: tuple[str, ...] = ()
    settings: tuple[str, ...] = ()
    uses_image_hashes: bool = False
    optional: tuple[str, ...] = ()
    configured_by: str | None = None
    files: tuple[str, ...] = ()

    def configured(self, settings) -> bool:
        """Whether the study file gives what the stage needs (always, unless it has ``configured_by``)."""
        return self.configured_by is None or getattr(settings, self.configured_by) is not None


_STATISTICS = ("table2", "table3", "calibration", "nri", "dca")
_SETTINGS = {"table2": ("accuracy_ci_method", "optimism_bootstrap", "seed"),
             "table3": ("nomogram_model", "table3_stepwise"),
             "calibration": ("bootstrap", "seed", "hl_grouping", "hl_external_df", "hl_groups"),
             "nri": ("nomogram_model",)}

STAGES: tuple[Stage, ...] = (
    Stage("validate", (), ("phases", "spacing", "geometry_tolerance", "id_column", "cohort_column",
                           "outcome_column", "outcome_event", "mask_segment", "liver_segment"), True),
    Stage("rois", ("validate",), ("ring_mm", "ring_phases", "spacing"), True),
    Stage("handcrafted", ("validate",), ("ring_mm", "ring_phases", "spacing", "radiomics_settings",
                                         "radiomics_engine"), True),
    Stage("deep", ("validate",), ("deep_weights", "deep_phase", "deep_crop_size", "deep_device", "spacing", "seed"),
          True),
    Stage("icc", ("handcrafted",), ("icc_threshold",)),
    # the deep signature fails alone when the deep stage did not run; the other models are still built
    Stage("signatures", ("icc", "deep"), ("models", "seed", "training_cohort", "clinical"), optional=("deep",)),
    Stage("table1", ("validate",), ("clinical", "table1_rule", "table1_continuous_rule")),
    *(Stage(name, ("signatures",), _SETTINGS.get(name, ())) for name in _STATISTICS),
    # the paper's printed numbers beside the run's: whatever of Tables 1-3 was computed (the others are "not
    # recomputed"); only with a 'published:' folder
    Stage("compare", ("table1", "table2", "table3"), ("published", "published_mapping", "synthetic"),
          optional=("*",), configured_by="published", files=("published", "published_mapping")),
    # the report shows whatever was computed and lists the stages that were not
    Stage("report", ("validate", "rois", "handcrafted", "deep", "icc", "signatures", "table1", *_STATISTICS,
                     "compare"), ("name", "synthetic", "reduced"), optional=("*",)),
)
#: stage name -> Stage, in the order the stages run
PLAN: dict[str, Stage] = {s.name: s for s in STAGES}
ORDER: list[str] = list(PLAN)


def blocking(stage: Stage, unusable: list[str]) -> list[str]:
    """Of the dependencies that failed, were skipped or never ran, those that keep ``stage`` from running."""
    return [] if "*" in stage.optional else [d for d in unusable if d not in stage.optional]


def _check_plan() -> None:
    # A typo in the table would silently drop a setting from a cache key: refuse it at import.
    known = {f.name for f in fields(StudySettings)}
    for stage in STAGES:
        bad = [k for k in stage.settings if k not in known]
        # a stage's configuring setting and its hashed files are settings it reads (part of its key)
        bad += [k for k in (stage.configured_by, *stage.files) if k is not None and k not in stage.settings]
        later = [d for d in stage.depends_on if d not in ORDER[:ORDER.index(stage.name)]]
        if bad or later:
            raise RuntimeError(f"stage plan: {stage.name} reads unknown settings {bad} or depends on later "
                               f"stages {later}")


_check_plan()
