"""The one place that reads files.

Every table is read with a schema, checked as it is read, and handed on as a
tidy, typed frame. A problem raises :class:`DataError`, which names the file,
the row and the column, so a broken file is found in a minute, not an hour.
Paths are relative to the code; nothing here touches the network.
"""

from __future__ import annotations

import csv
import functools
import re
import threading
import tomllib
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from yiwu import DATA, ROOT

# Everything loaded from data/ is shared by all sessions and never modified:
# callers filter and copy, they do not write back. A page asks for its strings
# and tables hundreds of times (every t() call), so the lookup must be cheap.
# st.cache_data unpickled a fresh copy on every call; st.cache_resource hashes
# the arguments and inspects the signature on every call, about 0.4 ms each,
# which was 60-80 ms of a page's server time (bench/README.md). ``shared`` is a
# plain dictionary per function, filled once under a lock; a call that raises
# (a broken file) is not remembered, so the error is raised again next time.
_SHARED: list[dict] = []


def shared(fn=None, *, maxsize: int | None = None):
    """Remember ``fn``'s result for each set of (hashable) arguments, for every session.

    ``@shared(maxsize=n)`` keeps only the ``n`` results used most recently.
    """
    if fn is None:
        return functools.partial(shared, maxsize=maxsize)
    memo: OrderedDict = OrderedDict()
    lock = threading.RLock()

    @functools.wraps(fn)
    def call(*args, **kwargs):
        key = (args, tuple(sorted(kwargs.items()))) if kwargs else args
        try:
            value = memo[key]
        except KeyError:
            pass
        else:
            if maxsize is not None:
                with lock:
                    if key in memo:
                        memo.move_to_end(key)
            return value
        with lock:
            if key not in memo:
                memo[key] = fn(*args, **kwargs)
                while maxsize is not None and len(memo) > maxsize:
                    memo.popitem(last=False)
            return memo[key]

    _SHARED.append(memo)
    return call


def clear_shared() -> None:
    """Forget everything ``shared`` remembered (tests that swap data files use it)."""
    for memo in _SHARED:
        memo.clear()


LANGS = ("zh", "en")

# These few words stay in code, not in the string tables, because they must
# still work when a string table is the file that is broken.
_ERROR_WORDS = {
    "en": {"file": "File {}", "row": "row {}", "column": "column “{}”"},
    "zh": {"file": "文件 {}", "row": "第 {} 行", "column": "列“{}”"},
}


class DataError(Exception):
    """A data file is wrong. Says where (file, row, column) and what."""

    def __init__(self, path: Path | str, message: str, row: int | str | None = None,
                 column: str | None = None):
        self.path = Path(path)
        self.row = row
        self.column = column
        self.message = message
        super().__init__(self.where("en") + ": " + message)

    @property
    def file(self) -> str:
        try:
            return str(self.path.resolve().relative_to(ROOT))
        except ValueError:
            return str(self.path)

    def where(self, lang: str) -> str:
        words = _ERROR_WORDS.get(lang, _ERROR_WORDS["en"])
        parts = [words["file"].format(self.file)]
        if self.row is not None:
            parts.append(words["row"].format(self.row))
        if self.column:
            parts.append(words["column"].format(self.column))
        return ", ".join(parts) if lang == "en" else "\uff0c".join(parts)  # ，


# ---------------------------------------------------------------- tables

@dataclass(frozen=True)
class Col:
    name: str
    kind: str = "str"  # str, int, float, year, date, sources, choice, choices (a ;-list of choices), bool
    required: bool = True
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Schema:
    file: str
    cols: tuple[Col, ...]
    key: str | None = None  # a column whose values must be unique
    extra: tuple[str, ...] = field(default_factory=tuple)  # columns read as text, unchecked


_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_STATUSES = ("verified", "partly verified")
# The charts: the generations timeline and the growth series (``series.csv``).
CHARTS = ("timeline", "trade", "entities", "trains", "turnover", "gdp")

