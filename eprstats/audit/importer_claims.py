"""Claims of a paper's running text for :func:`eprstats.audit.importer.import_paper`: AUCs (with their CIs),
sensitivities, specificities, odds ratios and P values, each given the model (or term, or Table 1 variable)
and cohort its sentence names, and statements that one model did better than another.

The rules (docs/audit.md, "Reading a paper's numbers from its text"):

* a number belongs to the statistic named last before it in its sentence (``AUC``, ``sensitivity``...);
* its model is the model named last between the previous number and it, else the previous number's model;
  ``the AP and DP models with AUCs of a, b`` pairs the names with the numbers in order; a model named just
  before "signature" is a predictor of the model the sentence is about, not that model;
* its cohort is the cohort phrase attached to it (``0.751 (...) in the training set``, ``in the validation
  set, with an AUC of 0.774``), else one named in its clause or sentence, else the last one named earlier in
  its paragraph; with none, ``AUCs of a and b`` (as many numbers as cohorts) take the cohorts in table order,
  and otherwise the first cohort (where the models were fitted), marked "cohort not stated" in ``where``;
* a value followed by a reference number (``0.723 (32)``) is another study's: not a claim.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .importer_text import (CITATION, Mention, Num, Sentence, Vocabulary, find_cohorts, find_models, find_numbers,
                            find_statistics, find_variables)

_ATTACH_AFTER = re.compile(r"^[\s)\]]*,?\s*(?:in|for|on|of)\s+(?:the\s+|an?\s+|our\s+|its\s+)?$", re.I)
_ATTACH_BEFORE = re.compile(r"^[\s,]*(?:\(|,?\s*with\s+(?:an?\s+)?)?\s*(?:AUCs?|sensitivity|specificity|accuracy)\s*"
                            r"(?:of|=|:|,|was|is|were)?\s*$", re.I)
_STAT_LIST = re.compile(r"\s*(?:,|and|,\s*and)\s*(?:an?\s+|the\s+)?", re.I)
_LIST_SEP = re.compile(r"^\s*(?:,|and|or|,\s*and|,\s*or)?\s*(?:the\s+)?$", re.I)
_REGRESSION = re.compile(r"\bodds ratios?\b|\bORs?\b|multivariab|multivariate|logistic regression|independent "
                         r"(?:risk\s+)?(?:factors?|predictors?)", re.I)
_SIGNIFICANT = re.compile(r"\bsignifican(?:t|tly|ce)\b", re.I)
_NEGATED = re.compile(r"\b(?:no|not|non|without)\b[\w\s-]{0,25}?signific|\bnon-?significant|\binsignificant", re.I)
_COMPARE = re.compile(r"\b(?P<neg>(?:not|no)\s+(?:(?P<sig>significantly|statistically)\s+)?)?"
                      r"(?:(?:significantly|far|much|slightly|statistically)\s+)?"
                      r"(?P<word>higher|better|superior|greater|larger|lower|worse|inferior|smaller)\b"
                      r"|\b(?P<out>outperform(?:ed|s)?)\b", re.I)
_OBJECT = re.compile(r"\bthan\b|\bcompared\s+(?:to|with)\b|\bover\b", re.I)
_CONFIRMED = re.compile(r"\bconfirmed\s+in\b", re.I)
_ALPHA_DEF = re.compile(r"(?:set at|level of|considered(?: as)?|defined as|represents?|indicates?)\s*$", re.I)


@dataclass
class Claim:
    """One row of claims.csv (``line``: the line of the text it was read from)."""

    where: str
    quantity: str
    value: str
    quote: str
    line: int
    numerator: str = ""
    denominator: str = ""


@dataclass
class Found:
    claims: list = field(default_factory=list)
    cohorts: list = field(default_factory=list)      # dicts: where, cohort, n, events, nonevents, line
    binary: dict = field(default_factory=dict)       # (model, variable, level) -> [where]
    unplaced: list = field(default_factory=list)     # (line, kind, text, reason)


class Context:
    """One sentence's names and numbers, and what has been read from them so far."""

    def __init__(self, s: Sentence, vocab: Vocabulary, found: Found, last_free: tuple | None):
        self.s, self.vocab, self.found, self.last_free = s, vocab, found, last_free
        self.text = s.text
        self.nums = find_numbers(s.text)
        self.stats = find_statistics(s.text)
        self.models = find_models(s.text, vocab)
        self.variables = find_variables(s.text, vocab)
        self.cohorts = find_cohorts(s.text, vocab.cohorts)
        self.values: list[Num] = []                    # statistic values, with .stat / .model / .cohort_of
        self.stat_of: dict[int, str] = {}
        self.model_of: dict[int, str | None] = {}
        self.attached: dict[int, Mention] = {}
        self._mark_alpha()
        self._statistics()
        self._attach()

    # -------------------------------------------------------------------------------- sentence structure
    def _mark_alpha(self):
        """``*P<0.05`` and ``significance was set at P <0.05`` define the significance level: no claim."""
        for n in self.nums:
            if n.kind == "p" and (n.lo == "*" or _ALPHA_DEF.search(self.text[max(0, n.start - 30):n.start])):
                n.used = True

    def _statistics(self):
        for n in self.nums:
            if n.kind not in ("ci", "number", "percent", "range") or n.used:
                continue
            before = [m for m in self.stats if m.end <= n.start]
            if not before:
                continue
            stat = before[-1].name
            between = self.text[before[-1].end:n.start]
            if re.match(r"\s*(?:CI\b|confidence\b)", self.text[n.end:]):
                continue                       # "95% CI", "95% confidence interval": the interval's level
            if re.search(r"\bP\s*[=<>]", between):
                continue
            if n.kind == "number" and ("." not in n.est or float(n.est) > (100 if stat == "or" else 1)):
                continue
            self.stat_of[n.start] = stat
            self.values.append(n)
        self._statistic_lists()

    def _statistic_lists(self):
        """``a sensitivity and specificity of 0.750 and 0.813``: the listed statistics taken in order."""
        stats = list(self.stats)                 # accuracy, C-index ... hold their places in a list
        i = 0
        while i < len(stats):
            j = i
            while j + 1 < len(stats) and _STAT_LIST.fullmatch(self.text[stats[j].end:stats[j + 1].start]):
                j += 1
            group, i = stats[i:j + 1], j + 1
            following = [v for v in self.values if v.start > group[-1].end][:len(group)]
            if len(group) < 2 or len(following) < len(group) or any(
                    group[-1].end < m.start < following[-1].start for m in self.stats):
                continue
            for v, m in zip(following, group):
                self.stat_of[v.start] = m.name
        # a value of a statistic without a claim kind (accuracy, PPV, C-index ...) is not typed as another one
        for v in [v for v in self.values if self.stat_of.get(v.start) in ("other", "c_index")]:
            self.values.remove(v)
            self.stat_of.pop(v.start)
            if self.stat_of.get(v.start) is None and not v.used and v.kind == "ci":
                v.used = True
                self.unplaced(v.start, "c_index" if any(m.name == "c_index" for m in self.stats) else "other",
                              v.text, "a C-index, accuracy or other statistic without a claim kind: see cells.csv "
                              "for the tables' numbers")

    def _attach(self):
        for v in self.values:
            after = next((c for c in self.cohorts if c.start >= v.end and _ATTACH_AFTER.match(self.text[v.end:c.start])),
                         None)
            before = next((c for c in reversed(self.cohorts) if c.end <= v.start
                           and _ATTACH_BEFORE.match(self.text[c.end:v.start])), None)
            for c in (after, before):
                if c is not None and len(c.names) == 1:
                    self.attached[v.start] = c
                    c.attached = True
                    if c is after:
                        self._attach_list(v, c)
                    break
        for c in self.cohorts:
            if re.match(r"\s*\(\s*n\s*=", self.text[c.end:]):
                c.attached = True                     # "training set (n=114)": a size, read by the counts

    def _attach_list(self, v: Num, c: Mention) -> None:
        """``were 0.811, 0.720 and 0.650 in the validation cohort``: a cohort phrase right after a list of
        numbers is the whole list's, not only its last number's (the AUC 0.811 is the validation cohort's)."""
        nums = sorted(self.nums, key=lambda n: n.start)
        k = next(i for i, n in enumerate(nums) if n.start == v.start)
        while k > 0 and re.fullmatch(r"[\s,;]*(?:and\s+)?", self.text[nums[k - 1].end:nums[k].start]):
            k -= 1
            w = nums[k]
            if w in self.values and w.start not in self.attached:
                self.attached[w.start] = c

    def line(self, offset: int) -> int:
        return self.s.line_at(offset)

    def where(self, offset: int, note: str = "") -> str:
        return f"{self.s.paragraph.section} (line {self.line(offset)}{'; ' + note if note else ''})"

    def quote(self, offset: int) -> str:
        a, b = self.s.clause_of(offset)
        text = self.text[a:b].strip(" ,;")
        return text if len(text) <= 240 else text[:237] + "..."

    def claim(self, offset: int, quantity: str, value: str, note: str = "", **kw) -> Claim:
        c = Claim(self.where(offset, note), quantity, value, self.quote(offset), self.line(offset), **kw)
        self.found.claims.append(c)
        return c

    def unplaced(self, offset: int, kind: str, text: str, reason: str):
        self.found.unplaced.append((self.line(offset), kind, text, reason))

    # -------------------------------------------------------------------------------- names of a number
    def models_between(self, a: int, b: int, signature_ok: bool = False) -> list[Mention]:
        ms = [m for m in self.models if a <= m.start and m.end <= b]
        plain = [m for m in ms if m.via != "signature"]
        return ms if signature_ok or not plain else plain

    def free_cohorts(self, a: int, b: int) -> list[Mention]:
        return [c for c in self.cohorts if not c.attached and a <= c.start and c.end <= b]

    def cohorts_for(self, pos: int) -> tuple | None:
        """The cohort(s) a number at ``pos`` is about (None when its sentence and paragraph name none)."""
        if pos in self.attached:
            return self.attached[pos].names
        a, b = self.s.clause_of(pos)
        for group in (self.free_cohorts(a, pos)[-1:], self.free_cohorts(pos, b)[:1], self.free_cohorts(0, a)[-1:]):
            if group:
                return group[0].names
        if self.last_free and len(self.last_free) == 1:
            return self.last_free
        return None

    def run_from(self, v: Num) -> list[Num]:
        """``v`` and the values of the same statistic printed right after it (``0.724 (...), 0.749 (...)``)."""
        i = self.values.index(v)
        run = [v]
        for w in self.values[i + 1:]:
            gap = self.text[run[-1].end:w.start]
            if self.stat_of[w.start] != self.stat_of[v.start] or not re.fullmatch(
                    r"[\s,;]*(?:and\s+)?", self._without_cohorts(run[-1].end, w.start, gap)):
                break
            run.append(w)
        return run

    def _without_cohorts(self, a: int, b: int, gap: str) -> str:
        for c in reversed([c for c in self.cohorts if a <= c.start and c.end <= b]):
            gap = gap[:c.start - a] + gap[c.end - a:]
        return re.sub(r"\b(?:in|for)\s+(?:the\s+)?(?=[\s,]|$)", " ", gap)


