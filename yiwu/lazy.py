"""Expanders whose contents are built only when the reader opens them.

A collapsed ``st.expander`` still sends and draws everything inside it: a data
table there made the browser fetch and run the table code on every chart page
before anyone asked for it. With ``on_change="rerun"`` Streamlit tells us
whether the expander is open, so the contents wait for the click.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st


@contextmanager
def expander(label: str, key: str, **kwargs) -> Iterator[bool]:
    """``with lazy.expander(label, key) as opened: if opened: ...``"""
    box = st.expander(label, key=key, on_change="rerun", **kwargs)
    with box:
        yield bool(box.open)