SCHEMAS: dict[str, Schema] = {
    "sources": Schema("sources.csv", (
        Col("id"), Col("outlet_en"), Col("outlet_zh"), Col("title_en", required=False), Col("title_zh", required=False),
        Col("date", "date", required=False), Col("url", required=False),
        Col("grade", "choice", choices=("A", "B", "C")), Col("supports", required=False),
    ), key="id"),
    "facts": Schema("facts.csv", (
        Col("id"), Col("value", "float"),
        Col("unit", "choice", choices=("count", "cny", "percent", "km", "days", "hours", "m2", "teu")),
        Col("qualifier", "choice", required=False, choices=("over", "nearly", "about")),
        Col("period"), Col("source_ids", "sources"), Col("status", "choice", choices=_STATUSES),
    ), key="id"),
    "chapters": Schema("chapters.csv", (
        Col("id"), Col("order", "int"), Col("url_path"),
    ), key="id"),
    "generations": Schema("generations.csv", (
        Col("generation", "int"), Col("year", "year"), Col("end_year", "year", required=False),
        Col("stalls_min", "int", required=False), Col("stalls_max", "int", required=False),
        Col("area_m2_min", "int", required=False), Col("area_m2_max", "int", required=False),
        Col("lat", "float"), Col("lon", "float"), Col("source_ids", "sources"),
        Col("status", "choice", choices=_STATUSES),
    ), key="generation"),
    # Yearly figures for the charts: one row per value, money in 亿元 (1e8 yuan).
    # kind: a full "value", a "partial" period, or a "threshold" (passed this level).
    "series": Schema("series.csv", (
        Col("id"), Col("series"), Col("measure"), Col("year", "year"), Col("period"),
        Col("value", "float"), Col("unit", "choice", choices=("cny_100m", "entities_10k", "trains")),
        Col("kind", "choice", choices=("value", "partial", "threshold")),
        Col("source_ids", "sources"), Col("status", "choice", choices=_STATUSES),
    ), key="id"),
    # ``charts``: the charts that mark the event (within their years), so a
    # chart shows only the events that bear on what it counts.
    "events": Schema("events.csv", (
        Col("id"), Col("year", "year"), Col("date", "date"), Col("generation", "int", required=False),
        Col("charts", "choices", choices=CHARTS),
        Col("source_ids", "sources"), Col("status", "choice", choices=_STATUSES),
    ), key="id"),
    # Places on the maps. A place that only shapes a line (kind "shape") is
    # "illustrative": it has no source and is never drawn as a stop.
    "places": Schema("places.csv", (
        Col("id"),
        Col("kind", "choice", choices=("city", "rail_station", "seaport", "border", "stop",
                                       "terminus", "hub", "story", "shape")),
        Col("lat", "float"), Col("lon", "float"),
        Col("coord", "choice", choices=("checked", "approx")),
        Col("illustrative", "choice", choices=("yes", "no")),
        Col("since", "year", required=False),
        Col("source_ids", "sources", required=False),
        Col("status", "choice", choices=(*_STATUSES, "illustrative")),
    ), key="id"),
    # Trade routes: waypoints are place ids in order; "via" names the documented
    # stops and crossings among them; the others only shape the line.
    "routes": Schema("routes.csv", (
        Col("id"), Col("mode", "choice", choices=("rail", "sea", "rail+sea", "sea+road")),
        Col("waypoints"), Col("via", required=False), Col("transfer", required=False),
        Col("first_run", "date", required=False), Col("arrived", "date", required=False),
        Col("since", "year"),
        Col("length_km", "int", required=False),
        Col("length_q", "choice", required=False, choices=("over", "about")),
        Col("days", "int", required=False),
        Col("days_q", "choice", required=False, choices=("about",)),
        Col("load", "int", required=False),  # what the first train carried
        Col("load_unit", "choice", required=False, choices=("teu", "containers")),
        Col("source_ids", "sources"), Col("status", "choice", choices=_STATUSES),
    ), key="id"),
}


def _convert(value: str, col: Col, path: Path, row: int, source_ids: set[str] | None):
    v = value.strip()
    if v == "":
        if col.required:
            raise DataError(path, "empty value" if col.kind != "sources" else
                            "a figure with no source", row, col.name)
        # Empty text stays "" (not NaN, which is truthy and prints as "nan").
        return None if col.kind in ("int", "float", "year") else () if col.kind in ("sources", "choices") else ""
    try:
        if col.kind == "int":
            return int(v)
        if col.kind == "float":
            return float(v)
        if col.kind == "year":
            year = int(v)
            if not 1000 <= year <= 2100:
                raise ValueError
            return year
    except ValueError:
        raise DataError(path, f"“{v}” is not a {'number' if col.kind == 'float' else 'whole number' if col.kind == 'int' else 'year'}", row, col.name) from None
    if col.kind == "date" and not _DATE.match(v):
        raise DataError(path, f"“{v}” is not a date (YYYY, YYYY-MM or YYYY-MM-DD)", row, col.name)
    if col.kind == "choice" and v not in col.choices:
        raise DataError(path, f"“{v}” is not one of {', '.join(col.choices)}", row, col.name)
    if col.kind == "choices":
        picked = tuple(x.strip() for x in v.split(";") if x.strip())
        for x in picked:
            if x not in col.choices:
                raise DataError(path, f"“{x}” is not one of {', '.join(col.choices)}", row, col.name)
        return picked
    if col.kind == "sources":
        ids = tuple(s.strip() for s in v.split(";") if s.strip())
        if not ids:
            raise DataError(path, "a figure with no source", row, col.name)
        if source_ids is not None:
            for sid in ids:
                if sid not in source_ids:
                    raise DataError(path, f"unknown source id “{sid}”", row, col.name)
        return ids
    return v