def is_list(text: str, mentions: list[Mention]) -> bool:
    return len(mentions) >= 2 and all(_LIST_SEP.match(text[a.end:b.start]) for a, b in zip(mentions, mentions[1:]))


def respectively(ctx: Context, after: int, k: int, kind: str) -> list[tuple] | None:
    """``a and b for the training and validation cohorts, respectively``: the k names after ``after``."""
    if "respectively" not in ctx.text[after:]:
        return None
    if kind == "cohort":
        ms = [c for c in ctx.cohorts if c.start >= after]
        if ms and len(ms[0].names) == k:
            return [(n,) for n in ms[0].names]
    else:
        ms = [m for m in ctx.models if m.start >= after and m.via != "signature"]
    if len(ms) >= k and (k == 1 or is_list(ctx.text, ms[:k])):
        return [m.names for m in ms[:k]]
    return None


# ----------------------------------------------------------------------------------------- statistics
def _as_proportion(text: str) -> str:
    """``71.7%`` -> ``0.717`` (Table 2 prints proportions); a proportion is kept."""
    if not text.endswith("%"):
        return text
    number = text[:-1]
    decimals = len(number.split(".")[1]) if "." in number else 0
    return f"{float(number) / 100:.{decimals + 2}f}"


def read_values(ctx: Context) -> None:
    """AUC, sensitivity, specificity (and OR) values of the sentence, each with its model and cohort."""
    assigned: dict[int, str] = {}
    done: set[int] = set()
    for v in ctx.values:
        if v.start in done:
            continue
        stat = ctx.stat_of[v.start]
        if stat == "or":
            read_or(ctx, v)
            continue
        if v.kind == "range" or CITATION.match(ctx.text[v.end:]):
            v.used = True
            ctx.unplaced(v.start, stat, v.text, "a range or another study's value (a reference follows)")
            continue
        previous = [w for w in ctx.values if w.end <= v.start]
        prev_end = previous[-1].end if previous else 0
        cands = ctx.models_between(prev_end, v.start)
        run = ctx.run_from(v)
        distinct = list({m.name: m for m in cands}.values())
        if len(run) >= 2 and len(distinct) == len(run) and is_list(ctx.text, distinct):
            for w, m in zip(run, distinct):
                assigned[w.start] = m.name
                done.add(w.start)
        elif cands:
            assigned[v.start] = cands[-1].name
        elif previous and assigned.get(previous[-1].start):          # "0.751 (...) in A and 0.691 (...) in B"
            assigned[v.start] = assigned[previous[-1].start]
        else:
            resp = respectively(ctx, run[-1].end, len(run), "model")
            if resp:
                for w, names in zip(run, resp):
                    assigned[w.start] = names[0]
                    done.add(w.start)
    ctx.model_of.update(assigned)
    for v in ctx.values:
        if v.used or ctx.stat_of[v.start] == "or":
            continue
        v.used = True
        stat, model = ctx.stat_of[v.start], assigned.get(v.start)
        if model is None:
            ctx.unplaced(v.start, stat, v.text, "no model of the tables is named in its sentence")
            continue
        for cohort, note in value_cohorts(ctx, v):
            value = v.value if stat == "auc" and not v.est.endswith("%") else (
                f"{_as_proportion(v.est)} ({_as_proportion(v.lo)}-{_as_proportion(v.hi)})" if v.kind == "ci"
                else _as_proportion(v.value))
            ctx.claim(v.start, f"{stat}:{model}:{cohort}", value, note)


