"""The baseline at every address: an empty Streamlit page at each of the app's URLs.

Opening a page other than the home page costs any multipage Streamlit app a
round trip before it connects (its client first asks ``/<page>/_stcore/health``,
gets a 404, waits and asks ``/_stcore/health``). The empty page at ``/`` never
pays it, so the benchmark also pairs each page with an empty page at the same
address. The navigation is hidden: the page stays empty.
"""

import sys
from pathlib import Path

import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.addresses import url_paths  # noqa: E402


def empty() -> None:
    st.write("")


st.navigation([st.Page(empty, title=path or "home", url_path=path or None, default=not path)
               for path in url_paths()], position="hidden").run()
