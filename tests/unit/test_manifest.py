"""manifest.yml against what the README promises admins: every scope asked for is explained."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from bot.slack.installations import BOT_SCOPES, REDIRECT_PATH

ROOT = Path(__file__).parents[2]


def test_every_bot_scope_is_explained_in_the_readme_and_no_other() -> None:
    manifest = yaml.safe_load((ROOT / "manifest.yml").read_text())
    readme = (ROOT / "README.md").read_text()
    table = readme.split("### Scopes", 1)[1].split("###", 1)[0]

    explained = {
        scope
        for line in table.splitlines()
        if line.startswith("| `")
        for scope in re.findall(r"`([a-z_.]+:[a-z_.]+|commands)`", line.split("|")[1])
    }

    assert explained == set(manifest["oauth_config"]["scopes"]["bot"])


def test_the_install_flow_asks_for_the_manifests_bot_scopes() -> None:
    manifest = yaml.safe_load((ROOT / "manifest.yml").read_text())

    assert list(BOT_SCOPES) == manifest["oauth_config"]["scopes"]["bot"]


def test_the_manifest_redirects_installs_to_releasebots_redirect_path() -> None:
    manifest = yaml.safe_load((ROOT / "manifest.yml").read_text())

    [redirect] = manifest["oauth_config"]["redirect_urls"]
    assert redirect.endswith(REDIRECT_PATH)