def read_table(name: str, path: Path | None = None, source_ids: set[str] | None = None) -> pd.DataFrame:
    """Read and check one table. Pure: no caching, no Streamlit."""
    schema = SCHEMAS[name]
    path = Path(path) if path else DATA / schema.file
    if not path.exists():
        raise DataError(path, "file not found")
    if source_ids is None and name != "sources" and any(c.kind == "sources" for c in schema.cols):
        source_ids = set(read_table("sources")["id"])
    try:
        with path.open(encoding="utf-8", newline="") as f:
            reader = csv.reader(f)
            header = next(reader, None)
            if not header:
                raise DataError(path, "the file is empty", 1)
            header = [h.strip() for h in header]
            for col in schema.cols:
                if col.name not in header:
                    raise DataError(path, "missing column", 1, col.name)
            idx = {h: i for i, h in enumerate(header)}
            records, seen = [], {}
            for lineno, raw in enumerate(reader, start=2):
                if not any(cell.strip() for cell in raw):
                    continue
                if len(raw) != len(header):
                    raise DataError(path, f"{len(raw)} cells where the header has {len(header)}", lineno)
                rec = {}
                for col in schema.cols:
                    rec[col.name] = _convert(raw[idx[col.name]], col, path, lineno, source_ids)
                    if col.kind in ("str", "choice") and col.name == "id" and not _ID.match(rec[col.name]):
                        raise DataError(path, f"“{rec[col.name]}” is not a lower-case id", lineno, col.name)
                for extra in header:
                    if extra not in rec and extra in idx:
                        rec[extra] = raw[idx[extra]].strip()
                if schema.key:
                    k = rec[schema.key]
                    if k in seen:
                        raise DataError(path, f"“{k}” repeats row {seen[k]}", lineno, schema.key)
                    seen[k] = lineno
                rec["_row"] = lineno
                records.append(rec)
    except UnicodeDecodeError:
        raise DataError(path, "not UTF-8 text") from None
    except csv.Error as exc:
        raise DataError(path, f"not valid CSV ({exc})") from None
    frame = pd.DataFrame.from_records(records, columns=list(dict.fromkeys(
        [c.name for c in schema.cols] + header + ["_row"])))
    for col in schema.cols:
        if col.kind in ("int", "year"):
            frame[col.name] = frame[col.name].astype("Int64")
        elif col.kind == "float":
            frame[col.name] = frame[col.name].astype("Float64")
    return frame


@shared
def load_table(name: str) -> pd.DataFrame:
    """The checked table ``name`` (a key of :data:`SCHEMAS`), cached."""
    return read_table(name)


@shared
def chapter_registry() -> tuple[dict, ...]:
    """The chapters in reading order, as plain dicts (cheap to walk on every run)."""
    chapters = load_table("chapters").sort_values("order")
    return tuple({k: (v.item() if hasattr(v, "item") else v) for k, v in row.items()}
                 for row in chapters.to_dict("records"))


# ---------------------------------------------------------------- words

def read_toml(path: Path) -> dict:
    if not path.exists():
        raise DataError(path, "file not found")
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        raise DataError(path, f"not valid TOML ({exc})", m.group(1) if m else None) from None
    except UnicodeDecodeError:
        raise DataError(path, "not UTF-8 text") from None


def read_words(table: str, lang: str, base: Path | None = None) -> dict[str, dict]:
    """The words that go with a table, in one language: ``{id: {field: text}}``.

    Every text must be there in both languages: a key that exists in one
    language's file and not the other's is an error naming both.
    """
    base = Path(base) if base else DATA / "words"
    words = {lang_: read_toml(base / lang_ / f"{table}.toml") for lang_ in LANGS}
    mine, other_lang = words[lang], next(x for x in LANGS if x != lang)
    for lang_a, lang_b in ((lang, other_lang), (other_lang, lang)):
        a, b = words[lang_a], words[lang_b]
        for key, fields in a.items():
            path_b = base / lang_b / f"{table}.toml"
            if key not in b:
                raise DataError(path_b, f"“{key}” is in {lang_a} but missing here", key)
            if isinstance(fields, str) and not fields.strip():
                raise DataError(base / lang_a / f"{table}.toml", "empty text", key)
            if isinstance(fields, dict):
                for fname, value in fields.items():
                    if fname not in b[key]:
                        raise DataError(path_b, f"text missing (it exists in {lang_a})", key, fname)
                    if isinstance(value, str) and not value.strip():
                        raise DataError(base / lang_a / f"{table}.toml", "empty text", key, fname)
    return {str(k): v for k, v in mine.items()}