def value_cohorts(ctx: Context, v: Num) -> list[tuple[str, str]]:
    """(cohort, note) for a value; see the module's rules."""
    names = ctx.cohorts_for(v.start)
    if names:
        return [(n, "") for n in names]
    run = ctx.run_from(v)
    first = next((w for w in ctx.values if w in run[:1] or v in ctx.run_from(w)), v)
    run = ctx.run_from(first)
    plural = re.search(r"\b(?:AUCs|sensitivities|specificities)\b", ctx.text[:first.start])
    if plural and len(run) == len(ctx.vocab.cohorts) and not any(w.start in ctx.attached for w in run):
        k = run.index(v) if v in run else 0
        return [(ctx.vocab.cohorts[k], "cohorts not stated: taken in the tables' order")]
    return [(ctx.vocab.cohorts[0], "cohort not stated")]


def read_or(ctx: Context, v: Num) -> None:
    v.used = True
    a, _ = ctx.s.clause_of(v.start)
    terms = [m for m in find_variables(ctx.text, ctx.vocab, ctx.vocab.terms) if a <= m.start and m.end <= v.start]
    if not terms:
        ctx.unplaced(v.start, "or", v.text, "no term of Table 3 is named before it in its clause")
        return
    ctx.model_of[v.start] = terms[-1].name
    ctx.claim(v.start, f"or:{terms[-1].name}", v.value)


