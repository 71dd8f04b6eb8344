"""Shared test set-up: a clean data cache for every test."""

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


@pytest.fixture(autouse=True)
def clear_caches():
    # AppTest runs the app in this process: what one test loaded (or broke)
    # would otherwise be seen by the next.
    from yiwu.loaders import clear_shared

    clear_shared()
    yield
    clear_shared()
