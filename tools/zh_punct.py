"""Chinese text takes full-width punctuation: ，：；？！（）.

Some editors and tools turn it into ASCII (, : ; ? ! ( )), which looks wrong
in Chinese. This finds ASCII punctuation that touches Chinese text in the
Chinese content files and, with --fix, replaces it. The test suite runs the
check, so a file written with ASCII punctuation fails until it is fixed:

    python tools/zh_punct.py          # list problems, exit 1 if any
    python tools/zh_punct.py --fix    # rewrite the files
"""

from __future__ import annotations

import csv
import io
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HAN = "\u4e00-\u9fff"
CLOSERS = "\u201d\u300d\u300b\uff09\u3002\u3001"  # ” 」 》 ） 。 、
FULL = {",": "\uff0c", ":": "\uff1a", ";": "\uff1b", "?": "\uff1f", "!": "\uff01",
        "(": "\uff08", ")": "\uff09"}
_AFTER_HAN = re.compile(rf"(?<=[{HAN}{CLOSERS}])[,:;?!]|(?<=[{HAN}]\*\*)[,:;?!]")
_BEFORE_HAN = re.compile(rf"(?<=[}}%*])[,;](?=[{HAN}\u201c])")
_BOLD_PUNCT = re.compile(rf"(?<=\S)([\uff1a\uff0c\u3002\uff1b])\*\*(?=[{HAN}])")
_OPEN = re.compile(rf"\((?=[^()\n]*[{HAN}][^()\n]*\))")
# A comma, colon or semicolon between a Latin letter, digit or bracket and
# Chinese text ("代码1039,允许", "A:官方"), and a bracket right after Chinese
# text around a foreign name ("特温(Twain)").
_LATIN_BEFORE_HAN = re.compile(rf"(?<=[A-Za-z0-9)])[,:;](?=[{HAN}\u201c])")
_PAREN_AFTER_HAN = re.compile(rf"(?<=[{HAN}])\(([^()\n]*)\)")


def fix_text(text: str) -> str:
    # One fix can make the next one visible ("（…）," → "（…），"): repeat until stable.
    while (fixed := _fix_once(text)) != text:
        text = fixed
    return text


def _fix_once(text: str) -> str:
    text = _AFTER_HAN.sub(lambda m: FULL[m.group()], text)
    text = _BEFORE_HAN.sub(lambda m: FULL[m.group()], text)
    text = _LATIN_BEFORE_HAN.sub(lambda m: FULL[m.group()], text)
    text = _PAREN_AFTER_HAN.sub(lambda m: FULL["("] + m.group(1) + FULL[")"], text)
    # "**标题：**正文" does not turn bold in Markdown (a closing ** between
    # punctuation and a letter); "**标题**：正文" does.
    text = _BOLD_PUNCT.sub(r"**\1", text)
    # A bracket pair whose inside holds Chinese becomes full-width, unless it is
    # the (url) of a Markdown link.
    out, i = [], 0
    for m in _OPEN.finditer(text):
        if m.start() > 0 and text[m.start() - 1] == "]":
            continue
        close = text.index(")", m.start())
        out.append(text[i:m.start()] + FULL["("] + text[m.start() + 1:close] + FULL[")"])
        i = close + 1
    out.append(text[i:])
    return "".join(out)


def fix_csv(text: str, columns: tuple[str, ...]) -> str:
    rows = list(csv.DictReader(io.StringIO(text)))
    if not rows:
        return text
    for row in rows:
        for col in columns:
            row[col] = fix_text(row[col])
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


def targets() -> list[tuple[Path, tuple[str, ...] | None]]:
    data = ROOT / "data"
    files = [(p, None) for folder in ("story", "words", "strings", "notes", "quiz")
             for p in sorted((data / folder / "zh").glob("*.*"))]
    return files + [(data / "sources.csv", ("outlet_zh",))]


def main(fix: bool) -> int:
    bad = 0
    for path, columns in targets():
        if not path.exists():
            continue
        text = path.read_text(encoding="utf-8")
        fixed = fix_csv(text, columns) if columns else fix_text(text)
        if fixed != text:
            bad += 1
            if fix:
                path.write_text(fixed, encoding="utf-8")
            print(("fixed " if fix else "ASCII punctuation in Chinese text: ") + str(path.relative_to(ROOT)))
    return 0 if fix or not bad else 1


if __name__ == "__main__":
    sys.exit(main("--fix" in sys.argv))
