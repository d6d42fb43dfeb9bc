"""The running text of a paper for :func:`eprstats.audit.importer.import_paper`: paragraphs with their line
numbers and section, sentences and clauses, and what a sentence names (models, Table 1 variables, cohorts,
statistics) and prints (estimates with CIs, P values, sizes, percentages).

Everything here is found by pattern; what it finds is a draft for a person to check (docs/audit.md).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

# ----------------------------------------------------------------------------------------- numbers
_N = r"(?:\d+(?:\.\d+)?|\.\d+)"
_CI_MARK = r"(?:95\s*%\s*(?:CI|confidence\s+intervals?)|CI)"
_SEP = r"(?:-|–|—|to|,\s)"
#: ``0.751 (95% CI, 0.659-0.843)``, ``0.802 (0.717-0.887)``, ``0.774 (95% CI: 0.700-0.783)``, ``[..]``
_EST_CI = re.compile(rf"(?<![\w.])(?P<est>{_N})\s*(?P<pct>%?)\s*[(\[]\s*(?:{_CI_MARK}\s*[,:=]?\s*)?(?P<lo>{_N})\s*%?\s*"
                     rf"{_SEP}\s*(?P<hi>{_N})\s*%?\s*[)\]]", re.I)
#: ``0.751, 95% CI 0.659-0.843`` / ``3.30; 95% CI, 1.38 to 7.89``
_EST_CI_BARE = re.compile(rf"(?<![\w.])(?P<est>{_N})\s*(?P<pct>%?)\s*[,;]\s*{_CI_MARK}\s*[,:=]?\s*(?P<lo>{_N})\s*%?\s*"
                          rf"{_SEP}\s*(?P<hi>{_N})(?![\w.])", re.I)
#: decimal commas: ``0,802 (0,717-0,887)``
_EST_CI_COMMA = re.compile(r"(?<![\w.,])(?P<est>\d+,\d+)\s*(?P<pct>)\(\s*(?:95\s*%\s*CI\s*[:;]?\s*)?(?P<lo>\d+,\d+)\s*"
                           r"(?:-|–|—|to)\s*(?P<hi>\d+,\d+)\s*\)", re.I)
_P = re.compile(rf"(?<![A-Za-z*])(?P<star>\*?)[Pp]\s*(?:-?\s*values?)?\s*(?P<op><=|>=|=|<|>|≤|≥)\s*(?P<v>{_N})")
_P_OF = re.compile(rf"(?<![A-Za-z])[Pp][\s-]*values?\s+(?:of|was|were)\s+(?P<op>)(?P<v>{_N})")
_SIZE = re.compile(r"\(\s*[nN]\s*=\s*(?P<v>\d+)\s*\)|(?<![A-Za-z])[nN]\s*=\s*(?P<v2>\d+)")
_RANGE = re.compile(rf"(?<![\w.])(?P<lo>{_N})\s*(?:-|–|—)\s*(?P<hi>{_N})(?![\w.])")
_PERCENT = re.compile(rf"(?<![\w.])(?P<v>{_N})\s*%")
_NUMBER = re.compile(rf"(?<![\w.])(?P<v>{_N})(?![\w])")
#: a reference number right after a value: ``0.723 (32)``, ``(23, 24)``: the value is another study's
CITATION = re.compile(r"^\s*[(\[]\d{1,3}(?:\s*[,–-]\s*\d{1,3})*[)\]]")

WORD_NUMBERS = {w: i for i, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve "
                                           "thirteen fourteen fifteen sixteen seventeen eighteen nineteen "
                                           "twenty".split())}


@dataclass
class Num:
    """One printed number: ``kind`` is ci (an estimate with its CI), p, size (n=K), range, percent or number."""

    start: int
    end: int
    kind: str
    text: str
    est: str = ""
    lo: str = ""
    hi: str = ""
    op: str = ""
    used: bool = False

    @property
    def value(self) -> str:
        """The number as claims.csv writes it: ``0.802 (0.717-0.887)``, ``<0.05``, ``40.3%``."""
        if self.kind == "ci":
            return f"{self.est} ({self.lo}-{self.hi})"
        if self.kind == "p":
            return self.est if self.op in ("", "=") else f"{self.op}{self.est}"
        if self.kind == "percent":
            return f"{self.est}%"
        return self.est

    @property
    def number(self) -> float:
        return float(self.est)


def _decimal(text: str) -> str:
    return text.replace(",", ".")


def find_numbers(text: str) -> list[Num]:
    """Every printed number of ``text``, longest form first (an estimate with its CI is one number)."""
    found: list[Num] = []
    taken = [False] * (len(text) + 1)

    def add(m, kind, **kw):
        if any(taken[m.start():m.end()]):
            return
        for i in range(m.start(), m.end()):
            taken[i] = True
        found.append(Num(m.start(), m.end(), kind, m.group(0), **kw))

    for rx in (_EST_CI, _EST_CI_BARE, _EST_CI_COMMA):
        for m in rx.finditer(text):
            est, lo, hi = (_decimal(m.group(g)) for g in ("est", "lo", "hi"))
            if float(lo) <= float(est) <= float(hi):   # ``0.76 (23, 24)`` is a value and its references
                pct = "%" if m.group("pct") else ""
                add(m, "ci", est=est + pct, lo=lo + pct, hi=hi + pct)
    for rx in (_P, _P_OF):
        for m in rx.finditer(text):
            star = m.groupdict().get("star") or ""
            add(m, "p", est=m.group("v"), op=m.group("op").replace("≤", "<=").replace("≥", ">="),
                lo="*" if star else "")
    for m in _SIZE.finditer(text):
        add(m, "size", est=m.group("v") or m.group("v2"))
    for m in _RANGE.finditer(text):
        add(m, "range", lo=m.group("lo"), hi=m.group("hi"), est=m.group("lo"))
    for m in _PERCENT.finditer(text):
        add(m, "percent", est=m.group("v"))
    for m in _NUMBER.finditer(text):
        add(m, "number", est=m.group("v"))
    return sorted(found, key=lambda n: n.start)


# ----------------------------------------------------------------------------------------- statistics
STATISTICS = (
    ("auc", r"\bAUCs?\b|\bAUROCs?\b|area under the (?:ROC |receiver operating characteristic )?curves?"),
    # a C-index is not an AUC (a survival model's concordance): named, so that its numbers are not typed as one
    ("c_index", r"\bC[\s-]?(?:index|indices|statistics?)\b|\bconcordance\s+index\b|Harrell'?s\s+C\b"),
    ("sensitivity", r"\bsensitivit(?:y|ies)\b"),
    ("specificity", r"\bspecificit(?:y|ies)\b"),
    ("or", r"\bORs?\b|(?i:\bodds ratios?\b)"),
    ("other", r"\bICCs?\b|\baccurac(?:y|ies)\b|\bPPVs?\b|\bNPVs?\b|\bHRs?\b|hazard ratios?|\bkappa\b|\bF1\b|\bBrier\b"
              r"|\bNRI\b|\bIDI\b|\bβ\b|\bbeta\b|coefficients?|\bsigma\b|bin width|\bversion\b|\bmm\b|\bR\b"),
)
_STAT_RX = [(name, re.compile(rx, 0 if name in ("or", "other") else re.I)) for name, rx in STATISTICS]


@dataclass
class Mention:
    """A name found in a sentence: a model, a variable, a cohort (``names`` may hold two: "both cohorts")."""

    start: int
    end: int
    names: tuple
    via: str = "name"          # name, suffix, alias, signature (a model named as another model's predictor)
    attached: bool = False     # a cohort phrase that belongs to one printed number ("... in the training set")

    @property
    def name(self) -> str:
        return self.names[0]


def find_statistics(text: str) -> list[Mention]:
    out = [Mention(m.start(), m.end(), (name,)) for name, rx in _STAT_RX for m in rx.finditer(text)]
    return sorted(out, key=lambda m: m.start)


# ----------------------------------------------------------------------------------------- cohorts
_COHORT_NOUN = r"(?:cohorts?|sets?|groups?|datasets?|samples?)"
_TRAIN = r"(?:training|train|development|derivation|primary)"
_EXT = r"(?:(?:independent\s+)?(?:external\s+)?(?:validation|test|testing)|external)"
COHORT_PATTERNS = (
    (("training", "external"), rf"\b{_TRAIN}(?:\s+{_COHORT_NOUN})?\s+(?:and|or)\s+(?:the\s+)?{_EXT}\s+{_COHORT_NOUN}"),
    (("*",), r"\b(?:both|the two|two|all|(?<=in )the|(?<=both )the)\s+" + r"(?:cohorts|sets|datasets)\b"),
    (("training",), rf"\b{_TRAIN}\s+(?:{_COHORT_NOUN}\s+)?(?:{_COHORT_NOUN})\b"),
    (("external",), rf"\b{_EXT}\s+(?:{_COHORT_NOUN}\s+)?{_COHORT_NOUN}\b"),
)
_COHORT_RX = [(names, re.compile(rx, re.I)) for names, rx in COHORT_PATTERNS]


def cohort_of_label(label: str) -> str | None:
    """``Training cohort (n=114)`` -> training; ``External validation set`` -> external."""
    low = label.lower()
    if re.search(_TRAIN, low):
        return "training"
    if re.search(r"external|validation|\btest", low):
        return "external"
    return None


def find_cohorts(text: str, cohorts: tuple) -> list[Mention]:
    """Cohort phrases, ``*`` (both / the two / the cohorts) expanded to every cohort in ``cohorts``."""
    out: list[Mention] = []
    for names, rx in _COHORT_RX:
        for m in rx.finditer(text):
            if any(o.start < m.end() and m.start() < o.end for o in out):
                continue
            out.append(Mention(m.start(), m.end(), tuple(cohorts) if names == ("*",) else names))
    return sorted(out, key=lambda m: m.start)


# ----------------------------------------------------------------------------------------- names
def name_pattern(name: str) -> str:
    """A model or variable name with any separator or none between its parts (``PVP_DLR``, ``PVP-DLR``,
    ``PVP_ DLR``; ``ChildPugh``, ``Child-Pugh``)."""
    parts = [p for p in re.split(r"[_\-\s]+|(?<=[a-z])(?=[A-Z])", name) if p]
    return r"[_\-\s]{0,2}".join(re.escape(p) for p in parts)


_BOUND_L, _BOUND_R = r"(?<![A-Za-z0-9_])", r"(?![A-Za-z0-9_]|[-_][A-Za-z0-9])"


@dataclass
class Vocabulary:
    """The names the tables define, which the text's claims are matched against."""

    models: tuple = ()
    terms: tuple = ()
    variables: tuple = ()
    cohorts: tuple = ("training", "external")
    outcome: str | None = None
    aliases: dict = field(default_factory=dict)           # phrase -> model
    synonyms: dict = field(default_factory=lambda: {"Gender": ("sex",), "Sex": ("gender",)})
    _rx: dict = field(default_factory=dict, repr=False)

    def model_patterns(self) -> list[tuple[str, str, "re.Pattern"]]:
        if "models" not in self._rx:
            pats = []
            suffixes: dict[str, list[str]] = {}
            for m in self.models:
                if re.fullmatch(r"[A-Za-z][a-z]+", m):       # an English word (Clinical): only "clinical model"
                    pats.append((m, "name", re.compile(rf"\b{re.escape(m)}(?=\s+(?:models?|signatures?|scores?)\b)",
                                                       re.I)))
                else:
                    pats.append((m, "name", re.compile(_BOUND_L + name_pattern(m) + _BOUND_R)))
                if "_" in m:
                    suffixes.setdefault(m.split("_", 1)[1], []).append(m)
            for suffix, owners in suffixes.items():
                if len(owners) == 1 and len(suffix) >= 3 and suffix not in self.models:
                    pats.append((owners[0], "suffix", re.compile(_BOUND_L + re.escape(suffix) + _BOUND_R)))
            for phrase, m in self.aliases.items():
                words = r"[\s\-]+".join(re.escape(w) for w in phrase.split())
                pats.append((m, "alias", re.compile(rf"\b{words}\b", re.I)))
            self._rx["models"] = pats
        return self._rx["models"]

    def variable_patterns(self, names=None) -> list[tuple[str, "re.Pattern"]]:
        key = ("variables", tuple(names or self.variables))
        if key not in self._rx:
            pats = []
            for v in names or self.variables:
                alts = [name_pattern(v)] + [name_pattern(s) for s in self.synonyms.get(v, ())]
                pats.append((v, re.compile(_BOUND_L + "(?:" + "|".join(alts) + ")" + _BOUND_R, re.I)))
            self._rx[key] = pats
        return self._rx[key]


