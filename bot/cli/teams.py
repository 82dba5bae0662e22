"""`--team`: which Slack workspace a command acts for when releasebot is installed in several
(the install flow); with one SLACK_BOT_TOKEN there is one workspace and no `--team`."""

from __future__ import annotations

from typing import Annotated

import typer

from bot.cli.common import fail
from bot.slack.workspaces import Workspace
from domain.runtime import Runtime
from domain.services.installations import Installed

TeamOption = Annotated[
    str | None,
    typer.Option(
        "--team",
        help="The Slack workspace, when installed in several: its team ID (T…), or the "
        "enterprise ID (E…) of an org installed org-wide (`releasebot installations`).",
    ),
]


def named_team(run: Runtime, team: str | None) -> str | None:
    """`--team` as given; refused with one SLACK_BOT_TOKEN, where there is no choosing."""
    if team is not None and not run.settings.installs:
        fail(
            f"--team {team}: releasebot runs on one SLACK_BOT_TOKEN here, one workspace; "
            "--team is for the install flow (SLACK_CLIENT_ID)"
        )
    return team


def installed_workspace(run: Runtime, team: str | None) -> Workspace | None:
    """The installation a command's Slack messages go with: `--team`'s, or the only one;
    None with one SLACK_BOT_TOKEN (its workspace)."""
    if named_team(run, team) is None and not run.settings.installs:
        return None
    installed = run.installations.installed()
    if not installed:
        fail("releasebot is not installed in any workspace yet: open /slack/install on the server")
    if team is None:
        if len(installed) > 1:
            fail(
                f"releasebot is installed in {len(installed)} workspaces: say which with "
                f"--team ({_listed(installed)})"
            )
        return _workspace(installed[0])
    for one in installed:
        if team == (one.enterprise_id if one.org_wide else one.team_id):
            return _workspace(one)
    fail(f"--team {team}: releasebot is not installed there; it is in {_listed(installed)}")


def _workspace(one: Installed) -> Workspace:
    return Workspace(one.enterprise_id, None if one.org_wide else one.team_id)


def _listed(installed: list[Installed]) -> str:
    """`Plant 1 (T1), Acme Group (E1, the whole org)`."""
    return ", ".join(
        f"{one.enterprise_name} ({one.enterprise_id}, the whole org)"
        if one.org_wide
        else f"{one.team_name} ({one.team_id})"
        for one in installed
    )
