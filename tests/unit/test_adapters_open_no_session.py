"""The adapters (bot/: Slack and CLI; reports/) parse, call a use case and render: none
reaches for the runtime's session factory or engine to do database work itself.

Checked on the syntax tree: any `.sessions` or `.engine` attribute in bot/ or reports/ is
a finding, except in the modules listed below (each with why it still may).
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ADAPTERS = ("bot", "reports")
ATTRIBUTES = {"sessions", "engine"}
ALLOWED = {
    # slack_sdk's SQLAlchemy installation and OAuth state stores take the engine itself
    "bot/slack/installations.py",
}


def test_adapters_reach_the_database_only_through_use_cases() -> None:
    found = []
    for package in ADAPTERS:
        for path in sorted((ROOT / package).rglob("*.py")):
            name = path.relative_to(ROOT).as_posix()
            if name in ALLOWED:
                continue
            tree = ast.parse(path.read_text(), filename=name)
            found += [
                f"{name}:{node.lineno}: .{node.attr}"
                for node in ast.walk(tree)
                if isinstance(node, ast.Attribute) and node.attr in ATTRIBUTES
            ]
    assert found == [], "reach the database through a use case of domain/services/"
