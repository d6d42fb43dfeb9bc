"""Counts of a paper's running text for :func:`eprstats.audit.importer.import_paper`: cohort sizes
(``training cohort (n=114)``, ``114 patients ... served as the training cohort``, ``43 external test cohort
patients (23 EPR, 20 Non-EPR)``), event rates (``40.3% (n=46)``), percentages (``922 (96% remaining)
features``, ``60.47% of the tumors ...``), feature counts (``960 radiomics features were extracted``,
``1, 2 and 8 features ... in the AP, DP and PVP, respectively``) with the image types pyradiomics would need
for them, and a model that is one Table 1 variable (``AFP ... was incorporated into our clinical model``).
"""
from __future__ import annotations

import re

from .importer_claims import Context, respectively
from .importer_text import WORD_NUMBERS

_RATE = re.compile(r"\brates?\b|incidence|prevalence|proportion", re.I)
_PATIENTS = re.compile(r"(?<![\w.])(\d+)\s+(?:[A-Za-z-]+\s+){0,3}?(?:patients|participants|subjects|cases)\b", re.I)
_SPLIT = re.compile(r"^\s*(?:patients\s*)?\(\s*(\d+)\s+([\w-]+)\s*,\s*(\d+)\s+([\w-]+)\s*\)")
_WORDS = "|".join(WORD_NUMBERS)
_FEATURES = re.compile(rf"(?<![\w.])(?P<n>\d+|{_WORDS})\s+(?P<adj>(?:[\w-]+\s+){{0,3}}?)features?\b(?P<rest>[^.;]{{0,80}})",
                       re.I)
_FEATURE_LIST = re.compile(r"(?<![\w.])(?P<ns>(?:\d+\s*,\s*)+(?:and\s+)?\d+)\s+features?\b", re.I)
_EXTRACTED = re.compile(r"\b(?:extracted|calculated|computed|obtained)\b", re.I)
_SELECTED = re.compile(r"\b(?:selected|retained|remained|kept)\b", re.I)
_DEEP = re.compile(r"\b(?:deep|DL|CNN|ResNet\w*)\b", re.I)
_BINARY_VERB = re.compile(r"\b(?:constructed|built|incorporated|included|used|entered)\b", re.I)


def _row(ctx: Context, offset: int, text: str, cohort: str, n="", events="", nonevents="") -> None:
    ctx.found.cohorts.append({"where": f"{ctx.s.paragraph.section} (line {ctx.line(offset)}): {text.strip()}",
                              "cohort": cohort, "n": n, "events": events, "nonevents": nonevents,
                              "line": ctx.line(offset)})


def _group(ctx: Context, label: str) -> str | None:
    """events / nonevents for a label of the outcome groups (``EPR`` / ``Non-EPR``)."""
    groups = ctx.vocab.outcome or ()
    if groups and label.lower() not in {g.lower() for g in groups}:
        return None
    return "nonevents" if re.match(r"(?:non|no)\b|non-", label, re.I) else "events"


