"""Data shown through Markdown as it is: literal text and tables (yiwu.markdown)."""

import math

import pandas as pd

from yiwu import markdown


def test_literal_text_shows_no_markup():
    text = "*not bold* [not a link](x) <b>not html</b> | # 1. - `x`"
    shown = markdown.literal(text)
    for mark in "*[]()<>|#-`":
        assert f"\\{mark}" in shown, mark
    # Removing the escapes gives the text back: nothing is lost or added.
    assert shown.replace("\\", "") == text


def _rows(table: str) -> list[str]:
    return table.splitlines()


def test_a_table_has_the_frame_header_and_one_line_per_row():
    frame = pd.DataFrame({"Period": ["2019", "Jan–Nov 2017"], "Value (billion yuan)": [286.79, 208.1],
                          "Source": ["A | B", None]})
    lines = _rows(markdown.table(frame))
    assert lines[0] == r"| Period | Value \(billion yuan\) | Source |"
    assert lines[1] == "|:---|---:|:---|", "numbers align right, text left"
    assert lines[2] == r"| 2019 | 286.79 | A \| B |", "a | inside a cell does not split it"
    assert lines[3] == "| Jan–Nov 2017 | 208.1 |  |", "a missing value is an empty cell"
    assert len(lines) == 2 + len(frame)


def test_numbers_show_their_digits_and_years_stay_years():
    frame = pd.DataFrame({"year": [1982, 2025], "value": [2867.8999999999996, 0.2736],
                          "big": [1_150_000.0, math.nan]})
    lines = _rows(markdown.table(frame))
    assert lines[2] == "| 1982 | 2867.9 | 1150000 |"
    assert lines[3] == "| 2025 | 0.2736 |  |"


def test_a_cell_is_one_line():
    lines = _rows(markdown.table(pd.DataFrame({"note": ["first line\nsecond   line"]})))
    assert lines[2] == "| first line second line |"
