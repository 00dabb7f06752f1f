"""Shared look and small HTML builders. Every CSV or user string is escaped here, at the boundary.

Pure functions return HTML strings (doctestable); :func:`panel` wraps widgets in the common frame.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence

import ipywidgets as widgets

#: One small stylesheet, scoped by the ``cp-`` prefix; loaded with every panel (duplicates are harmless).
STYLE = """
<style>
.widget-html-content:has(.cp-panel, .cp-card, .cp-table, .cp-next, .cp-notice, .cp-error, .cp-muted, .cp-small) {
  line-height: 1.45; }
.cp-panel { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f2933;
  max-width: 980px; }
.cp-title { font-size: 1.15em; font-weight: 600; margin: 0 0 4px 0; }
.cp-muted { color: #52606d; font-size: 0.92em; }
.cp-small { font-size: 0.85em; color: #52606d; }
.cp-card { border: 1px solid #d9e2ec; border-radius: 8px; padding: 10px 14px; margin: 6px 0;
  background: #ffffff; }
.cp-badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 0.8em;
  background: #e3f8ff; color: #035388; margin-right: 4px; white-space: nowrap; }
.cp-badge-warn { background: #fff3c4; color: #8d2b0b; }
.cp-badge-ok { background: #e3f9e5; color: #0e5814; }
.cp-badge-bad { background: #ffe3e3; color: #8a041a; }
.cp-table { border-collapse: collapse; width: 100%; font-size: 0.92em; }
.cp-table th, .cp-table td { border-bottom: 1px solid #e4e7eb; padding: 5px 8px; text-align: left;
  vertical-align: top; }
.cp-table th { background: #f5f7fa; font-weight: 600; }
.cp-notice { border-left: 4px solid #f0b429; background: #fffbea; padding: 8px 12px; margin: 6px 0; }
.cp-error { border-left: 4px solid #e12d39; background: #ffeeee; padding: 8px 12px; margin: 6px 0; }
.cp-next { border-left: 4px solid #2680c2; background: #f0f4f8; padding: 8px 12px; margin: 6px 0; }
.cp-card a, .cp-next a, .cp-panel a, .cp-notice a { color: #1764ab; text-decoration: underline; }
.cp-source { font-size: 0.8em; color: #616e7c; word-break: break-word; }
</style>
"""


def esc(value: object) -> str:
    """Escape any value for HTML; ``None`` becomes an em dash meaning "unknown".

    >>> esc("<script>alert(1)</script>")
    '&lt;script&gt;alert(1)&lt;/script&gt;'
    >>> esc(None)
    '—'
    """
    if value is None or value == "":
        return "—"
    return html.escape(str(value), quote=True)


def money(value: float | None) -> str:
    """Dollars for a figure, or "not found" for an unknown one.

    >>> money(425.0), money(None)
    ('$425', 'not found')
    """
    if value is None:
        return "not found"
    return f"${value:,.0f}" if float(value).is_integer() else f"${value:,.2f}"


def badge(text: str, kind: str = "") -> str:
    """A small label; ``kind`` is "", "ok", "warn" or "bad".

    >>> badge("AHIMA")
    '<span class="cp-badge">AHIMA</span>'
    """
    extra = f" cp-badge-{kind}" if kind else ""
    return f'<span class="cp-badge{extra}">{esc(text)}</span>'


def source_line(source: str, as_of: object) -> str:
    """The "Source … (as of …)" footnote of a fact; several sources are split on " | ".

    Links are shown as text, not anchors, so nothing on a page points off the local server.

    >>> source_line("https://a.example | https://b.example", "2026")
    '<div class="cp-source">Source (as of 2026): https://a.example; https://b.example</div>'
    """
    parts = "; ".join(esc(p.strip()) for p in str(source).split("|") if p.strip())
    return f'<div class="cp-source">Source (as of {esc(as_of)}): {parts}</div>'


def table(headers: Sequence[str], rows: Iterable[Sequence[str]], raw_columns: Iterable[int] = ()) -> str:
    """An HTML table; cells are escaped unless their column index is in ``raw_columns`` (pre-built HTML).

    >>> table(["a"], [["<b>"]])
    '<table class="cp-table"><thead><tr><th>a</th></tr></thead><tbody><tr><td>&lt;b&gt;</td></tr></tbody></table>'
    """
    raw = set(raw_columns)
    head = "".join(f"<th>{esc(h) if h else ''}</th>" for h in headers)
    thead = f"<thead><tr>{head}</tr></thead>" if any(headers) else ""
    if not thead and len(headers) == 2:  # a key/value table: keys in one aligned column
        thead = "<colgroup><col style='width:170px'><col></colgroup>"
    body = "".join(
        "<tr>" + "".join(f"<td>{c if i in raw else esc(c)}</td>" for i, c in enumerate(row)) + "</tr>"
        for row in rows
    )
    return f'<table class="cp-table">{thead}<tbody>{body}</tbody></table>'


def notice(text: str, kind: str = "notice") -> str:
    """A highlighted message box (kind: "notice", "error" or "next")."""
    return f'<div class="cp-{kind}">{esc(text)}</div>'


def header(title: str, subtitle: str = "") -> widgets.HTML:
    """The title line of a panel, with the shared stylesheet."""
    sub = f'<div class="cp-muted">{esc(subtitle)}</div>' if subtitle else ""
    return widgets.HTML(value=f'{STYLE}<div class="cp-panel"><div class="cp-title">{esc(title)}</div>{sub}</div>')


#: A figure whose period ended more than this many days ago gets the "check the official page" badge.
STALE_AFTER_DAYS = 730
#: ipywidgets gives HTML widgets a one-line (28 px) line height; paragraphs and tables in these panels read
#: better at a normal one. Scoped to boxes with the ``cp-panel`` class, which these widgets add to themselves.
PANEL_STYLE = "<style>.cp-panel .widget-html-content { line-height: 1.45; }</style>"


def panel_header(title: str, subtitle: str = "") -> widgets.HTML:
    """The shared title line (:func:`header`) plus :data:`PANEL_STYLE`."""
    head = header(title, subtitle)
    head.value = PANEL_STYLE + head.value
    return head


def stale_badge(as_of: object) -> str:
    """The warning on a figure older than :data:`STALE_AFTER_DAYS`.

    >>> stale_badge("2023-05")
    '<span class="cp-badge cp-badge-warn">figure from 2023 — check the official page</span>'
    """
    return badge(f"figure from {str(as_of)[:4]} — check the official page", "warn")
