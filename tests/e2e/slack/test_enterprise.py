"""Installed on an Enterprise Grid org (an org token): `W…` user IDs, and group rights looked
up with the workspace the org token must name."""

from __future__ import annotations

from domain.statuses import OrderStatus
from tests.e2e.slack.conftest import CHANNEL, Bot
from tests.e2e.slack.payloads import view_submission
from tests.e2e.slack.standin import SlackStandIn
from tests.e2e.slack.test_guarantees import confirmation_for
from tests.e2e.slack.test_release_flow import plant, status_of

ZOE = "WZOE"  # an Enterprise Grid user, in the group that may release for site 2


def test_an_org_installs_group_rights_are_looked_up_in_the_persons_workspace(
    bot: Bot, slack: SlackStandIn
) -> None:
    plant(bot)
    slack.org_install = True
    slack.groups["SPLANNERS"].append(ZOE)

    confirm = confirmation_for(bot, slack, ["P000003"], user=ZOE)
    bot.interact(view_submission(confirm, user=ZOE))

    [posted] = slack.wait_for("chat.postMessage", channel=CHANNEL)
    assert posted.args["text"] == f"Release R000001 by <@{ZOE}>: 1 order released"
    assert status_of(bot, "P000003") is OrderStatus.RELEASED
    lookups = slack.ok_calls("usergroups.users.list")
    assert lookups and {call.args.get("team_id") for call in lookups} == {"T1"}
