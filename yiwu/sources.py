"""Naming sources: every figure on screen says where it comes from."""

from __future__ import annotations

from collections.abc import Iterable

from yiwu.i18n import t
from yiwu.loaders import load_table


def source_name(source_id: str, lang: str) -> str:
    """"Xinhua (2026)" / "新华社(2026)" for one source id."""
    sources = load_table("sources")
    row = sources[sources["id"] == source_id]
    if row.empty:
        return source_id
    r = row.iloc[0]
    name = r[f"outlet_{lang}"] or r["outlet_en"]
    date = r["date"]
    if not date:
        return name
    return f"{name}\uff08{date}\uff09" if lang == "zh" else f"{name} ({date})"


def cite(source_ids: Iterable[str], lang: str) -> str:
    """The source line: "Source: A (2024); B" / "来源：A（2024）；B"."""
    ids = list(dict.fromkeys(source_ids))
    sep = "\uff1b" if lang == "zh" else "; "  # ；
    names = sep.join(source_name(s, lang) for s in ids)
    return t("source.many" if len(ids) > 1 else "source.one", lang, names=names)
