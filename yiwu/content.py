"""The story as data: chapters parsed into sections and blocks. No Streamlit here.

A chapter file (see ``data/story/README.md``) is TOML front matter, then
sections that start with ``## Headline {#id}``. Inside a section, a paragraph
that is only ``{{ kind: arg }}`` is a block (a chart, a map, cards); the rest is
Markdown. ``{{fact:id}}`` inside text stands for a figure from ``facts.csv``;
``{{ cited: id, … }}`` names the sources of a section's claims and quotes,
which join its source line.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from yiwu.loaders import DataError

BLOCK_KINDS = ("figures", "generations", "chart", "map", "glossary", "sources", "toc", "cited")
CITED = re.compile(r"^\{\{\s*cited\s*:(?P<ids>[^}]*)\}\}\s*$")
_HEADING = re.compile(r"^##\s+(?P<title>.+?)\s*\{#(?P<id>[a-z0-9][a-z0-9-]*)\}\s*$")
_DIRECTIVE = re.compile(r"^\{\{\s*(?P<kind>[a-z]+)\s*(?::\s*(?P<arg>[^}]*?))?\s*\}\}$")
FACT = re.compile(r"\{\{\s*fact\s*:\s*(?P<id>[a-z0-9_]+)\s*\}\}")


@dataclass(frozen=True)
class Block:
    kind: str  # "md" or one of BLOCK_KINDS
    text: str = ""  # the Markdown of an "md" block
    args: tuple[str, ...] = ()


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    lead: str
    blocks: tuple[Block, ...]

    @property
    def facts(self) -> tuple[str, ...]:
        """Ids of the facts this section's text uses, in order, once each."""
        found = [m["id"] for b in self.blocks if b.kind == "md" for m in FACT.finditer(b.text)]
        found += [m["id"] for m in FACT.finditer(self.title)]
        return tuple(dict.fromkeys(found))

    @property
    def cited(self) -> tuple[str, ...]:
        """Ids of the sources the section names for its claims and quotes (``{{ cited: … }}``)."""
        return tuple(dict.fromkeys(i for b in self.blocks if b.kind == "cited" for i in b.args))


@dataclass(frozen=True)
class Chapter:
    id: str
    lang: str
    title: str
    nav: str
    summary: str
    intro: tuple[Block, ...]
    sections: tuple[Section, ...]

    @property
    def words(self) -> int:
        """Reading length: English words, or Chinese characters / 2."""
        text = " ".join(b.text for s in (Section("", "", "", self.intro), *self.sections)
                        for b in s.blocks)
        if self.lang == "zh":
            return len(re.findall(r"[\u4e00-\u9fff]", text)) // 2
        return len(re.findall(r"[A-Za-z0-9’'-]+", text))

    @property
    def reading_time(self) -> float:
        """Estimated reading time in minutes, at 200 words a minute, half a minute per chart or card block."""
        blocks = sum(1 for s in self.sections for b in s.blocks if b.kind not in ("md", "cited"))
        return self.words / 200 + blocks * 0.5

    @property
    def minutes(self) -> int:
        """:attr:`reading_time` rounded; the app shows :func:`yiwu.loaders.chapter_minutes`."""
        return max(1, round(self.reading_time))

    def structure(self) -> list[tuple[str, tuple[str, ...]]]:
        """What must match across languages: section ids and their blocks."""
        return [(s.id, tuple(f"{b.kind}:{','.join(b.args)}" for b in s.blocks if b.kind != "md"))
                for s in self.sections]


def _paragraphs(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    out, buf, start = [], [], 0
    for lineno, line in lines + [(0, "")]:
        if line.strip():
            if not buf:
                start = lineno
            buf.append(line)
        elif buf:
            out.append((start, "\n".join(buf)))
            buf = []
    return out


def _blocks(lines: list[tuple[int, str]], path: Path) -> list[Block]:
    blocks: list[Block] = []
    for lineno, para in _paragraphs(lines):
        m = _DIRECTIVE.match(para.strip())
        if m and m["kind"] != "fact":
            if m["kind"] not in BLOCK_KINDS:
                raise DataError(path, f"unknown block “{m['kind']}” (known: {', '.join(BLOCK_KINDS)})", lineno)
            args = tuple(a.strip() for a in (m["arg"] or "").split(",") if a.strip())
            if m["kind"] == "cited" and not args:
                raise DataError(path, "“cited” needs at least one source id", lineno)
            blocks.append(Block(m["kind"], args=args))
        elif blocks and blocks[-1].kind == "md":
            blocks[-1] = Block("md", blocks[-1].text + "\n\n" + para)
        else:
            blocks.append(Block("md", para))
    return blocks


def parse_chapter(text: str, chapter_id: str, lang: str, path: Path) -> Chapter:
    lines = text.splitlines()
    if not lines or lines[0].strip() != "+++":
        raise DataError(path, "the file must start with +++ front matter", 1)
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "+++")
    except StopIteration:
        raise DataError(path, "the front matter has no closing +++", 1) from None
    try:
        meta = tomllib.loads("\n".join(lines[1:end]))
    except tomllib.TOMLDecodeError as exc:
        raise DataError(path, f"front matter is not valid TOML ({exc})", 2) from None
    for key in ("title", "nav", "summary"):
        if not str(meta.get(key, "")).strip():
            raise DataError(path, "missing in the front matter", 2, key)

    intro: list[tuple[int, str]] = []
    sections: list[tuple[int, str, str, list[tuple[int, str]]]] = []
    seen: dict[str, int] = {}
    for lineno, line in enumerate(lines[end + 1:], start=end + 2):
        if line.startswith("## "):
            m = _HEADING.match(line)
            if not m:
                raise DataError(path, "a section heading needs an id: ## Title {#some-id}", lineno)
            if m["id"] in seen:
                raise DataError(path, f"section id “{m['id']}” repeats line {seen[m['id']]}", lineno)
            seen[m["id"]] = lineno
            sections.append((lineno, m["id"], m["title"], []))
        elif line.startswith("# "):
            raise DataError(path, "use the front matter title, not a # heading", lineno)
        elif sections:
            sections[-1][3].append((lineno, line))
        else:
            intro.append((lineno, line))
    if not sections:
        raise DataError(path, "a chapter needs at least one ## section")

    parsed = []
    for lineno, sid, title, body in sections:
        blocks = _blocks(body, path)
        if not blocks or blocks[0].kind != "md":
            raise DataError(path, f"section “{sid}” must start with a lead paragraph", lineno)
        lead = blocks[0].text.split("\n\n")[0]
        parsed.append(Section(sid, title, lead, tuple(blocks)))
    return Chapter(chapter_id, lang, str(meta["title"]), str(meta["nav"]), str(meta["summary"]),
                   tuple(_blocks(intro, path)), tuple(parsed))
