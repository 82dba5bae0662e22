"""SQL only through the ORM or with bound parameters: no SQL string is built from values.

Checked on the syntax tree of the application's code: the text handed to `execute`,
`exec_driver_sql`, `executescript` or `text` must be a plain string, never an f-string,
a `%` or `+` expression or a `.format` call.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("bot", "config", "domain", "reports")
SQL_CALLS = {"execute", "exec_driver_sql", "executescript", "text"}


def _built(node: ast.expr) -> bool:
    """A string made from parts at run time."""
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(part, ast.FormattedValue) for part in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod | ast.Add):
        return True
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "format"
    )


def _name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return call.func.id if isinstance(call.func, ast.Name) else None


def test_no_sql_is_built_from_strings() -> None:
    found = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                if (
                    isinstance(node, ast.Call)
                    and _name(node) in SQL_CALLS
                    and node.args
                    and _built(node.args[0])
                ):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert found == []


def test_the_check_sees_a_built_statement() -> None:
    tree = ast.parse('cursor.execute(f"PRAGMA busy_timeout={ms}")\nsa.text("a" + b)')
    calls = [node for node in ast.walk(tree) if isinstance(node, ast.Call) and node.args]
    assert [_built(call.args[0]) for call in calls] == [True, True]