def _non_overlapping(found: list[Mention]) -> list[Mention]:
    found.sort(key=lambda m: (-(m.end - m.start), m.start))
    kept: list[Mention] = []
    for m in found:
        if not any(k.start < m.end and m.start < k.end for k in kept):
            kept.append(m)
    return sorted(kept, key=lambda m: m.start)


def find_models(text: str, vocab: Vocabulary) -> list[Mention]:
    """Model mentions; one named right before "signature" (``PVP_DLR signature``) is marked ``signature``:
    a predictor of another model rather than the model whose number follows."""
    found = [Mention(m.start(), m.end(), (model,), via) for model, via, rx in vocab.model_patterns()
             for m in rx.finditer(text)]
    kept = _non_overlapping(found)
    for m in kept:
        if m.via in ("name", "suffix") and re.match(r"[\s\-]*signature", text[m.end:]):
            m.via = "signature"
    return kept


def find_variables(text: str, vocab: Vocabulary, names=None) -> list[Mention]:
    found = [Mention(m.start(), m.end(), (v,)) for v, rx in vocab.variable_patterns(names) for m in rx.finditer(text)]
    return _non_overlapping(found)


_DEFINITION = re.compile(r"([A-Za-z][\w\-]*(?:\s+[A-Za-z][\w\-]*){0,7})\s*\(\s*([A-Za-z][\w\-]*)\s*\)")
_STOP = {"the", "a", "an", "our", "this", "these", "of", "with", "using", "to", "from", "by", "in", "on", "final",
         "and", "or", "as", "was", "were", "is", "obtain", "one", "such", "for"}


