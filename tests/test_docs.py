"""Docs that cannot drift: every setting and every command is in the README."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from relgraph.cli import build_parser
from relgraph.settings import SETTINGS

README = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: s.name)
def test_every_setting_is_documented(setting) -> None:
    assert f"`{setting.env}`" in README


def _commands() -> list[str]:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return sorted(sub.choices)


@pytest.mark.parametrize("name", _commands())
def test_every_command_is_documented(name: str) -> None:
    assert f"`relgraph {name}" in README
