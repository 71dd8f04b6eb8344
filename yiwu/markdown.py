"""Data shown through Markdown exactly as it is: literal text and tables. No Streamlit here.

Tables are Markdown (GitHub) tables rather than ``st.table``: the browser
draws them with the Markdown code every page already has, where ``st.table``
made a page fetch and run about 800 KB more script (its cell formatting, a
date library and a number library) before it could finish (bench/README.md).
Either way the reader and a screen reader get a plain HTML ``<table>``.
"""

from __future__ import annotations

import math
import re
from numbers import Number

import pandas as pd

_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~$-])")


def literal(text: str) -> str:
    """``text`` shown as it is in Markdown (no emphasis, links or HTML)."""
    return _SPECIAL.sub(r"\\\1", text)


def _cell(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        # 2867.9, not 2867.900000 or 2867.8999999999996; no thousands separator, so years stay 2025.
        return literal(f"{value:.6f}".rstrip("0").rstrip("."))
    if isinstance(value, Number):
        return literal(str(value))
    return literal(" ".join(str(value).split()))  # one line per cell


def table(frame: pd.DataFrame) -> str:
    """``frame`` as a Markdown table: its columns as the header, number columns aligned right."""
    numeric = [pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c])
               for c in frame.columns]
    lines = ["| " + " | ".join(_cell(str(c)) for c in frame.columns) + " |",
             "|" + "|".join("---:" if n else ":---" for n in numeric) + "|"]
    for row in frame.itertuples(index=False):
        lines.append("| " + " | ".join(_cell(v) for v in row) + " |")
    return "\n".join(lines)
