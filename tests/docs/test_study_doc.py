"""docs/study.md lists every study-file key with its default and help text, as the schema has them."""
from __future__ import annotations

import re
from pathlib import Path

from eprstats.cohort.settings import study_keys_table

DOC = Path(__file__).resolve().parents[2] / "docs" / "study.md"


def test_every_key_is_documented_with_the_schemas_help():
    rows = {m.group(1): (m.group(2), m.group(3)) for m in
            re.finditer(r"^\| `([a-z0-9_]+)` \| (.*?) \| (.*) \|$", DOC.read_text(encoding="utf-8"), re.M)}
    table = study_keys_table()
    assert list(rows) == list(table["key"]), "regenerate docs/study.md's table from study_keys_table()"
    for r in table.itertuples():
        assert rows[r.key][1] == r.help.replace("|", "/"), r.key
        assert (rows[r.key][0] == "required") == bool(r.required), r.key
