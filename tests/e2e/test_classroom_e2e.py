"""What waits behind a click, in a real browser: a chapter's questions and a chart's table.

These parts are built only when the reader opens them (``yiwu.lazy``), so
the check that matters is that the click really brings them, on a phone and
on a laptop, in both languages.
"""

from __future__ import annotations

import pytest

from tests.e2e.conftest import TABLE, open_page, wait_for_app
from yiwu import chart_view
from yiwu.loaders import read_strings
from yiwu.quiz import read_quiz

EXPANDER = '[data-testid="stExpander"]'


def open_expander(page, label: str, content: str) -> None:
    """Click the expander called ``label`` and wait for ``content`` to arrive in it."""
    expander = page.locator(EXPANDER).filter(has_text=label)
    expander.locator("summary").click()
    expander.locator(content).first.wait_for(timeout=30_000)
    wait_for_app(page)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_student_on_a_phone_opens_the_questions_and_gets_feedback(phone_page, app_url, lang):
    strings = read_strings(lang)
    quiz = read_quiz("roots", lang)
    open_page(phone_page, app_url, "roots", lang)
    assert phone_page.locator('[data-testid="stRadio"]').count() == 0
    open_expander(phone_page, strings["quiz.open"].format(n=len(quiz.questions)), '[data-testid="stRadio"]')
    radios = phone_page.locator('[data-testid="stRadio"]')
    assert radios.count() == len(quiz.questions)
    q = quiz.questions[0]
    radios.first.get_by_text(q.options[q.answer], exact=True).click()
    wait_for_app(phone_page)
    feedback = phone_page.locator('[data-testid="stAlertContentSuccess"]')
    assert feedback.count() == 1 and strings["quiz.right"] in feedback.inner_text()
    assert phone_page.locator('[data-testid="stTextArea"]').count() == 1
    assert phone_page.locator('[data-testid="stDownloadButton"]').count() == 1
    width = phone_page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert width <= 0, "the open questions scroll sideways on a phone"
    assert not phone_page.requests_outside and not phone_page.console_errors


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_charts_table_appears_when_its_expander_is_opened(browser_page, app_url, lang):
    open_page(browser_page, app_url, "reform", lang)
    assert browser_page.locator(TABLE).count() == 0
    open_expander(browser_page, read_strings(lang)["charts.table"], TABLE)
    rows = browser_page.locator(f"{TABLE} tbody tr")
    assert rows.count() == len(chart_view.build_series("trade", lang).table)
    # Every value row names its source, in the reader's language.
    header = browser_page.locator(f"{TABLE} thead").inner_text()
    assert ("来源" if lang == "zh" else "Source") in header
    assert not browser_page.requests_outside and not browser_page.console_errors
