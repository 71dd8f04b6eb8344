"""Language choice and number formats a reader sees."""

import pytest

from yiwu.i18n import fmt_number, fmt_value, lang_from_locale


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
