"""The classroom presentation as data: steps, step numbers from the URL, notes.

No Streamlit here, so every rule can be tested without a browser. A step is
drawn from the chapters themselves (one step per section: its headline, its
lead and its first visual), so the slides never hold a second copy of the text.
The page that shows them is ``pages/present.py``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from yiwu import DATA
from yiwu.content import FACT, Block, Chapter
from yiwu.loaders import DataError, read_toml

# Blocks that fit on one projected step. A generation-by-generation card list
# is too long for a slide, so a step shows the timeline chart in its place;
# the glossary shows only its terms, for the class to explain, and the source
# list only its count per grade. The contents are reading material only.
VISUAL_KINDS = ("chart", "map", "figures")
STEP_STAND_INS = {"generations": Block("chart", args=("timeline",)),
                  "glossary": Block("glossary", args=("slide",)),
                  "sources": Block("sources", args=("slide",))}
# The closing step's presenter notes: data/notes/<lang>/closing.toml, table [closing].
CLOSING = "closing"

# When a step has no presenter notes yet, the time budget counts it as this.
DEFAULT_MINUTES = 1.0

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


@dataclass(frozen=True)
class Step:
    number: int  # 1-based, as shown ("7 / 36") and as in the URL (?step=7)
    chapter_id: str | None  # None for the title step
    chapter_number: int  # 0 for the title step
    chapter_title: str
    section_id: str | None
    headline: str
    lines: tuple[str, ...]  # large lines; may hold {{fact:id}} placeholders
    visual: Block | None = None
    role: str = "section"  # "opening" (title and agenda), "section" or "closing" (questions)
    cited: tuple[str, ...] = ()  # the sources the section names for its claims and quotes

    @property
    def facts(self) -> tuple[str, ...]:
        """Ids of the facts quoted on this step, in order, once each."""
        text = " ".join((self.headline, *self.lines))
        return tuple(dict.fromkeys(m["id"] for m in FACT.finditer(text)))


def step_visual(blocks: tuple[Block, ...]) -> Block | None:
    """The one visual a step shows: the section's first chart, map or cards."""
    for block in blocks:
        if block.kind in STEP_STAND_INS:
            return STEP_STAND_INS[block.kind]
        if block.kind in VISUAL_KINDS:
            return block
    return None


def build_steps(chapters: list[Chapter], title: str,
                closing: tuple[str, tuple[str, ...]] = ("", ())) -> list[Step]:
    """The whole story as steps: a title step with the agenda, one per section, a closing step.

    ``chapters`` are in reading order; ``title`` is the app's title in the
    reader's language; ``closing`` is the last step's headline and its
    questions for the class (no closing step when there are none).
    """
    # Numbered Markdown lines: "5. To the world" renders as item 5 even when
    # the agenda is split into two columns.
    agenda = tuple(f"{i}. {ch.nav}" for i, ch in enumerate(chapters, start=1))
    steps = [Step(1, None, 0, title, None, title, agenda, role="opening")]
    for n, chapter in enumerate(chapters, start=1):
        for section in chapter.sections:
            steps.append(Step(len(steps) + 1, chapter.id, n, chapter.nav, section.id, section.title,
                              (section.lead,), step_visual(section.blocks), cited=section.cited))
    headline, questions = closing
    if questions:
        steps.append(Step(len(steps) + 1, None, 0, title, CLOSING, headline,
                          tuple(f"{i}. {q}" for i, q in enumerate(questions, start=1)), role="closing"))
    return steps


_QUESTION = re.compile(r"present\.closing_q(\d+)")


def closing_from(strings: dict[str, str]) -> tuple[str, tuple[str, ...]]:
    """The closing step's headline and questions from a language's interface strings.

    The questions are ``present.closing_q1``, ``present.closing_q2``, … in order.
    """
    numbered = sorted((int(m[1]), text) for key, text in strings.items() if (m := _QUESTION.fullmatch(key)))
    return strings.get("present.closing_title", ""), tuple(text for _, text in numbered)


def parse_step(raw, count: int) -> int:
    """The step a URL value asks for, moved to the nearest valid step.

    Anything that is not a number goes to step 1; numbers are rounded and
    clamped to ``1..count``. Never raises, whatever the URL holds.
    """
    if count < 1:
        return 1
    if isinstance(raw, (list, tuple)):
        raw = raw[-1] if raw else None
    text = str(raw if raw is not None else "").strip()
    # A very long value cannot be a real step; its sign and size still say
    # which end it was aiming at, so cut it short before parsing.
    if len(text) > 40 and _NUMBER.match(text):
        return 1 if text.startswith("-") else count
    if not _NUMBER.match(text):
        return 1
    value = float(text)
    if not math.isfinite(value):
        return count if value > 0 else 1
    return min(count, max(1, math.floor(value + 0.5)))


def wants_notes(raw) -> bool:
    """Presenter notes are shown only for ``notes=1`` (or true/yes/on)."""
    if isinstance(raw, (list, tuple)):
        raw = raw[-1] if raw else None
    return str(raw or "").strip().lower() in ("1", "true", "yes", "on")


# ---------------------------------------------------------------- notes

@dataclass(frozen=True)
class Note:
    say: str
    ask: str
    minutes: float


@dataclass(frozen=True)
class Budget:
    done: int  # minutes by the end of the current step, rounded
    total: int
    estimated: tuple[int, ...] = field(default_factory=tuple)  # step numbers with no notes


def read_notes(chapter_id: str, lang: str, base: Path | None = None) -> dict[str, Note]:
    """Presenter notes of one chapter: ``{section id: Note}``.

    A missing file gives no notes (they are optional); a broken one raises a
    :class:`DataError` that names the file, the section and the field.
    """
    path = (Path(base) if base else DATA / "notes") / lang / f"{chapter_id}.toml"
    if not path.exists():
        return {}
    out = {}
    for sid, table in read_toml(path).items():
        if not isinstance(table, dict):
            raise DataError(path, "each section needs a table: [section-id]", sid)
        for key in ("say", "ask"):
            if not isinstance(table.get(key), str) or not table[key].strip():
                raise DataError(path, "missing or empty", sid, key)
        minutes = table.get("minutes")
        if isinstance(minutes, bool) or not isinstance(minutes, (int, float)) or not 0 < minutes <= 30:
            raise DataError(path, "minutes must be a number between 0 and 30", sid, "minutes")
        out[str(sid)] = Note(table["say"].strip(), table["ask"].strip(), float(minutes))
    return out


def step_minutes(step: Step, notes: dict[str, Note]) -> float | None:
    note = notes.get(step.section_id or "")
    return note.minutes if note else None


def budget(steps: list[Step], notes: dict[str, Note], current: int) -> Budget:
    """The running time: minutes by the end of step ``current`` out of the total.

    ``notes`` maps section ids to their notes, across chapters (ids are unique
    across the story). Steps with no notes count :data:`DEFAULT_MINUTES`.
    """
    done = total = 0.0
    estimated = []
    for step in steps:
        minutes = step_minutes(step, notes)
        if minutes is None:
            minutes = DEFAULT_MINUTES
            if step.section_id:  # the title step has no notes by design
                estimated.append(step.number)
        total += minutes
        if step.number <= current:
            done += minutes
    return Budget(math.floor(done + 0.5), math.floor(total + 0.5), tuple(estimated))
