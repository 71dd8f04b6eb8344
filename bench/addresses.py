"""The app's pages and their addresses, as the benchmark visits them."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from yiwu.loaders import read_table  # noqa: E402


def pages() -> list[tuple[str, str]]:
    """(name, url path) of every page, home first; the home page's path is empty."""
    chapters = read_table("chapters").sort_values("order")
    return [("home", "")] + [(r.id, r.url_path) for r in chapters.itertuples()] + [
        ("numbers", "numbers"), ("present", "present")]


def url_paths() -> list[str]:
    return [path for _, path in pages()]