@shared
def load_words(table: str, lang: str) -> dict[str, dict]:
    return read_words(table, lang)


def read_strings(lang: str, base: Path | None = None) -> dict[str, str]:
    """All interface strings of a language, flattened to dotted keys."""
    base = Path(base) if base else DATA / "strings"
    out: dict[str, str] = {}
    origin: dict[str, Path] = {}

    def walk(prefix: str, node: dict, path: Path) -> None:
        for k, v in node.items():
            key = f"{prefix}{k}"
            if isinstance(v, dict):
                walk(key + ".", v, path)
            else:
                if key in out:
                    raise DataError(path, f"“{key}” is also defined in {origin[key].name}", key)
                if not isinstance(v, str) or not v.strip():
                    raise DataError(path, "empty or non-text string", key)
                out[key], origin[key] = v, path

    files = sorted((base / lang).glob("*.toml"))
    if not files:
        raise DataError(base / lang, "no string tables found")
    for path in files:
        walk("", read_toml(path), path)
    return out


@shared
def load_strings(lang: str) -> dict[str, str]:
    return read_strings(lang)


def read_text(path: Path) -> str:
    if not path.exists():
        raise DataError(path, "file not found")
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise DataError(path, "not UTF-8 text") from None


# ---------------------------------------------------------------- story

def chapter_path(chapter_id: str, lang: str, base: Path | None = None) -> Path:
    chapters = load_table("chapters") if base is None else read_table("chapters")
    row = chapters[chapters["id"] == chapter_id]
    if row.empty:
        raise DataError(DATA / "chapters.csv", f"no chapter “{chapter_id}”", None, "id")
    order = int(row["order"].iloc[0])
    return (Path(base) if base else DATA / "story") / lang / f"{order:02d}-{chapter_id}.md"


def read_chapter(chapter_id: str, lang: str, path: Path | None = None, fact_ids: set[str] | None = None,
                 source_ids: set[str] | None = None):
    """One chapter in one language, parsed and checked (see ``yiwu.content``)."""
    from yiwu.content import CITED, FACT, parse_chapter

    path = Path(path) if path else chapter_path(chapter_id, lang)
    text = read_text(path)
    chapter = parse_chapter(text, chapter_id, lang, path)
    if source_ids is None:
        source_ids = set(read_table("sources")["id"])
    for lineno, line in enumerate(text.splitlines(), start=1):
        m = CITED.match(line.strip())
        for sid in (x.strip() for x in (m["ids"].split(",") if m else ()) if x.strip()):
            if source_ids and sid not in source_ids:  # (a broken sources table says so itself)
                raise DataError(path, f"unknown source id “{sid}” (see data/sources.csv)", lineno)
    if fact_ids is None:
        fact_ids = set(read_table("facts")["id"])
    if not fact_ids:  # the facts table itself is broken: its blocks say so
        return chapter
    for lineno, line in enumerate(text.splitlines(), start=1):
        for m in FACT.finditer(line):
            if m["id"] not in fact_ids:
                raise DataError(path, f"unknown fact “{m['id']}” (see data/facts.csv)", lineno)
    return chapter


@shared
def load_chapter(chapter_id: str, lang: str):
    # A broken facts or sources table breaks the figures, not the whole story.
    try:
        fact_ids = set(load_table("facts")["id"])
    except DataError:
        fact_ids = set()
    try:
        source_ids = set(load_table("sources")["id"])
    except DataError:
        source_ids = set()
    return read_chapter(chapter_id, lang, fact_ids=fact_ids, source_ids=source_ids)


@shared
def _both_languages_minutes(chapter_id: str) -> int:
    times = [load_chapter(chapter_id, lang).reading_time for lang in LANGS]
    return max(1, round(sum(times) / len(times)))


def chapter_minutes(chapter) -> int:
    """One reading time for a chapter in both languages: the mean of the two estimates.

    Each language's own estimate (words or characters at a reading speed)
    rounded differently: the contents said "about 3 min" in English and
    "约 2 分钟" in Chinese for the same chapter. A broken file in the other
    language leaves this one's own estimate.
    """
    try:
        return _both_languages_minutes(chapter.id)
    except DataError:
        return chapter.minutes