# ----------------------------------------------------------------------------------------- P values
def read_p_values(ctx: Context) -> None:
    ps = [n for n in ctx.nums if n.kind == "p" and not n.used]
    if not ps:
        return
    _delong(ctx, ps)
    regression = bool(_REGRESSION.search(ctx.text))
    prev = 0
    for p in ps:
        if p.used:
            prev = p.end
            continue
        p.used = True
        start, prev = prev, p.end
        orv = [v for v in ctx.values if v.end <= p.start and ctx.stat_of[v.start] == "or" and v.start in ctx.model_of]
        a, _ = ctx.s.clause_of(p.start)
        if orv and orv[-1].start >= a:
            ctx.claim(p.start, f"p:{ctx.model_of[orv[-1].start]}", p.value)
            continue
        terms = find_variables(ctx.text[start:p.start], ctx.vocab, ctx.vocab.terms) if regression else []
        variables = [m for m in ctx.variables if start <= m.start and m.end <= p.start]
        models = ctx.models_between(start, p.start)
        if terms:
            for t in terms:
                ctx.claim(p.start, f"p:{t.name}", p.value)
        elif variables and not models:
            for cohort in table1_cohorts(ctx, p.start):
                for var in dict.fromkeys(m.name for m in variables):
                    ctx.claim(p.start, f"p_table1:{var}:{cohort}", p.value)
        else:
            ctx.unplaced(p.start, "p", p.text, "a P value whose comparison (Table 1 variable, Table 3 term or "
                         "two models) its sentence does not name" if not models else
                         "a P value comparing models that is not one paired comparison per P")


