"""Page settings that round-trip through the URL, presets, and the copy-link control.

A page declares its settings once as ``{widget key: Field(default, ...)}``, calls
:func:`init` before creating its widgets (which take ``key=`` and no ``value=``), and
:func:`publish` after them. Opening a link then reproduces the same settings.
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass
from typing import Any

import streamlit as st


@dataclass(frozen=True)
class Field:
    """One setting: its default, and what a value read from a URL must satisfy."""

    default: Any
    choices: tuple | None = None
    lo: float | None = None
    hi: float | None = None

    def decode(self, raw: list[str]) -> Any:
        """Parse the URL's strings into a value of the default's type, or raise ValueError."""
        d = self.default
        if isinstance(d, list):
            items = [v for item in raw for v in item.split(",") if v]
            if self.choices is None:
                return items
            return [self._choice(v) for v in items]
        text = raw[-1]
        if self.choices is not None:
            return self._choice(text)
        if isinstance(d, bool):
            if text not in ("true", "false"):
                raise ValueError(f"{text!r} is not true/false")
            return text == "true"
        value = int(text) if isinstance(d, int) else float(text) if isinstance(d, float) else text
        if isinstance(value, float) and value != value:  # NaN
            raise ValueError("NaN")
        if (self.lo is not None and value < self.lo) or (self.hi is not None and value > self.hi):
            raise ValueError(f"{value} is outside [{self.lo}, {self.hi}]")
        return value


    def _choice(self, text: str) -> Any:
        """The choice whose URL encoding is ``text`` (choices may be numbers or None)."""
        for c in self.choices:
            if encode(c) == text:
                return c
        raise ValueError(f"{text!r} is not one of the choices")


def encode(value: Any) -> str:
    """A value as it appears in the URL (floats round-trip exactly)."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, (list, tuple)):
        return ",".join(encode(v) for v in value)
    return str(value)


def init(fields: dict[str, Field], page: str) -> None:
    """Before the widgets: when the session enters this page (first run, or coming from
    another page), every setting comes from the URL, else its default, so nothing leaks
    between pages that share a key; on reruns within the page, the widgets' values stay.
    Bad URL values are ignored, with a toast."""
    if st.session_state.get("_url_page") != page:
        st.session_state["_url_page"] = page
        bad = []
        for key, field in fields.items():
            st.session_state[key] = field.default
            if key in st.query_params:
                try:
                    st.session_state[key] = field.decode(st.query_params.get_all(key))
                except (ValueError, TypeError) as exc:
                    bad.append(f"{key} ({exc})")
        if bad:
            st.toast("Ignored link settings: " + "; ".join(bad), icon=":material/link_off:")
    for key, field in fields.items():
        if key not in st.session_state:
            st.session_state[key] = field.default


def current(fields: dict[str, Field]) -> dict[str, str]:
    """The settings that differ from the defaults, encoded for the URL."""
    out = {}
    for key, field in fields.items():
        value = st.session_state.get(key, field.default)
        if encode(value) != encode(field.default):
            out[key] = encode(value)
    return out


def publish(fields: dict[str, Field]) -> str:
    """After the widgets: mirror the settings into the address bar; return the share link."""
    params = current(fields)
    if dict(st.query_params.to_dict()) != params:
        st.query_params.from_dict(params)
    base = st.context.url or ""
    return base + ("?" + urllib.parse.urlencode(params) if params else "")


def apply_preset(values: dict[str, Any]) -> None:
    """Button callback: set a preset's values (runs before the widgets are rebuilt)."""
    for key, value in values.items():
        st.session_state[key] = value


def preset_help(values: dict[str, Any], limit: int = 8) -> str:
    """The tooltip of a preset button: the settings it loads (the first ``limit``)."""
    items = [f"{k} = {encode(v)}" for k, v in values.items()]
    more = f", and {len(items) - limit} more" if len(items) > limit else ""
    return "Loads " + ", ".join(items[:limit]) + more


def presets_and_link(presets: dict[str, dict[str, Any]], link: str, *, key: str) -> None:
    """A row of one-click presets and a popover with the shareable link."""
    row = st.container(horizontal=True, gap="small")
    row.caption("Presets:")
    for name, values in presets.items():
        row.button(name, key=f"{key}:preset:{name}", on_click=apply_preset, args=(values,),
                   help=preset_help(values))
    with row.popover("Copy link", icon=":material/link:",
                     help="A link that reopens this page with the same settings"):
        st.caption("This link reopens the page with the same settings and figures:")
        st.code(link or "(the link appears once the page has loaded in a browser)",
                language=None, wrap_lines=True)
