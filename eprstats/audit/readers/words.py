"""The words papers use in table headers, and what each says a number is.

A header segment (one header cell's text) is read as one of: a role (``AUC (95% CI)`` -> auc with its CI;
``Sens.`` -> sensitivity; ``P value`` -> p; ``n`` -> n), a cohort (``Training cohort (n = 120)``), a form hint
(``n (%)``, ``Mean ± SD``, ``median [IQR]``), or a name (an outcome group, a model, a variable) whose
meaning depends on the table. Nothing here guesses from position: a header that none of these words match
is a name, and a number under a name alone is placed only when its printed form says what it is.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..registry import metric_words
from .cohort_names import headed_cohort
from .numbers import MARKS

#: role -> pattern of the words for it (matched case-insensitively unless the pattern says otherwise)
ROLE_WORDS = (
    ("c_index", r"\bC[\s-]?(?:index|indices|statistics?)\b|\bconcordance(?:\s+index)?\b|Harrell'?s\s+C\b"),
    ("auc", r"\bAU(?:ROC|RC|C)s?\b|\bROC[\s-]?AUC\b|\bAUC[\s-]?ROC\b|area\s+under\s+(?:the\s+)?(?:ROC\s+|"
            r"receiver[\s-]operating[\s-]characteristics?\s+)?curves?"),
    ("sensitivity", r"\bsensitivit(?:y|ies)\b|\bsens\b\.?|(?-i:\bSEN\b|\bSen\b|\bSN\b|\bTPR\b)|\brecall\b|true[\s-]positive\s+rate"),
    ("specificity", r"\bspecificit(?:y|ies)\b|\bspec\b\.?|(?-i:\bSPE\b|\bSpe\b|\bSPC\b|\bSP\b|\bTNR\b)|true[\s-]negative\s+rate"),
    ("accuracy", r"\baccurac(?:y|ies)\b|\bacc\b\.?"),
    ("ppv", r"\bPPV\b|positive\s+predictive\s+values?|\bpos\.?\s*pred\.?\s*value|\bprecision\b"),
    ("npv", r"\bNPV\b|negative\s+predictive\s+values?|\bneg\.?\s*pred\.?\s*value"),
    ("f1", r"\bF1(?:[\s-]?score)?\b|\bF[\s-]?score\b"),
    ("youden", r"\byouden\b"),
    ("brier", r"\bbrier\b"),
    ("nri", r"\bNRI\b|net\s+reclassification"),
    ("idi", r"\bIDI\b|integrated\s+discrimination"),
    ("calibration_slope", r"calibration\s+slope"),
    ("calibration_intercept", r"calibration[\s-]in[\s-]the[\s-]large|calibration\s+intercept"),
    ("or", r"(?-i:\b(?:a|adjusted\s+|crude\s+)?ORs?\b)|odds\s+ratios?"),
    ("hr", r"(?-i:\ba?HRs?\b)|hazard\s+ratios?"),
    ("rr", r"(?-i:\bRRs?\b)|relative\s+risks?|risk\s+ratios?"),
    ("se", r"(?-i:\bS\.?E\.?(?![A-Za-z]))|standard\s+errors?"),
    ("beta", r"β|\bbeta\b|\bcoefficients?\b|\bcoef\b\.?|(?-i:\bB\b)|\blog[\s-]odds\b"),
    ("statistic", r"χ\s*2|χ²|\bchi[\s-]?squares?\b|\bWald\b|\b[tzfTZF](?:\s*/\s*[tzfTZF])?[\s-]?values?\b|"
                  r"\bstatistics?\b"),
    ("p", r"(?<![A-Za-z0-9])[Pp](?:[\s-]*values?)?(?![A-Za-z0-9])|\bSig\.?(?![a-z])|\bsignificance\b"),
    ("cutoff", r"\bcut[\s-]?off\b|\bthreshold\b"),
)
# the rates of a 2x2 table that the audit's registry declares (registry.METRICS) bring their header words: a
# known role's are joined to its pattern, a new role's pattern goes before P's (so that "P (FDR)" is a P: P's
# match would blank the "P" that tells FDR's words it is an adjusted P)
_EXTRA = dict(metric_words())
ROLE_WORDS = tuple((role, f"{rx}|{_EXTRA.pop(role)}" if role in _EXTRA else rx) for role, rx in ROLE_WORDS)
ROLE_WORDS = tuple(x for x in ROLE_WORDS if x[0] not in ("p", "cutoff")) + tuple(_EXTRA.items()) \
    + tuple(x for x in ROLE_WORDS if x[0] in ("p", "cutoff"))
_ROLE_RX = [(role, re.compile(rx, re.I)) for role, rx in ROLE_WORDS]
#: a segment that is only the confidence interval of the estimate beside it
CI_ONLY = re.compile(r"^\s*(?:95\s*%\s*)?(?:CI|confidence\s+intervals?)\s*$|^\s*95\s*%\s*CI\b.*$", re.I)
_CI_IN = re.compile(r"\bCI\b|confidence\s+interval", re.I)
#: an ``n`` column or row: the number of patients, not a count of a level
N_ONLY = re.compile(r"^\s*(?:n|N|No\.|Number|Number of (?:patients|cases|subjects)|No\.? of (?:patients|cases)|"
                    r"Patients?,?\s*\(?n\)?|Sample size|Total,? n|Cases)\s*$")
#: only the explicit phrases: a bare "Event" heads an outcome group in a characteristics table
EVENTS = re.compile(r"^\s*(?:No\.? of events|number of events|events?,? n|n\s*events?)\s*$", re.I)

COHORT = re.compile(r"\b(?:training|train|development|derivation|discovery|primary|validation|validating|"
                    r"test(?:ing)?|external|internal|independent|prospective|retrospective|temporal)\b"
                    r"(?:\s+(?:cohorts?|sets?|datasets?|groups?|samples?|data))?|\bcohorts?\b|\bdatasets?\b", re.I)
COHORT_HEADER = re.compile(r"^\s*(?:cohorts?|data\s*sets?|sets?|samples?|groups? of patients)\s*$", re.I)
MODEL_HEADER = re.compile(r"^\s*(?:models?|signatures?|classifiers?|methods?|nomograms?|scores?|predictors?|"
                          r"algorithms?|radiomics\s+models?|features?\s+sets?)\s*$", re.I)
VARIABLE_HEADER = re.compile(r"^\s*(?:variables?|characteristics?|factors?|parameters?|features?|covariates?|"
                             r"terms?|predictors?)\b.*$", re.I)
_SIZE = re.compile(r"[(\[,;]?\s*\b[nN]\s*=\s*(\d[\d,]*)\s*[)\]]?|\((\d+)\)\s*$")
HINT_COUNT = re.compile(r"\b(?:n|No\.?|number|count)\s*[(\[]\s*%\s*[)\]]|\bn\s*\(\s*%|\bcases?\s*\(%\)|"
                        r"\bn\s*/\s*N\b", re.I)
HINT_PERCENT = re.compile(r"\(\s*%\s*\)|^\s*%\s*$|\bpercent(?:age)?\b|,\s*%\s*$", re.I)
HINT_MEAN = re.compile(r"\bmean\b|\bSD\b|±", re.I)
HINT_MEDIAN = re.compile(r"\bmedian\b|\bIQR\b|interquartile|\bQ1\b", re.I)
HINT_RANGE = re.compile(r"\brange\b|\bmin\b", re.I)
_STRIP = re.compile(r"\s+")


@lru_cache(maxsize=65536)
def roles_of(segment: str) -> list[str]:
    """The roles a header segment names, in the order of ROLE_WORDS (``AUC (95% CI)`` -> [auc]; the CI is
    :func:`has_ci`). A form hint (``n (%)``) names no role."""
    # a footnote letter glued to an abbreviation as a page's text gives it: "AUCa (95% CI)", "ORb"
    s = re.sub(r"\b(AUC|AUROC|OR|HR|RR|PPV|NPV|SEN|SPE|ACC)[a-e]\b", r"\1", segment)
    s = HINT_COUNT.sub(" ", s)
    s = re.sub(r"\(\s*%\s*\)", " ", s)
    s = re.sub(r"\b(?:mean|median)\b.*$", " ", s, flags=re.I) if not re.search(r"\bAUC|\bC[-\s]index", s, re.I) else s
    s = re.sub(r"95\s*%\s*(?:CI|confidence\s+intervals?)|\bCI\b", " ", s, flags=re.I)
    found = []
    for role, rx in _ROLE_RX:
        m = rx.search(s)
        if m:
            if role in ("beta", "se") and _looks_like_prose(s, role):
                continue
            found.append((m.start(), role))
            s = rx.sub(lambda x: " " * len(x.group(0)), s)
    return [role for _, role in sorted(found)]


@lru_cache(maxsize=65536)
def without_statistics(segment: str) -> str:
    """A label without its statistics' words, CI and form: ``Clinical variable (95% CI)`` -> ``Clinical
    variable``, ``Variables HR (95% CI)`` -> ``Variables``, ``AUC (95% CI)`` -> ``""``."""
    s = re.sub(r"95\s*%\s*(?:CI|confidence\s+intervals?)|\bCI\b|confidence\s+intervals?", " ", clean_name(segment),
               flags=re.I)
    s = HINT_COUNT.sub(" ", s)
    for role, rx in _ROLE_RX:
        if role not in ("beta", "se") or not _looks_like_prose(s, role):
            s = rx.sub(" ", s)
    return _STRIP.sub(" ", re.sub(r"[()\[\],;:%/±-]+", " ", s)).strip()


def _looks_like_prose(s: str, role: str) -> bool:
    # "B" and "SE" only as a header of their own (a regression table's column), not inside a name
    if role == "beta":
        return bool(re.search(r"\bB\b", s)) and not re.fullmatch(r"\s*B\s*(?:\(\s*SE\s*\))?\s*", s) and \
            not re.search(r"β|\bbeta\b|\bcoef", s, re.I)
    if role == "se":
        return not re.fullmatch(r"\s*S\.?E\.?\s*(?:\(.*\))?\s*", s, re.I) and \
            not re.search(r"standard\s+errors?", s, re.I)
    return False


@lru_cache(maxsize=65536)
def has_ci(segment: str) -> bool:
    return bool(_CI_IN.search(segment))


@lru_cache(maxsize=65536)
def is_ci_only(segment: str) -> bool:
    return bool(CI_ONLY.match(segment)) and not roles_of(segment)


@lru_cache(maxsize=65536)
def size_in(segment: str) -> int | None:
    """``Training cohort (n = 120)`` -> 120."""
    m = _SIZE.search(segment)
    if not m:
        return None
    return int((m.group(1) or m.group(2)).replace(",", ""))


def size_position(segment: str) -> int:
    """Which number of the segment its size is: ``D1test N=419`` -> 1 (the name's digit is the first), as a row
    label's (readers/accounting.py)."""
    m = _SIZE.search(segment)
    return len(re.findall(r"\d+(?:\.\d+)?", segment[:m.start()])) if m else 0


#: a form printed after a name; each word only as a whole word (``Diameter of lesion (%)`` keeps its ``n``)
_FORM_SUFFIX = re.compile(
    r"[,;:]?\s*[(\[{]?\s*(?:\b(?:n|No\.?|number)\s*[(\[]\s*%\s*[)\]]|\bn\s*,\s*%|(?<![\d.])%|"
    r"\bmean\s*(?:±|\+/-|\(\s*)\s*SD\s*\)?|\bmedian\s*[(\[,]?\s*(?:IQR|range|interquartile\s+range|Q1\s*[-–,]\s*Q3)"
    r"\s*[)\]]?)\s*[)\]}]?\s*$",           # braces hold a form as parentheses do: ``{median (Q1–Q3)}``
    re.I)


#: a bracketed form at a name's end, as a whole (``(No. %)``, ``(n, %)``, ``(mean, y ± SD)``, ``(median; range)``):
#: the words that say how the numbers are printed; a ``%`` after a digit is the name's (``Percentile 1%``,
#: ``≦50%``), and a CI's bracket (``(95% CI)``) is a statistic's, not a form; ``n (%)`` is _FORM_SUFFIX's
_FORM_BRACKET = re.compile(r"\s*[(\[{](?P<inside>[^()\[\]{}]*)[)\]}]\s*$")
_FORM_WORD = re.compile(r"\b(?:mean|median|SD|IQR|range|n|number|quartiles?|Q[13]|min|max)\b|\bNo\.|±|"
                        r"(?<![\d.])(?<!\d\s)%", re.I)


_FORM_LIST = re.compile(r"^\s*(?:mean|median|n|No\.)\s*[,;]", re.I)


def _without_bracketed_form(s: str) -> str:
    m = _FORM_BRACKET.search(s)
    # two form words at least (a summary and its spread, a count and its %), or a list that starts with the
    # summary (``(mean, ng/mL; ...)``): ``(SD)`` alone is left as it was
    if not m or re.search(r"\bCI\b|confidence|[=<>≤≥]", m.group("inside"), re.I) or not (
            len(_FORM_WORD.findall(m.group("inside"))) >= 2 or _FORM_LIST.match(m.group("inside"))):
        return s
    return s[:m.start()] if s[:m.start()].strip() else s


_FORMS = (r"\b(?:n|No\.?|number)\s*[(\[]\s*%\s*[)\]]|\bmean\s*(?:±|\+/-|\(\s*)\s*SD\s*\)?|"
          r"\bmedian\s*[(\[,]?\s*(?:IQR|range|interquartile\s+range|Q1\s*[-–,]\s*Q3)\s*[)\]]?")
#: a form printed between a name and its unit (``Age, mean ± SD, years``, ``Tumor diameter, median (IQR), cm``)
_FORM_BEFORE_UNIT = re.compile(rf"\s*(?:[,;]\s*|(?=[(\[]))[(\[]?\s*(?:{_FORMS})\s*[)\]]?\s*"
                               r"(?=[,;]\s*[^,;()\[\]]{1,20}$)", re.I)


@lru_cache(maxsize=65536)
def clean_name(segment: str) -> str:
    """A header as a place name: without its ``(n = 120)``, its form (``, n (%)``, ``(mean ± SD)``, and one
    between the name and its unit: ``Age, mean ± SD, years`` -> ``Age, years``), footnote marks, trailing ``:``
    and extra spaces."""
    # "(n = 120)" goes whole; "(test set N = 357)" keeps its words and its closing parenthesis
    s = re.sub(r"[(\[]\s*\b[nN]\s*=\s*\d[\d,]*\s*[)\]]|[,;]?\s*\b[nN]\s*=\s*\d[\d,]*", " ", segment)
    s = re.sub(r"\s+([)\]])", r"\1", s)
    s = _FORM_BEFORE_UNIT.sub("", s)                 # the form between a name and its unit: the unit stays
    stripped = _FORM_SUFFIX.sub("", s)
    # a bracketed form goes whole, a unit inside it too; never cut inside its bracket (``(No. %)`` at its ``%``)
    unbalanced = stripped.count("(") > stripped.count(")") or stripped.count("[") > stripped.count("]")
    stripped = _without_bracketed_form(s if unbalanced else stripped)
    s = stripped if stripped.strip() else s
    s = re.sub(rf"[{re.escape(MARKS.replace('‖', ''))}]+", " ", s)
    s = re.sub(r"\s*[:,;—–]\s*$|—[a-e]$", "", s.strip())
    return _STRIP.sub(" ", s).strip()


_STRONG_COHORT = re.compile(
    r"^(?:the\s+)?(?:(?:pooled|combined|whole|entire|overall|total|multi-?cent(?:er|re)|additional)\s+)?"
    r"(?:(?:internal|external|independent|temporal|prospective|retrospective)\s+(?:cohort\s+)?)?"
    r"(?:training|train|development|derivation|discovery|primary|validation|validating|test(?:ing)?|external|"
    r"internal|(?<=pooled )|(?<=whole )|(?<=entire )|(?<=overall )|(?<=total )|(?<=combined ))"
    r"(?:\s*(?:validation|test(?:ing)?))?(?:\s*(?:cohorts?|sets?|datasets?|groups?|samples?|data)"
    r"(?:\s*[-–]?\s*(?:\d{1,2}|[A-Z]\d{1,2}|[A-Z]|I{1,3}|IV))?|\s*[-–]?\s*\d{1,2})?$", re.I)


@lru_cache(maxsize=65536)
def is_cohort(segment: str, by_head_noun: bool = True) -> bool:
    """A cohort's name: ``Training cohort``, ``External validation set 2``, ``Test`` (parentheses aside:
    ``Validation cohort (center B)``; a footnote letter glued on: ``Traininga``); a word alone inside a longer
    label (``Primary tumour site``) is not. ``by_head_noun``: also ``Developing cohort`` (cohort_names.py), for a
    column header; a row label read so could be a variable (``Source cohort``) or its level (``Hospital A
    cohort``), so the rows' callers pass False."""
    name = re.sub(r"\s*[(\[].*?[)\]]\s*", " ", clean_name(segment)).strip()
    return bool(_STRONG_COHORT.match(name) or _STRONG_COHORT.match(re.sub(r"(?<=[a-z]{4})[a-e]$", "", name))) or \
        (by_head_noun and headed_cohort(name))


_TOTAL = re.compile(r"^\s*(?:total|overall|all(?:\s+(?:patients|cases|subjects|participants))?|whole\s+sample|"
                    r"(?:entire|whole)\s+(?:sets?|cohorts?|data\s*sets?|samples?|population))\s*$", re.I)


@lru_cache(maxsize=65536)
def is_total(segment: str) -> bool:
    """``Total (n = 283)``, ``Overall``, ``All patients``, ``Entire set``: the whole sample of a table's columns
    (beside its cohorts, their union: a P compares the cohorts, not it with them)."""
    return bool(_TOTAL.match(clean_name(segment)))


#: abbreviations that name a statistic only as a column's header: in a row label ``B`` is a level (Child-Pugh B)
_COLUMN_ONLY = re.compile(r"^\s*(?:B|SE|SP|SN|t|z|F)\s*$")


#: a cut-off with its value over statistics' columns (``Average probability threshold p > 0.265``): the
#: condition they were computed at, not a column of cut-off values (nor its ``p`` a P)
_CONDITION = re.compile(r"\b(?:cut[\s-]?off|threshold)\b[^<>=≤≥\d]*(?:[<>=≤≥]+|\bat\b)\s*\d", re.I)


@lru_cache(maxsize=65536)
def is_condition(segment: str) -> bool:
    """A header naming a cut-off and its value (``threshold p > 0.265``, ``cut-off = 0.5``): the condition of
    the statistics under it, no role and no name (two such conditions leave their numbers duplicates, unplaced)."""
    return bool(_CONDITION.search(segment))


@lru_cache(maxsize=65536)
def segment_roles(segment: str, row: bool = False) -> list[str]:
    """:func:`roles_of`, with a segment that is only ``n`` / ``No.`` the number of patients and ``Events``
    a count of events; ``row``: a row label, where a lone letter or two is a level's name."""
    if (row and _COLUMN_ONLY.match(clean_name(segment))) or is_condition(segment):
        return []
    name = clean_name(split_cohort(segment)[1])
    if N_ONLY.match(name):
        return ["n"]
    if EVENTS.match(name):
        return ["events"]
    found = roles_of(split_cohort(segment)[1])
    if not found:           # a footnote letter glued to the word as the page's text gives it: "AUCa", "valuea"
        m = re.match(r"^(.*[A-Za-z)])[a-e]$", segment.strip())
        if m and not re.search(r"(?i)beta$", segment.strip()):
            found = roles_of(split_cohort(m.group(1))[1])
    return found


#: a unit's symbol, never a group's name: ``mg/dL`` is a unit, ``Male/Female`` two groups
_UNIT = r"(?:[mµμnp]?(?:g|mol|l|L)|kg|IU|U|cm|mm|m2|h|hr|min|s|d|y|yr|mmHg|ml|mL|dl|dL|HPF|hpf)"
#: a label's last bracket naming its two levels (``Gender (M/F)``, ``Shape (regular/irregular)``); ``(n/N)``,
#: ``(k/n)`` name a count over its n, not two levels
_BRACKET_PAIR = re.compile(r"\((?P<pair>[^()]*/[^()]*)\)\s*$")
_COUNT_SYMBOL = {"n", "k", "x", "no", "no."}
_SLASH_PAIR = re.compile(r"^\s*(?P<a>[^\W\d_][\w -]*?)\s*/\s*(?P<b>[^\W\d_][\w -]*?)\s*$")


@lru_cache(maxsize=65536)
def slash_pair(label: str) -> bool:
    """A row label of two names joined by a slash (``Male/Female``, ``Biopsy/Surgery``, ``Yes/No``): a row
    whose ``169/31`` prints the two groups' counts in the label's order, not a count and its n. A unit
    (``mg/dL``, ``U/mL``) is not such a pair."""
    m = _SLASH_PAIR.match(clean_name(label))
    if bool(m) and not any(re.fullmatch(_UNIT, x.strip()) for x in (m.group("a"), m.group("b"))) and \
            all(len(x.strip()) >= 2 for x in (m.group("a"), m.group("b"))):
        return True
    # the levels printed in the label's last bracket, after the variable's name (``Gender (M/F)``,
    # ``Shape (regular/irregular)``): there one letter may name a level (M, F, Y), a count symbol may not
    b = _BRACKET_PAIR.search(label or "")
    m = _SLASH_PAIR.match(b.group("pair")) if b and label[:b.start()].strip() else None
    return bool(m) and not any(re.fullmatch(_UNIT, x.strip()) or x.strip().lower() in _COUNT_SYMBOL
                               for x in (m.group("a"), m.group("b")))


def without_levels(label: str) -> str:
    """``Gender (M/F)`` -> ``Gender``: the variable's name without the bracket that names its two levels (the
    variable's P is Gender's); a unit's bracket (``ALT (U/L)``) and ``(n/N)`` stay. Unchanged where there is none."""
    b = _BRACKET_PAIR.search(label or "")
    if not b or not label[:b.start()].strip() or _SLASH_PAIR.match(clean_name(label)):
        return label
    m = _SLASH_PAIR.match(b.group("pair"))
    if not m or any(re.fullmatch(_UNIT, x.strip()) or x.strip().lower() in _COUNT_SYMBOL
                    for x in (m.group("a"), m.group("b"))):
        return label
    return label[:b.start()].strip()


def hints(segments) -> set[str]:
    """Form hints of header segments: count (``n (%)``), percent, mean, median, range."""
    return set(_hints(tuple(segments)))


@lru_cache(maxsize=65536)
def _hints(segments: tuple) -> frozenset:
    out = set()
    for s in segments:
        if HINT_COUNT.search(s):
            out.add("count")
        elif HINT_PERCENT.search(s):
            out.add("percent")
        if HINT_MEAN.search(s):
            out.add("mean")
        if HINT_MEDIAN.search(s):
            out.add("median")
        if HINT_RANGE.search(s):
            out.add("range")
    return frozenset(out)


_HORIZON = re.compile(r"^\s*\d+(?:\.\d+)?\s*-?\s*(?:yr|yrs|years?|y|months?|mo|mos)\.?\s*$", re.I)


def is_horizon(segment: str) -> bool:
    """``3-yr``, ``1-year``, ``5 years``, ``36 months``: a time horizon (the outcome within that time), never a
    model's or cohort's name."""
    return bool(_HORIZON.match(segment or ""))


def stated_forms(segments) -> dict:
    """The forms a table's own text states for its two ambiguous cell shapes, where exactly one is stated
    (caption, footnote, any column header, any row label): ``pair`` (``a (b)``) is ``count`` where the text
    names ``n (%)`` or ``(%)`` and never a ``mean (SD)`` (a ``mean ± SD`` names the ``±`` shape, not this one) nor
    a median; ``interval`` (``a (b-c)``) is ``iqr`` where it names a median or an IQR and never a range, a CI
    or a mean, ``range`` where it names a median with its range and never an IQR, a CI or a mean. A form
    stated for one row is the paper's convention for the shape, as a caption's ``Data are median (IQR)`` is;
    two stated forms leave the shape unstated."""
    count = mean_pair = median = iqr = rng = ci = False
    for s in segments:
        s = s or ""
        count |= bool(HINT_COUNT.search(s) or HINT_PERCENT.search(s))
        if HINT_MEAN.search(s):
            mean_pair |= "±" not in s and "+/-" not in s
        median |= bool(re.search(r"\bmedian\b", s, re.I))
        iqr |= bool(re.search(r"\bIQR\b|interquartile|\bQ1\b|quartile", s, re.I))
        rng |= bool(HINT_RANGE.search(s))
        ci |= bool(re.search(r"\bCI\b|confidence", s, re.I))
    out = {}
    if count and not mean_pair and not median:
        out["pair"] = "count"
    if (median or iqr) and not (rng or ci):       # a mean stated beside (``mean ± SD``) is another shape
        out["interval"] = "iqr"
    elif median and rng and not (iqr or ci):
        out["interval"] = "range"
    return out


_COHORT_WORD = (r"(?:(?:internal|external|independent|temporal)\s+)?(?:training|train|development|derivation|discovery|"
                r"validation|test(?:ing)?|external)(?:\s+(?:validation|test(?:ing)?))?"
                r"(?:\s+(?:cohorts?|sets?|datasets?|groups?|samples?))?")
_PREFIX = re.compile(rf"^(?P<c>{_COHORT_WORD})\b[\s,:;–-]+(?P<rest>\S.*)$", re.I)
# the cohort word after a word boundary: ``D1test`` (a dataset's name with its split glued on) is one name
_SUFFIX = re.compile(rf"^(?P<rest>.*?\S)[\s,;:–-]*[(\[]?\s*(?:in\s+(?:the\s+)?)?\b(?P<c>{_COHORT_WORD})\s*[)\]]?$", re.I)


@lru_cache(maxsize=65536)
def cohort_name(segment: str) -> str:
    """A cohort's name as a place: ``Traininga [6]`` -> ``Training``, ``Validationb (present study)`` ->
    ``Validation``, ``Training cohort (n = 85)`` -> ``Training cohort``."""
    name = re.sub(r"\s*[(\[].*?[)\]]\s*", " ", clean_name(segment)).strip()
    if not _STRONG_COHORT.match(name):
        name = re.sub(r"(?<=[a-z]{4})[a-e]$", "", name)
    return name if _STRONG_COHORT.match(name) else clean_name(segment)


@lru_cache(maxsize=65536)
def split_cohort(segment: str) -> tuple[str, str]:
    """(cohort, the rest) of a header segment: ``Training non-event`` -> (Training, non-event), ``AUC
    (validation)`` -> (validation, AUC), ``Training cohort`` -> (Training cohort, ""), ``EPR`` -> ("", EPR)."""
    if is_cohort(segment):
        return cohort_name(segment), ""
    name = clean_name(segment)
    for rx in (_PREFIX, _SUFFIX):
        m = rx.match(name)
        if m and m.group("rest").strip(" ,;:()[]"):
            return m.group("c").strip(), m.group("rest").strip(" ,;:")
    return "", segment