def read_sizes(ctx: Context) -> None:
    """Cohort sizes printed in the sentence (rows of cohorts.csv)."""
    sizes = [n for n in ctx.nums if n.kind == "size" and not n.used]
    labelled = 0
    for c in ctx.cohorts:
        n = next((s for s in sizes if s.start >= c.end and not ctx.text[c.end:s.start].strip()), None)
        if n is not None and len(c.names) == 1:
            n.used = True
            labelled += 1
            _row(ctx, c.start, ctx.text[c.start:n.end], c.names[0], n=n.est)
    for m in _PATIENTS.finditer(ctx.text):
        a, b = ctx.s.clause_of(m.start())
        count = next((n for n in ctx.nums if n.start == m.start()), None)
        if count is None:                        # inside another number ("n = 12 patients"): read there
            continue
        split = _SPLIT.match(ctx.text[m.end():])
        inside = [c for c in ctx.cohorts if m.start() < c.start < m.end() and len(c.names) == 1]
        after = [c for c in ctx.cohorts if m.end() <= c.start <= min(b, m.end() + 80) and len(c.names) == 1
                 and not c.attached and not any(s.start < c.start and s.end > m.end() for s in sizes)]
        cohort = (inside or after or [None])[0]
        split_later = [c for c in ctx.cohorts if c.attached and c.start > m.end()]
        if cohort is None and labelled >= 2 and len(split_later) >= 2:     # "157 patients ... divided into"
            count.used = True
            _row(ctx, m.start(), ctx.text[m.start():m.end()], "all", n=count.est)
            continue
        if cohort is None:
            if not count.used:
                count.used = True
                ctx.unplaced(m.start(), "count", m.group(0), "a number of patients its clause does not tie to a cohort")
            continue
        count.used = True
        counts = {"n": count.est}
        end = max(m.end(), cohort.end)
        if split:
            for k, label in ((split.group(1), split.group(2)), (split.group(3), split.group(4))):
                group = _group(ctx, label)
                if group:
                    counts[group] = k
            end = m.end() + split.end()
            for n in ctx.nums:
                if m.end() <= n.start < end:
                    n.used = True
        _row(ctx, m.start(), ctx.text[m.start():end], cohort.names[0], **counts)


def read_percents(ctx: Context) -> None:
    """Event rates ``40.3% (n=46)`` (and that cohort's number of events), ``K (X% ...) NOUN`` as K over the
    earlier count of NOUN, ``X% of the PHRASE``; any other percentage is listed as unplaced."""
    pcts = [n for n in ctx.nums if n.kind == "percent" and not n.used]
    rates = []
    for p in pcts:
        size = next((n for n in ctx.nums if n.kind == "size" and n.start >= p.end
                     and not ctx.text[p.end:n.start].strip()), None)
        if size is not None:
            rates.append((p, size))
    if rates and _RATE.search(ctx.text):
        cohorts = respectively(ctx, rates[-1][1].end, len(rates), "cohort")
        for k, (p, size) in enumerate(rates):
            names = cohorts[k] if cohorts else ctx.cohorts_for(p.start)
            if not names or len(names) != 1:
                continue
            p.used = size.used = True
            ctx.claim(p.start, f"event_rate:{names[0]}", p.value)
            _row(ctx, p.start, ctx.text[p.start:size.end], names[0], events=size.est)
    for p in pcts:
        if p.used:
            continue
        before = re.search(r"(?<![\w.])(\d+)\s*\(\s*$", ctx.text[:p.start])
        inside = re.match(r"\s*([\w\s-]{0,30}?)\s*\)\s*([A-Za-z-]+)", ctx.text[p.end:])
        of = re.match(r"\s*of\s+(?:the\s+|all\s+)?((?:[A-Za-z0-9-]+\s*){1,8})", ctx.text[p.end:])
        if before and inside:
            noun = inside.group(2)
            earlier = [n for n in ctx.nums if n.kind == "number" and n.end <= before.start()
                       and re.match(rf"\s+(?:[\w-]+\s+){{0,2}}{re.escape(noun)}\b", ctx.text[n.end:])]
            p.used = True
            label = " ".join(x for x in (noun, inside.group(1).strip()) if x)
            ctx.claim(p.start, f"percent:{label}", p.value, numerator=before.group(1),
                      denominator=earlier[-1].est if earlier else "")
            for n in ctx.nums:
                if n.start == before.start(1):
                    n.used = True
        elif of:
            p.used = True
            ctx.claim(p.start, f"percent:{of.group(1).strip()}", p.value)
        else:
            p.used = True
            ctx.unplaced(p.start, "percent", p.text, "a percentage whose denominator its sentence does not say")


def _count(text: str) -> str:
    return str(WORD_NUMBERS.get(text.lower(), text))