_PAREN = re.compile(r"\(\s*([A-Za-z][\w\-]*)\s*\)")


def _definitions(text: str):
    """(words, abbreviation) of each ``words (ABBR)``, as ``_DEFINITION.finditer`` finds them, in time linear in
    the text: the regex tried at every word start backtracks through eight words each time; here each
    parenthesis looks back at most 400 characters, not past the previous definition."""
    last = 0
    for m in _PAREN.finditer(text):
        if m.start() < last:
            continue
        words = _words_before(text, max(last, m.start() - 400), m.start())
        if not words:
            continue
        last = m.end()
        yield words, m.group(1)


def _words_before(text: str, lo: int, hi: int) -> list:
    """Up to eight words (a letter, then letters, digits, ``_`` or ``-``) separated by white space and ending
    right before ``hi``: the words ``_DEFINITION`` takes before a parenthesis."""
    words, pos = [], hi
    while pos > lo and text[pos - 1].isspace():
        pos -= 1
    while len(words) < 8 and pos > lo:
        start = pos
        while start > lo and (text[start - 1].isalnum() or text[start - 1] in "_-") and text[start - 1].isascii():
            start -= 1
        first = next((k for k in range(start, pos) if text[k].isascii() and text[k].isalpha()), None)
        if first is None:
            break
        words.insert(0, text[first:pos])
        if first > start or start == lo or not text[start - 1].isspace():
            break
        pos = start
        while pos > lo and text[pos - 1].isspace():
            pos -= 1
    return words


