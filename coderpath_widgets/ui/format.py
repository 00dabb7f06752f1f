"""One way to write each kind of figure on every page: dates, money, plain numbers and counted words.

Pages never format these themselves (no ``f"{day:%d %B %Y}"``, no ``f"${x:,.0f}"``), so a date reads
"Sep 3, 2026" on the planner, the dashboard and in every message, whatever the machine's locale.
"""

from __future__ import annotations

from datetime import date

#: US month abbreviations, independent of the machine's locale
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def format_date(day: date) -> str:
    """A date as US readers write it.

    >>> format_date(date(2026, 9, 3))
    'Sep 3, 2026'
    """
    return f"{MONTHS[day.month - 1]} {day.day}, {day.year}"


def money(value: float | None) -> str:
    """Dollars for a figure, or "not found" for an unknown one.

    >>> money(425.0), money(1234.5), money(None)
    ('$425', '$1,234.50', 'not found')
    """
    if value is None:
        return "not found"
    return f"${value:,.0f}" if float(value).is_integer() else f"${value:,.2f}"


def format_number(value: float) -> str:
    """A figure without a useless ".0" (at most four significant digits after the point).

    >>> format_number(40.0), format_number(7.5), format_number(1 / 3)
    ('40', '7.5', '0.3333')
    """
    return f"{value:g}" if float(value).is_integer() else f"{value:.4g}"


def plural(count: float, word: str, many: str | None = None) -> str:
    """A count with its word, singular for exactly one (``many`` when the plural is not word + "s").

    >>> plural(1, "year"), plural(2, "year"), plural(1.5, "year"), plural(3, "fee category", "fee categories")
    ('1 year', '2 years', '1.5 years', '3 fee categories')
    """
    return f"{format_number(count)} {word if count == 1 else (many or word + 's')}"
