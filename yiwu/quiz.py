"""The questions that end a chapter, and the reader's answers as a file.

No Streamlit here: reading and checking ``data/quiz/<lang>/<chapter>.toml``,
marking an answer, and writing the "my answers" download. The layout is in
``yiwu.classroom``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from yiwu import DATA
from yiwu.i18n import colon, dash, t
from yiwu.loaders import LANGS, DataError, read_toml


@dataclass(frozen=True)
class Question:
    id: str
    prompt: str
    options: tuple[str, ...]
    answer: int  # 0-based index into options
    explain: str

    def is_right(self, choice: int | None) -> bool:
        return choice == self.answer


@dataclass(frozen=True)
class Quiz:
    chapter_id: str
    questions: tuple[Question, ...]
    discuss: str  # the open discussion prompt ("" if none)


def quiz_path(chapter_id: str, lang: str, base: Path | None = None) -> Path:
    return (Path(base) if base else DATA / "quiz") / lang / f"{chapter_id}.toml"


def _parse(chapter_id: str, path: Path) -> Quiz:
    data = read_toml(path)
    raw = data.get("question", [])
    if not isinstance(raw, list) or not 1 <= len(raw) <= 3:
        raise DataError(path, "a chapter needs 1–3 [[question]] tables")
    questions, seen = [], set()
    for i, q in enumerate(raw, start=1):
        where = q.get("id") or f"question {i}"
        for key in ("id", "prompt", "explain"):
            if not isinstance(q.get(key), str) or not q[key].strip():
                raise DataError(path, "missing or empty", where, key)
        if q["id"] in seen:
            raise DataError(path, "this id repeats", where, "id")
        seen.add(q["id"])
        options = q.get("options")
        if (not isinstance(options, list) or len(options) < 2
                or not all(isinstance(o, str) and o.strip() for o in options)):
            raise DataError(path, "needs at least two non-empty options", where, "options")
        answer = q.get("answer")
        if isinstance(answer, bool) or not isinstance(answer, int) or not 0 <= answer < len(options):
            raise DataError(path, f"must be the 0-based number of an option (0–{len(options) - 1})",
                            where, "answer")
        questions.append(Question(q["id"], q["prompt"].strip(), tuple(o.strip() for o in options), answer,
                                  q["explain"].strip()))
    discuss = data.get("discuss", {})
    prompt = discuss.get("prompt", "") if isinstance(discuss, dict) else ""
    if not isinstance(prompt, str):
        raise DataError(path, "must be text", "discuss", "prompt")
    return Quiz(chapter_id, tuple(questions), prompt.strip())


def read_quiz(chapter_id: str, lang: str, base: Path | None = None) -> Quiz | None:
    """One chapter's questions in one language, or None if the chapter has none.

    The two languages must ask the same questions: same ids, same number of
    options, same right answer. A difference is an error naming both files.
    """
    path = quiz_path(chapter_id, lang, base)
    other = next(x for x in LANGS if x != lang)
    other_path = quiz_path(chapter_id, other, base)
    if not path.exists() and not other_path.exists():
        return None
    if not path.exists():
        raise DataError(path, f"file not found (it exists in {other})")
    quiz = _parse(chapter_id, path)
    if other_path.exists():
        twin = _parse(chapter_id, other_path)
        mine = [(q.id, len(q.options), q.answer) for q in quiz.questions]
        theirs = [(q.id, len(q.options), q.answer) for q in twin.questions]
        if mine != theirs:
            raise DataError(path, f"questions, options or answers differ from {other_path.name} in {other}")
        if bool(quiz.discuss) != bool(twin.discuss):
            raise DataError(path, f"the discussion prompt is in one language only ({other} differs)",
                            "discuss", "prompt")
    return quiz


def answers_markdown(entries: list[tuple[str, Quiz]], answers: dict[str, int], notes: dict[str, str],
                     lang: str) -> str:
    """The reader's answers as a Markdown file, in the reader's language.

    ``entries`` are (chapter title, quiz) in reading order; ``answers`` maps
    question ids to the chosen option; ``notes`` maps chapter ids to what the
    reader wrote for the discussion. Chapters with nothing answered are left out.
    """
    lines = [f"# {t('quiz.file_title', lang)}", ""]
    count = 0
    for title, quiz in entries:
        asked = [q for q in quiz.questions if answers.get(q.id) is not None]
        note = (notes.get(quiz.chapter_id) or "").strip()
        if not asked and not note:
            continue
        count += 1
        lines += [f"## {title}", ""]
        for q in asked:
            choice = answers[q.id]
            chosen = q.options[choice] if 0 <= choice < len(q.options) else "?"
            verdict = t("quiz.file_right" if q.is_right(choice) else "quiz.file_wrong", lang)
            lines += [f"**{q.prompt}**", "",
                      f"- {t('quiz.file_choice', lang)}{colon(lang)}{chosen}{dash(lang)}{verdict}"]
            if not q.is_right(choice):
                lines.append(f"- {t('quiz.file_answer', lang)}{colon(lang)}{q.options[q.answer]}")
            lines += [f"- {q.explain}", ""]
        if note:
            quoted = "\n".join("> " + line for line in note.splitlines())
            # The colon outside the bold run, which Markdown would not close before a Chinese one.
            lines += [f"**{t('quiz.discuss', lang)}**{colon(lang)}{quiz.discuss}", "", quoted, ""]
    if not count:
        lines += [t("quiz.file_empty", lang), ""]
    return "\n".join(lines)
