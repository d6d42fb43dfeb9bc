"""Tables and running text of an article's saved HTML page and of a JATS XML full text (PMC, Frontiers).

HTML: every ``<table>`` with its ``rowspan`` / ``colspan`` expanded, ``<thead>`` (or leading rows of ``<th>``)
as header rows, the caption from ``<caption>`` or the nearest ``Table N`` text before the table, footnote
marks in ``<sup>`` dropped from data cells, a row label's indentation (leading spaces, ``&nbsp;``, a
``padding-left`` / ``indent`` style) kept. JATS: every ``<table-wrap>`` with its ``<label>``, ``<caption>``
and ``<table-wrap-foot>``, its table read as HTML's. The running text (paragraphs) is returned for the
sentence reader, one paragraph a line.
"""
from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from .table import TextTable, expand_spans, table_label

_BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "section", "title", "br", "tr", "caption",
          "article", "header", "footer", "figcaption", "dd", "dt", "blockquote", "sec", "abstract", "label",
          "table-wrap", "fig", "ref", "list-item"}
_SKIP = {"script", "style", "head", "noscript", "svg", "math", "ref-list", "back", "nav"}
_FOOT_SUP = re.compile(r"^[\s,a-hA-H*†‡§¶#\d]{0,4}$")


class _Parser(HTMLParser):
    def __init__(self, source: str, xml: bool):
        super().__init__(convert_charrefs=True)
        self.source, self.xml = source, xml
        self.text: list[str] = []           # running-text pieces, blocks separated by "\n"
        self.tables: list[TextTable] = []
        self.stack: list[dict] = []         # open tables (nested tables are read as their own)
        self.skip = 0
        self.sup = 0
        self.recent = ""                    # the last caption-like text before a table
        self.wrap: dict | None = None       # JATS <table-wrap>: label, caption, foot
        self.wrap_part = ""

    # --------------------------------------------------------------------------- tags
    def handle_starttag(self, tag, attrs):
        tag = tag.lower()
        a = dict(attrs)
        if tag in _SKIP:
            self.skip += 1
            return
        if tag == "table-wrap":
            self.wrap = {"label": "", "caption": "", "foot": "", "tables": 0}
        elif self.wrap is not None and tag in ("label", "caption", "table-wrap-foot") and not self.stack:
            self.wrap_part = {"table-wrap-foot": "foot"}.get(tag, tag)
        if tag == "table":
            self.stack.append({"rows": [], "head": [], "section": "", "row": None, "cell": None, "caption": "",
                               "foot": ""})
        elif self.stack:
            t = self.stack[-1]
            if tag in ("thead", "tbody", "tfoot"):
                t["section"] = tag
            elif tag == "tr":
                t["row"] = []
            elif tag in ("td", "th") and t["row"] is not None:
                style = (a.get("style") or "") + " " + (a.get("class") or "")
                pad = re.search(r"(?:padding|margin)-left\s*:\s*(\d+(?:\.\d+)?)", style)
                t["cell"] = {"text": "", "rs": a.get("rowspan") or 1, "cs": a.get("colspan") or 1, "th": tag == "th",
                             "indent": (1 if pad and float(pad.group(1)) > 0 else 0) + (1 if "indent" in style else 0)}
            elif tag == "caption":
                t["in_caption"] = True
            elif tag == "sup":
                self.sup += 1
            elif tag == "br" and t.get("cell"):
                t["cell"]["text"] += " "
        elif tag == "sup":
            self.sup += 1
        if tag in _BLOCK and not self.stack:
            self.text.append("\n")

    def handle_endtag(self, tag):
        tag = tag.lower()
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
            return
        if tag == "sup":
            self.sup = max(0, self.sup - 1)
        if self.stack:
            t = self.stack[-1]
            if tag in ("td", "th") and t.get("cell") is not None and t["row"] is not None:
                t["row"].append(t["cell"])
                t["cell"] = None
            elif tag == "tr" and t["row"] is not None:
                if t["row"]:
                    t["rows"].append((t["section"], t["row"]))
                t["row"] = None
            elif tag == "caption":
                t["in_caption"] = False
            elif tag == "table":
                self._close(self.stack.pop())
            return
        if tag in ("label", "caption", "table-wrap-foot"):
            self.wrap_part = ""
        if tag == "table-wrap":
            self.wrap = None
        if tag in _BLOCK:
            self.text.append("\n")

    def handle_data(self, data):
        if self.skip:
            return
        if self.stack:
            t = self.stack[-1]
            if t.get("in_caption"):
                t["caption"] += data
            elif t.get("cell") is not None:
                cell = t["cell"]
                if self.sup and (not cell["th"]) and _FOOT_SUP.match(data) and cell["text"].strip():
                    return                                   # a footnote mark after a number
                if self.sup and cell["th"] and re.fullmatch(r"\s*[a-h*†‡§¶#]\s*", data):
                    return
                if not cell["text"].strip():
                    lead = len(data) - len(data.lstrip(" \xa0\u2003\u2002\t"))
                    cell["indent"] += lead // 2 if lead >= 2 else 0
                cell["text"] += data
            return
        if self.wrap is not None and self.wrap_part:
            self.wrap[self.wrap_part] += data
            return
        self.text.append(data)
        s = data.strip()
        if table_label(s):
            self.recent = s
        elif self.recent and s and len(self.recent.split()) < 4:      # "Table 2" then its title
            self.recent += " " + s

    # --------------------------------------------------------------------------- a table
    def _close(self, t: dict) -> None:
        rows = t["rows"]
        if not rows:
            return
        head = sum(1 for sec, _ in rows if sec == "thead")
        if not head:                                       # no <thead>: leading rows of <th> only
            for _, row in rows:
                if all(c["th"] for c in row) and len(row) > 1:
                    head += 1
                else:
                    break
        grid, copies = expand_spans([[(re.sub(r"\s+", " ", c["text"]).strip(), c["rs"], c["cs"]) for c in row]
                                     for _, row in rows])
        indent = [row[0]["indent"] if row else 0 for _, row in rows]
        if self.wrap is not None:
            label = re.sub(r"\s+", " ", self.wrap["label"]).strip()
            cap = re.sub(r"\s+", " ", self.wrap["caption"]).strip()
            caption = f"{label} {cap}".strip() if label else cap
            foot = re.sub(r"\s+", " ", self.wrap["foot"]).strip()
        else:
            caption = re.sub(r"\s+", " ", t["caption"]).strip() or self.recent
            foot = ""
        self.recent = ""
        k = len(self.tables) + 1
        self.tables.append(TextTable(caption, f"{self.source}#table{k}", grid, header_rows=head or None,
                                     indent=indent, copies=copies, footnote=foot))


def _entities(text: str) -> str:
    """Named HTML entities in XML (``&nbsp;`` in a JATS file without its DTD) as their characters."""
    return re.sub(r"&(?!lt;|gt;|amp;|quot;|apos;|#)(\w+);", lambda m: html.unescape(m.group(0)), text)


def read_markup(text: str, source: str, xml: bool = False) -> tuple[list[TextTable], str]:
    """(tables, running text) of an HTML page or a JATS XML file."""
    if xml:
        text = _entities(text)
        text = re.sub(r"<\?xml[^>]*\?>|<!DOCTYPE[^>]*>", "", text)
        # JATS' <title> of a table-wrap's caption is part of the caption; a section's <title> a heading
    p = _Parser(source, xml)
    p.feed(text)
    p.close()
    running = re.sub(r"[ \t\xa0]+", " ", "".join(p.text))
    running = "\n\n".join(line.strip() for line in running.split("\n") if line.strip())
    return p.tables, running