def definitions(text: str, models) -> tuple[dict, dict]:
    """Aliases ``deep-learning signature (PVP_DLR)`` -> {"deep learning signature": "PVP_DLR"} (phrases
    ending in model / signature / nomogram / score), and abbreviations ``deep learning (DL)`` ->
    {"DL": "deep learning"} (initials of the phrase's last words), each alias also under its abbreviations."""
    aliases, abbreviations = {}, {}
    suffix = {m.split("_", 1)[1]: m for m in models if "_" in m}
    for words, short in _definitions(text):
        model = short if short in models else suffix.get(short)
        if model:
            phrase = []
            for w in reversed(words):
                if w.lower() in _STOP:
                    break
                phrase.insert(0, w.replace("-", " ").lower())
            if len(phrase) >= 2 and phrase[-1] in ("model", "signature", "nomogram", "score"):
                aliases[" ".join(phrase)] = model
        elif short.isupper() and 2 <= len(short) <= 6 and len(words) >= len(short):
            tail = words[-len(short):]
            if "".join(w[0] for w in tail).upper() == short:
                abbreviations[short] = " ".join(tail).replace("-", " ").lower()
    for short, long in abbreviations.items():
        for phrase, model in list(aliases.items()):
            if long in phrase:
                aliases.setdefault(phrase.replace(long, short), model)
    return aliases, abbreviations


