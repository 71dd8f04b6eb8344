"""Language choice and number formats a reader sees."""

import re
from pathlib import Path

import pytest

from yiwu.i18n import fmt_number, fmt_value, lang_from_locale, relabel_script, streamlit_labels
from yiwu.loaders import read_strings


@pytest.mark.parametrize("locale, lang", [
    ("en-US", "en"), ("en", "en"), ("zh-CN", "zh"), ("zh-Hant-TW", "zh"), ("fr-FR", None), (None, None), ("", None),
])
def test_browser_locale_picks_a_language(locale, lang):
    assert lang_from_locale(locale) == lang


@pytest.mark.parametrize("value, lang, text", [
    (2_100_000, "en", "2.1 million"), (2_100_000, "zh", "210万"),
    (836_500_000_000, "en", "836.5 billion"), (836_500_000_000, "zh", "8365亿"),
    (13_052, "en", "13,052"), (13_052, "zh", "1.31万"), (26, "zh", "26"),
])
def test_numbers_read_naturally(value, lang, text):
    assert fmt_number(value, lang) == text


def test_values_carry_unit_and_qualifier():
    assert fmt_value(2_100_000, "count", "over", "en") == "over 2.1 million"
    assert fmt_value(2_100_000, "count", "over", "zh") == "超210万"
    assert fmt_value(13_052, "km", "", "zh") == "13052公里"
    assert fmt_value(21, "days", "about", "en") == "about 21 days"
    assert fmt_value(836_500_000_000, "cny", None, "zh") == "8365亿元"
    assert fmt_value(70, "percent", "over", "en") == "over 70%"


# Streamlit's own words (its menu, sidebar, chart toolbar, tooltips and
# screen-reader labels), put in the page's language by assets/relabel.js.

def _streamlit_code() -> str:
    import streamlit

    js = Path(streamlit.__file__).parent / "static" / "static" / "js"
    return "".join(p.read_text(encoding="utf-8") for p in js.glob("*.js"))


def test_each_streamlit_word_we_translate_is_one_streamlit_writes():
    # A word Streamlit renames would silently stay English on Chinese pages.
    code = _streamlit_code()
    english = {k: v for k, v in read_strings("en").items() if k.startswith("streamlit.")}
    assert len(english) >= 20
    def written(v: str) -> bool:
        if ". " in v:  # Streamlit joins it from two sentences
            parts = [p.strip().rstrip(".") for p in v.split(". ")]
            return all(p in code for p in parts if p)
        return f"`{v}" in code or f'"{v}' in code

    missing = [v for v in english.values() if not written(v)]
    assert not missing, f"not in Streamlit's code (renamed?): {missing}"


def test_chinese_pages_get_every_streamlit_word_in_chinese():
    labels = streamlit_labels("zh")
    english = [v for k, v in read_strings("en").items() if k.startswith("streamlit.")]
    assert sorted(labels) == sorted(english)
    assert all(re.search("[\u4e00-\u9fff]", word) for word in labels.values()), labels
    assert streamlit_labels("en") == {}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_relabel_script_survives_streamlits_html_sanitizer(lang):
    # DOMPurify drops a whole <script> whose text holds "<" before a letter or
    # "/" (it happened: a comment that named "data/strings/<lang>/").
    script = relabel_script(lang)
    assert "window.__yiwuLabels = {" in script
    assert not re.search(r"<[/\w]", script)
