"""CSV cells that a spreadsheet cannot run as a formula (issue 15).

A crawled title or text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return is read as a formula by Excel, LibreOffice and Google Sheets
(``=HYPERLINK(...)``, ``@SUM(...)``). OWASP's advice ("CSV Injection",
owasp.org/www-community/attacks/CSV_Injection): prefix such a cell with a single quote,
and quote every field, escaping double quotes inside (the csv module does both).
"""

from __future__ import annotations

from typing import Any

__all__ = ["csv_cell"]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """``value``, with a leading ``'`` if it is text a spreadsheet would run."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value