# ----------------------------------------------------------------------------------------- paragraphs
@dataclass
class Paragraph:
    """Consecutive lines of running text, joined; ``lines`` maps character offsets to line numbers."""

    text: str
    lines: list          # [(offset, line number)]
    section: str

    def line_at(self, offset: int) -> int:
        line = self.lines[0][1]
        for start, number in self.lines:
            if start > offset:
                break
            line = number
        return line


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z(\[])")
_NO_END = re.compile(r"(?:\bet al|\be\.g|\bi\.e|\bFig|\bvs|\bNo|\bref|\bapprox|\bca)\.$", re.I)
_CLAUSE = re.compile(r",\s*(?=which\b|but\b|whereas\b|while\b|although\b)|;\s*")


@dataclass
class Sentence:
    paragraph: Paragraph
    start: int
    text: str

    def line_at(self, offset: int) -> int:
        return self.paragraph.line_at(self.start + offset)

    def clauses(self) -> list[tuple[int, int]]:
        """(start, end) of the sentence's clauses, split before ", which", ", but", ", whereas" and at ";"."""
        cuts = {0, len(self.text)}
        for m in _CLAUSE.finditer(self.text):
            cuts.add(m.start())
            if self.text[m.end():].startswith("which"):     # ", which ...," ends at its closing comma
                close = self.text.find(",", m.end())
                if close > 0:
                    cuts.add(close)
        cuts = sorted(cuts)
        return list(zip(cuts[:-1], cuts[1:]))

    def clause_of(self, offset: int) -> tuple[int, int]:
        return next((c for c in self.clauses() if c[0] <= offset < c[1]), (0, len(self.text)))


def sentences(p: Paragraph) -> list[Sentence]:
    out, start = [], 0
    for m in _SENTENCE_END.finditer(p.text):
        if _NO_END.search(p.text[start:m.start()]):
            continue
        out.append(Sentence(p, start, p.text[start:m.start()]))
        start = m.end()
    if p.text[start:].strip():
        out.append(Sentence(p, start, p.text[start:]))
    return out


def is_heading(line: str) -> bool:
    s = line.strip()
    return (0 < len(s) <= 80 and not s.endswith((".", ",", ";", ":")) and not line.startswith(("\t", "["))
            and len(s.split()) <= 10 and not re.match(r"(Table|Figure|Fig\.)\s*\d", s)
            and sum(c.isdigit() for c in s) <= 2)


def paragraphs(lines: list[str], skip: set[int]) -> list[Paragraph]:
    """Running-text paragraphs of ``lines`` (line numbers from 1), without the lines in ``skip`` (tables);
    a paragraph's section is the last heading above it ("Abstract: ..." before an Introduction)."""
    intro = next((i for i, l in enumerate(lines, 1) if re.fullmatch(r"\s*(?:\d+\.?\s*)?Introduction\s*", l)), None)
    out, section, buf = [], "", []

    def flush():
        if buf:
            text, offsets = "", []
            for number, line in buf:
                piece = line.strip()
                if text.endswith("-") and piece[:1].islower():      # a word hyphenated across lines
                    text = text[:-1]
                elif text:
                    text += " "
                offsets.append((len(text), number))
                text += piece
            where = section or "Text"
            figure = re.search(r"\b(Figure\s*\d+)\s*[|.:]", text)
            if text.startswith("[image") and figure:          # a figure's text, as the seed's files give it
                where = f"{figure.group(1)} (image text)"
            if intro is not None and buf[0][0] < intro:
                where = f"Abstract: {where}" if section else "Abstract"
            out.append(Paragraph(text, offsets, where))
            buf.clear()

    for number, line in enumerate(lines, 1):
        if number in skip or not line.strip():
            flush()
            continue
        if is_heading(line) and not buf:
            section = line.strip()
            continue
        buf.append((number, line))
    flush()
    return out