def table1_cohorts(ctx: Context, pos: int) -> list[str]:
    """The cohorts of a Table 1 P: named in its clause or sentence; ``between the cohorts``; else every cohort
    (each cohort's comparison of the outcome groups)."""
    if re.search(r"between\s+(?:the\s+)?(?:two\s+)?(?:cohorts|sets|centers|centres)", ctx.text, re.I):
        return ["between"]
    a, b = ctx.s.clause_of(pos)
    for group in (ctx.free_cohorts(a, b), ctx.free_cohorts(0, len(ctx.text))):
        if group:
            return list(dict.fromkeys(n for c in group for n in c.names))
    return list(ctx.vocab.cohorts)


def _delong(ctx: Context, ps: list[Num]) -> None:
    """``A and B ... comparable to C (P = 0.916, P = 0.325)``: one DeLong P per model compared with C."""
    exact = [p for p in ps if p.op in ("", "=")]
    if not exact or any(m for m in ctx.variables if m.end <= exact[0].start):
        return
    models = list({m.name: m for m in ctx.models_between(0, exact[-1].start)}.values())
    if len(models) < 2:
        return
    ref = next((m for m in models if re.search(r"(?:\bto|\bthan|\bversus|\bvs\.?|\bwith)\s+(?:that of\s+)?(?:the\s+)?$",
                                               ctx.text[:m.start], re.I)), None)
    others = [m for m in models if m is not ref] if ref else models[1:]
    ref = ref or models[0]
    if len(others) != len(exact):
        return
    for p, m in zip(exact, others):
        p.used = True
        names = ctx.cohorts_for(p.start)
        note = "" if names else "cohort not stated"
        for cohort in names or ctx.vocab.cohorts[:1]:
            ctx.claim(p.start, f"delong_p:{ref.name}:{m.name}:{cohort}", p.value, note)


