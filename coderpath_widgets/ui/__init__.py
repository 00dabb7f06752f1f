"""Shared look and small HTML builders. Every CSV or user string is escaped here, at the boundary.

Pure functions return HTML strings (doctestable); :func:`panel` wraps widgets in the common frame.
"""

from __future__ import annotations

import enum
import html
from collections.abc import Iterable, Sequence

import ipywidgets as widgets

# the formatters, re-exported so pages write ``ui.money(...)``, ``ui.format_date(...)``, ``ui.format_number(...)``
from coderpath_widgets.ui.format import format_date as format_date
from coderpath_widgets.ui.format import format_number as format_number
from coderpath_widgets.ui.format import money as money
from coderpath_widgets.ui.format import plural as plural

#: One small stylesheet, scoped by the ``cp-`` prefix; loaded with every panel (duplicates are harmless).
STYLE = """
<style>
.widget-html-content:has(.cp-panel, .cp-card, .cp-table, .cp-next, .cp-notice, .cp-error, .cp-muted, .cp-small) {
  line-height: 1.5; }
.cp-panel { font-family: var(--cp-font, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif);
  color: var(--cp-color-text, #1f2933); max-width: 100%; }
.cp-title { font-size: 1.125rem; font-weight: 600; margin: 0 0 4px 0; line-height: 1.3; }
.cp-muted { color: var(--cp-color-muted, #4a5562); }
.cp-small { font-size: 0.875rem; color: var(--cp-color-muted, #4a5562); }
.cp-card { border: 1px solid var(--cp-color-border, #c3cbd4); border-radius: 6px; padding: 12px 16px;
  margin: 8px 0; background: var(--cp-color-surface, #ffffff); }
.cp-badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 0.875rem;
  background: var(--cp-info-bg, #e8f1fb); color: var(--cp-info-fg, #0b3d78); margin: 0 4px 2px 0; }
.cp-badge-warn { background: var(--cp-warning-bg, #fff5d9); color: var(--cp-warning-fg, #6a3b00); }
.cp-badge-ok { background: var(--cp-success-bg, #e7f5ec); color: var(--cp-success-fg, #0d5a2b); }
.cp-badge-bad { background: var(--cp-error-bg, #fdeceb); color: var(--cp-error-fg, #8c1d17); }
.cp-scroll { max-width: 100%; overflow-x: auto; }
.cp-table { border-collapse: collapse; width: 100%; font-size: 0.9375rem; }
.cp-table th, .cp-table td { border-bottom: 1px solid var(--cp-color-border, #c3cbd4); padding: 6px 8px;
  text-align: left; vertical-align: top; overflow-wrap: break-word; }
.cp-table th { background: var(--cp-color-page, #f4f6f8); font-weight: 600; }
.cp-notice, .cp-warning { border-left: 4px solid var(--cp-warning-border, #b7791f);
  background: var(--cp-warning-bg, #fff5d9); color: var(--cp-warning-fg, #6a3b00); padding: 8px 12px; margin: 8px 0; }
.cp-error { border-left: 4px solid var(--cp-error-border, #b3261e); background: var(--cp-error-bg, #fdeceb);
  color: var(--cp-error-fg, #8c1d17); padding: 8px 12px; margin: 8px 0; }
.cp-next, .cp-info { border-left: 4px solid var(--cp-info-border, #0a58a8); background: var(--cp-info-bg, #e8f1fb);
  color: var(--cp-info-fg, #0b3d78); padding: 8px 12px; margin: 8px 0; }
.cp-success { border-left: 4px solid var(--cp-success-border, #2e8b57); background: var(--cp-success-bg, #e7f5ec);
  color: var(--cp-success-fg, #0d5a2b); padding: 8px 12px; margin: 8px 0; }
.cp-card a, .cp-next a, .cp-panel a, .cp-notice a, .cp-info a, .cp-success a, .cp-error a {
  color: var(--cp-color-link, #0a58a8); text-decoration: underline; }
.cp-source { font-size: 0.875rem; color: var(--cp-color-muted, #4a5562); overflow-wrap: anywhere; }
.cp-source summary { cursor: pointer; }
.cp-actions { display: flex; flex-wrap: wrap; gap: 8px; margin: 8px 0 16px; }
.cp-panel a.cp-button { display: inline-flex; align-items: center; min-height: 2.5rem; padding: 8px 20px;
  border-radius: 6px; font-weight: 600; text-decoration: none; border: 1px solid var(--cp-color-primary, #0a58a8); }
.cp-panel a.cp-button-primary { background: var(--cp-color-primary, #0a58a8); color: #ffffff; }
.cp-panel a.cp-button-primary:hover { background: var(--cp-color-primary-strong, #084785); text-decoration: underline; }
.cp-panel a.cp-button-secondary { background: #ffffff; color: var(--cp-color-primary, #0a58a8); }
.cp-step-cards { list-style: none; padding: 0; margin: 0; display: grid; gap: 12px;
  grid-template-columns: repeat(auto-fill, minmax(min(100%, 16rem), 1fr)); }
.cp-step-cards .cp-card { margin: 0; }
.cp-step-cards p { margin: 4px 0; }
.cp-meter { height: 8px; border-radius: 4px; background: var(--cp-color-border, #c3cbd4); overflow: hidden;
  margin: 8px 0 4px; }
.cp-meter-fill { height: 100%; background: var(--cp-color-primary, #0a58a8); }
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


def badge(text: str, kind: str = "") -> str:
    """A small label; ``kind`` is "", "ok", "warn" or "bad".

    >>> badge("AHIMA")
    '<span class="cp-badge">AHIMA</span>'
    """
    extra = f" cp-badge-{kind}" if kind else ""
    return f'<span class="cp-badge{extra}">{esc(text)}</span>'


#: Who publishes the pages the data cites, by web address; other sites are named by their address.
PUBLISHERS = {
    "aapc.com": "AAPC",
    "ahima.org": "AHIMA",
    "bls.gov": "BLS",
    "onetonline.org": "O*NET OnLine",
    "onetcenter.org": "O*NET",
    "cdc.gov": "CDC",
    "cms.gov": "CMS",
    "ama-assn.org": "AMA",
    "cahiim.org": "CAHIIM",
    "pypi.org": "PyPI",
    "nhanow.com": "NHA",
    "acdis.org": "ACDIS",
    "hhs.gov": "HHS",
    "careeronestop.org": "CareerOneStop",
}
_UPPER_WORDS = frozenset(
    "cpc coc cic crc cpb cpma cpc-a cca ccs ccs-p rhit rhia cdip chps chda cbcs ccds ceu ceus pcap ooh icd cm pcs "
    "cpt hcpcs faq him ehr".split()
)


def source_name(url: str) -> str:
    """A short name for a cited page: its publisher and the last part of its address.

    >>> source_name("https://www.aapc.com/certifications/cpc/complete-your-cpc-apprenticeship")
    'AAPC, complete your CPC apprenticeship'
    >>> source_name("https://example.org/")
    'example.org'
    """
    from urllib.parse import urlsplit

    parts = urlsplit(url.strip())
    host = (parts.hostname or "").removeprefix("www.")
    publisher = next(
        (name for domain, name in PUBLISHERS.items() if host == domain or host.endswith("." + domain)), host
    )
    segments = [seg for seg in parts.path.split("/") if seg]
    page = segments[-1].rsplit(".", 1)[0] if segments else ""
    words = [w.upper() if w.lower() in _UPPER_WORDS else w for w in page.replace("_", "-").split("-") if w]
    if not words or page.isdigit() or len(words) > 8:
        return publisher
    return f"{publisher}, {' '.join(words)}"


def _source_item(text: str) -> str:
    if text.startswith(("https://", "http://")):
        return f'<a href="{esc(text)}" target="_blank" rel="noopener noreferrer">{esc(source_name(text))}</a>'
    return esc(text)


def source_line(source: str, as_of: object) -> str:
    """The "Source (as of …)" footnote of a fact, as short named links; several sources are split on " | ".

    One source is one line; several show the first, with the full list behind a disclosure.

    >>> line = source_line("https://www.bls.gov/ooh/x.htm", "2026")
    >>> line.startswith('<div class="cp-source">Source (as of 2026): <a href="https://www.bls.gov/ooh/x.htm" ')
    True
    >>> line.endswith('>BLS, x</a></div>')
    True
    >>> "<details" in source_line("https://a.example | https://b.example", "2026")
    True
    """
    texts = [p.strip() for p in str(source).split("|") if p.strip()]
    items = [_source_item(t) for t in texts]
    if len(items) <= 1:
        return f'<div class="cp-source">Source (as of {esc(as_of)}): {"".join(items) or "—"}</div>'
    first = source_name(texts[0]) if texts[0].startswith(("https://", "http://")) else texts[0]
    listing = "".join(f"<li>{item}</li>" for item in items)
    return (  # the summary names the first source in plain text: a link inside a summary is hard to reach
        f'<details class="cp-source"><summary>Sources (as of {esc(as_of)}): {esc(first)} and {len(items) - 1} more'
        f"</summary><ul>{listing}</ul></details>"
    )


def table(headers: Sequence[str], rows: Iterable[Sequence[object]], raw_columns: Iterable[int] = ()) -> str:
    """An HTML table; cells are escaped unless their column index is in ``raw_columns`` (pre-built HTML).

    Wrapped in a ``cp-scroll`` box: on a phone a wide table scrolls inside it, not the page.

    >>> html = table(["a"], [["<b>"]])
    >>> html.startswith('<div class="cp-scroll"><table class="cp-table"><thead><tr><th>a</th></tr></thead>')
    True
    >>> html.endswith('<tbody><tr><td>&lt;b&gt;</td></tr></tbody></table></div>')
    True
    """
    raw = set(raw_columns)
    head = "".join(f"<th>{esc(h) if h else ''}</th>" for h in headers)
    thead = f"<thead><tr>{head}</tr></thead>" if any(headers) else ""
    if not thead and len(headers) == 2:  # a key/value table: keys in one aligned column
        thead = "<colgroup><col style='width:35%'><col></colgroup>"
    body = "".join(
        "<tr>" + "".join(f"<td>{c if i in raw else esc(c)}</td>" for i, c in enumerate(row)) + "</tr>" for row in rows
    )
    return f'<div class="cp-scroll"><table class="cp-table">{thead}<tbody>{body}</tbody></table></div>'


class NoticeKind(enum.StrEnum):
    """The three message boxes: a notice, an error, and the next thing to do."""

    NOTICE = "notice"
    ERROR = "error"
    NEXT = "next"


def notice(text: str, kind: NoticeKind | str = NoticeKind.NOTICE) -> str:
    """A highlighted message box (kind: "notice", "error" or "next").

    >>> notice("Saved.", NoticeKind.NEXT)
    '<div class="cp-next">Saved.</div>'
    """
    return f'<div class="cp-{NoticeKind(kind).value}">{esc(text)}</div>'


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
