"""The whole study in one command (``eprstats run``), the demo cohort (``eprstats demo``) and report.html.

``plan`` is the stage table (name, adapter, dependencies, settings read) the runner and the report read;
``runner.run_study`` runs every stage in order with per-stage caching; ``stages`` holds one thin adapter per
stage; ``demo.make_demo_study`` writes a synthetic cohort shaped like the paper's; ``report.write_report``
writes the self-contained report. The study file's settings are
:class:`eprstats.cohort.settings.StudySettings` (``ctx.settings.bootstrap``).
"""
from __future__ import annotations
