"""Every dependency in pyproject.toml has an upper bound, so that a new major version of
a library cannot change releasebot under a deployed site without a change here."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"
UPPER = re.compile(r"(<|<=|~=|==)\s*\d")


def test_every_dependency_has_an_upper_bound() -> None:
    project = tomllib.loads(PYPROJECT.read_text())
    requirements = [
        *project["build-system"]["requires"],
        *project["project"]["dependencies"],
        *(req for group in project["project"]["optional-dependencies"].values() for req in group),
    ]

    own_extras = f"{project['project']['name']}["  # bounded where the extra lists them
    unbounded = [
        req
        for req in requirements
        if not UPPER.search(req.split(";")[0]) and not req.startswith(own_extras)
    ]

    assert requirements and unbounded == []