def read_features(ctx: Context, image_types: str | None) -> None:
    """Feature counts: ``count:radiomics features extracted``, ``count:deep learning features extracted``,
    ``count:features selected for MODEL``; in a paragraph that states the filters (``image_types``), an
    extracted radiomics count is also ``radiomics_features:IMAGE_TYPES``."""
    for m in _FEATURE_LIST.finditer(ctx.text):
        counts = re.findall(r"\d+", m.group("ns"))
        models = respectively(ctx, m.end(), len(counts), "model")
        if not models:
            continue
        for k, names in zip(counts, models):
            ctx.claim(m.start(), f"count:features selected for {names[0]}", k)
        for n in ctx.nums:
            if m.start() <= n.start < m.end():
                n.used = True
    for m in _FEATURES.finditer(ctx.text):
        number = next((n for n in ctx.nums if n.start == m.start()), None)
        if number is not None and number.used or re.search(r"\(\s*$", ctx.text[:m.start()]):
            continue
        verb = _EXTRACTED.search(m.group("rest")) or _SELECTED.search(m.group("rest"))
        if verb is None:
            continue
        deep = bool(_DEEP.search(m.group("adj")))
        value = _count(m.group("n"))
        if number is not None:
            number.used = True
        if _EXTRACTED.match(verb.group(0)):
            label = "deep learning features extracted" if deep else "radiomics features extracted"
            ctx.claim(m.start(), f"count:{label}", value)
            if image_types and not deep:
                ctx.claim(m.start(), f"radiomics_features:{image_types}", value,
                          note="image types as the paragraph states them")
        else:
            a, b = ctx.s.clause_of(m.start())
            models = ctx.models_between(m.end() - len(m.group("rest")), b)
            target = models[-1].name if models else ("deep learning" if deep else "radiomics")
            ctx.claim(m.start(), f"count:features selected for {target}", value)


def image_types(paragraph: str) -> str | None:
    """``original+log1+wavelet8`` from a Methods paragraph naming its filters (LoG sigmas, wavelet
    decompositions), None when it names none."""
    log = re.search(r"\bLoG\b|Laplacian of Gaussian", paragraph)
    wavelet = re.search(r"wavelet", paragraph, re.I)
    if not (log or wavelet):
        return None
    types = ["original"]
    if log:
        sigmas = re.search(r"sigmas?\s*(?:=|of|:|values?)?\s*((?:\d+(?:\.\d+)?\s*(?:mm)?\s*(?:,|and|or)?\s*)+)",
                           paragraph, re.I)
        if sigmas is None:
            return None
        n_sigmas = len(re.findall(r"\d+(?:\.\d+)?", sigmas.group(1)))
        types.append(f"log{n_sigmas}")
    if wavelet:
        combos = set(re.findall(r"\b[HL]{3}\b", paragraph)) or set(re.findall(r"\b[HL]{2}\b", paragraph))
        types.append(f"wavelet{len(combos) or 8}")
    for name in ("square", "squareroot", "logarithm", "exponential", "gradient"):
        if re.search(rf"\b{name}\b(?!\s+root)", paragraph, re.I):
            types.append(name)
    return "+".join(types)


def read_binary(ctx: Context, levels: dict) -> None:
    """``AFP in the training cohort was constructed for the clinical model``: a model that is one binary
    Table 1 variable (binary_models.csv; positive level: the variable's second level)."""
    if any(n.kind in ("ci", "p", "percent") for n in ctx.nums) or not _BINARY_VERB.search(ctx.text):
        return
    variables = {m.name for m in ctx.variables if len(levels.get(m.name, ())) == 2}
    if len(variables) != 1 or len(ctx.models) != 1:
        return
    model = ctx.models[0]
    if not re.match(r"\s*models?\b", ctx.text[model.end:]) and model.via == "name":
        return
    variable = variables.pop()
    key = (model.name, variable, levels[variable][1])
    ctx.found.binary.setdefault(key, []).append(f"line {ctx.line(model.start)}: {ctx.quote(model.start)}")
