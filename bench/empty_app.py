"""The baseline: an empty Streamlit page, served the same way as the app."""

import streamlit as st

st.write("")