def read_significance(ctx: Context, alpha: str) -> None:
    """``The BCLC and tumor size were significant in the validation cohort, but no significance was found in the
    training cohort``: a bound ``<alpha`` / ``>alpha`` per variable and cohort (sentences without a P value)."""
    if any(n.kind == "p" for n in ctx.nums):
        return
    regression = bool(_REGRESSION.search(ctx.text))
    carried: list[Mention] = []
    for a, b in ctx.s.clauses():
        clause = ctx.text[a:b]
        own = [m for m in ctx.variables if a <= m.start and m.end <= b]
        carried = own or carried
        if not _SIGNIFICANT.search(clause) or not carried or ctx.models_between(a, b, signature_ok=True):
            continue
        value = (">" if _NEGATED.search(clause) else "<") + alpha
        pos = a + _SIGNIFICANT.search(clause).start()
        names = list(dict.fromkeys(m.name for m in carried))
        if regression and all(n in ctx.vocab.terms for n in names):
            for n in names:
                ctx.claim(pos, f"p:{n}", value)
            continue
        cohorts = [n for c in ctx.free_cohorts(a, b) for n in c.names] or table1_cohorts(ctx, pos)
        for cohort in dict.fromkeys(cohorts):
            for n in names:
                ctx.claim(pos, f"p_table1:{n}:{cohort}", value)


# ----------------------------------------------------------------------------------------- orders
def read_orders(ctx: Context) -> None:
    """``A had a higher AUC than B`` (>), ``A was not higher than B`` (<=), ``A outperformed B`` (>); "not
    significantly higher" is a statement about a test, not about the printed values: not read."""
    for m in _COMPARE.finditer(ctx.text):
        if m.group("sig"):
            continue
        a, b = ctx.s.clause_of(m.start())
        subjects = list({x.name: x for x in ctx.models_between(a, m.start())}.values())
        if m.group("out"):
            objects_from = m.end()
        else:
            marker = _OBJECT.search(ctx.text, m.end(), b)
            if marker is None:
                continue
            objects_from = marker.end()
        objects = [x for x in {x.name: x for x in ctx.models_between(objects_from, b)}.values()
                   if x.name not in {s.name for s in subjects}]
        if not subjects or not objects:
            continue
        up = bool(m.group("out")) or m.group("word").lower() in ("higher", "better", "superior", "greater", "larger")
        relation = ("<=" if up else ">=") if m.group("neg") else (">" if up else "<")
        metric = next((w for w in ("sensitivity", "specificity") if w in ctx.text[a:m.end()].lower()), "auc")
        for cohort in _order_cohorts(ctx, subjects, objects, a, b):
            for s in subjects:
                for o in objects:
                    ctx.claim(m.start(), f"order:{metric}:{s.name}:{o.name}:{cohort}", relation)


def _order_cohorts(ctx: Context, subjects, objects, a: int, b: int) -> list[str]:
    def of(models):
        names = {x.name for x in models}
        out = []
        for v in ctx.values:
            if ctx.model_of.get(v.start) in names:
                out += [c for c, _ in value_cohorts(ctx, v)]
        return set(out)

    sub, obj = of(subjects), of(objects)
    chosen = (sub & obj or sub | obj) if sub and obj else (sub or obj)
    if not chosen:
        free = ctx.free_cohorts(a, b)
        chosen = {n for c in free for n in c.names} if free else set(ctx.vocab.cohorts)
    for m in _CONFIRMED.finditer(ctx.text):
        nxt = next((c for c in ctx.cohorts if c.start >= m.end()), None)
        if nxt is not None and _ATTACH_AFTER.match("in " + ctx.text[m.end():nxt.start]):
            chosen |= set(nxt.names)
    return [c for c in ctx.vocab.cohorts if c in chosen]
