"""The App Home over signed HTTP: `app_home_opened` -> `views.publish`."""

from __future__ import annotations

import json

from tests.builders import Plant
from tests.e2e.slack.conftest import CHANNEL, OUTSIDER, PLANNER, Bot, signed_headers
from tests.e2e.slack.payloads import button, view_submission
from tests.e2e.slack.standin import SlackStandIn
from tests.e2e.slack.test_release_flow import open_modal, plant, review

JSON = {"Content-Type": "application/json"}


def _open_home(bot: Bot, slack: SlackStandIn, user: str) -> list[dict]:
    published = len(slack.ok_calls("views.publish"))
    event = {
        "type": "event_callback",
        "team_id": "T1",
        "api_app_id": "A1",
        "event_id": f"EvHome{published}",
        "event_time": 1700000000,
        "event": {"type": "app_home_opened", "user": user, "channel": "DHOME", "tab": "home"},
    }
    body = json.dumps(event)
    assert bot.post(body, signed_headers(body) | JSON).status_code == 200
    call = slack.wait_for("views.publish", count=published + 1)[-1]
    assert call.args["user_id"] == user
    assert call.args["view"]["type"] == "home"
    return call.args["view"]["blocks"]


def test_the_home_shows_orders_at_my_sites_my_releases_and_the_digests(
    bot: Bot, slack: SlackStandIn
) -> None:
    plant(bot)
    bot.command("digest daily 07:00")

    blocks = _open_home(bot, slack, PLANNER)

    buttons = [b["accessory"]["value"] for b in blocks if "accessory" in b]
    assert buttons == ["P000001", "P000002"]  # P000003 is at site 2
    labels = [b["accessory"]["accessibility_label"] for b in blocks if "accessory" in b]
    assert labels == ["Release P000001…", "Release P000002…"]  # what a screen reader says
    text = json.dumps(blocks)
    assert "Yours to release: site 1." in text
    assert "None yet." in text
    assert f"<#{CHANNEL}>: daily 07:00 Europe/Berlin, within 1d" in text
    [release_all] = [b for b in blocks if b["type"] == "actions"]
    bot.interact(button("open_release_filtered", release_all["elements"][0]["value"]))
    modal = slack.wait_for("views.open")[-1].args["view"]
    assert modal["callback_id"] == "release_choose"

    review_view = review(bot, open_modal(bot, slack, "P000001"), ["P000001"], []).json()["view"]
    bot.interact(view_submission(review_view, view_id="VHOME1"))
    slack.wait_for("chat.postMessage", channel=CHANNEL)
    after = json.dumps(_open_home(bot, slack, PLANNER))
    assert "*R000001*" in after and "1 released, 0 refused" in after
    assert "P000001" not in [b.get("accessory", {}).get("value") for b in json.loads(after)]


def test_someone_without_rights_sees_every_order_and_is_told(bot: Bot, slack: SlackStandIn) -> None:
    plant(bot)

    blocks = _open_home(bot, slack, OUTSIDER)

    assert [b["accessory"]["value"] for b in blocks if "accessory" in b] == [
        "P000001",
        "P000002",
        "P000003",
    ]
    assert "no site: you may look but not release" in json.dumps(blocks)


def test_a_german_planner_reads_the_times_in_german_and_in_berlin_time(
    bot: Bot, slack: SlackStandIn
) -> None:
    plant(bot)  # every order starts on Monday 30 November 2026, 06:00 UTC
    slack.locales[PLANNER] = "de-DE"  # and Ann's time zone is Europe/Berlin

    german = json.dumps(_open_home(bot, slack, PLANNER), ensure_ascii=False)
    slack.locales[OUTSIDER] = "en-US"  # in America/Los_Angeles
    american = json.dumps(_open_home(bot, slack, OUTSIDER), ensure_ascii=False)

    assert "start Mo., 30. Nov. 07:00 ·" in german and "Times in Europe/Berlin." in german
    assert "start Sun, Nov 29 10:00 PM ·" in american.replace("\u202f", " ")  # CLDR's space
    assert "Orders waiting for release" in german  # the words stay English
    info = slack.ok_calls("users.info", user=PLANNER)
    assert info and all(str(c.args["include_locale"]).lower() in {"1", "true"} for c in info)


def test_the_home_marks_what_stands_in_the_way_of_each_order(bot: Bot, slack: SlackStandIn) -> None:
    """The marks are the release's own decision, each order as if released on its own."""
    with bot.sessions.begin() as session:
        plant = Plant(session)
        plant.warehouse("12", input_location="")
        plant.stock("RM-1", "11", "A-01", 5)
        plant.stock("RM-1", "12", "B-01", 5)
        plant.order([("RM-1", 4)], number="P000001")
        plant.order([("RM-1", 9)], number="P000002")
        plant.order([("RM-1", 1)], number="P000003", warehouse="12")

    blocks = _open_home(bot, slack, PLANNER)

    lines = {b["accessory"]["value"]: b["text"]["text"] for b in blocks if "accessory" in b}
    assert ":no_entry:" not in lines["P000001"] and "short" not in lines["P000001"]
    assert lines["P000002"].endswith(
        " · :small_red_triangle: *short*: RM-1 Item RM-1: short 4 of 9 pcs in 11"
    )
    assert lines["P000003"].endswith(
        " · :no_entry: P000003: warehouse 12 has no production input location to pick to; "
        "set one up first"
    )
