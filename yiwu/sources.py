"""Naming sources: every figure on screen says where it comes from."""

from __future__ import annotations

import re
from collections.abc import Iterable

from yiwu.i18n import t
from yiwu.loaders import load_table, shared

# A gap next to a Chinese character or full-width sign, inside a run of non-space text.
_CJK = "\u3000-\u9fff\uff00-\uffef"
_CJK_GAP = re.compile(f"(?<=[{_CJK}])(?=\\S)|(?<=\\S)(?=[{_CJK}])")


@shared
def source_names(lang: str) -> dict[str, str]:
    """Every source's short name in ``lang``, by id (a page cites dozens)."""
    out = {}
    for r in load_table("sources").itertuples():
        name = getattr(r, f"outlet_{lang}") or r.outlet_en
        name = _dated(name, r.date, lang) if r.date else name
        # A weak source says so wherever it is cited, not only in the Sources chapter.
        out[r.id] = _dated(name, whole(t("source.weak", lang)), lang) if r.grade == "C" else name
    return out


def whole(words: str) -> str:
    """``words`` that a line never breaks: "weak source", 来源较弱 (not 来源较 / 弱).

    Chinese may break between any two characters; a word joiner (U+2060, not
    drawn) between them forbids it. Spaces become no-break spaces.
    """
    joined = _CJK_GAP.sub("\u2060", words)
    return joined.replace(" ", "\u00a0")


def _dated(name: str, note: str, lang: str) -> str:
    """"Xinhua (2026)"; a name that ends in brackets takes the date (or note) inside them: "Xinhua (repost, 2023)"."""
    if name.endswith("\uff09"):  # the name's own brackets, full-width or not
        return f"{name[:-1]}\uff0c{note}\uff09"
    if name.endswith(")"):
        return f"{name[:-1]}, {note})"
    return f"{name}\uff08{note}\uff09" if lang == "zh" else f"{name} ({note})"


def source_name(source_id: str, lang: str) -> str:
    """"Xinhua (2026)" / "新华社(2026)" for one source id."""
    return source_names(lang).get(source_id, source_id)


def cited_names(source_ids: Iterable[str], lang: str) -> list[str]:
    """The names a source line gives, in order. Two pages of one undated site have one name, said once."""
    return list(dict.fromkeys(source_name(s, lang) for s in source_ids))


def cite(source_ids: Iterable[str], lang: str) -> str:
    """The source line: "Source: A (2024); B" / "来源：A（2024）；B"."""
    names = cited_names(source_ids, lang)
    sep = "\uff1b" if lang == "zh" else "; "  # ；
    return t("source.many" if len(names) > 1 else "source.one", lang, names=sep.join(names))
