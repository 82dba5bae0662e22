"""Voice clips over real HTTP: a clip shared in a DM or a mention is fetched from the Slack
stand-in with the bot token, recognised offline and answered with the same question as
typed text; Confirm then releases through the same path. Slack's transcript comes first."""

from __future__ import annotations

import pytest
import requests

from domain.statuses import OrderStatus
from tests.e2e.slack.conftest import BOT_TOKEN, CHANNEL, Bot
from tests.e2e.slack.payloads import mention_event, message_event
from tests.e2e.slack.standin import SlackStandIn
from tests.e2e.slack.test_chat import ask, buttons, click
from tests.e2e.slack.test_guarantees import releases
from tests.e2e.slack.test_release_flow import plant, status_of
from tests.voice_clips import Voice, clip, require_espeak

MIMETYPES = {"m4a": "audio/mp4", "webm": "audio/webm", "ogg": "audio/ogg", "mp3": "audio/mpeg"}


@pytest.fixture
def espeak() -> None:
    require_espeak()


@pytest.mark.usefixtures("espeak")
@pytest.mark.parametrize(
    ("voice", "container"),
    [(Voice("en-us", 160), "m4a"), (Voice("en-us+f3", 175, 60), "webm")],
)
def test_a_clip_in_a_dm_is_heard_confirmed_and_released(
    bot: Bot, slack: SlackStandIn, voice: Voice, container: str
) -> None:
    plant(bot)
    audio = clip("release order one with picking list", voice, container)
    file = slack.share_file(
        f"audio_message.{container}",
        audio,
        MIMETYPES[container],
        transcription={"status": "processing"},
    )

    event = message_event("", files=[file])

    answer = ask(bot, slack, event)

    assert answer.args["text"] == "Release P000001 with Picking list?"
    # the person saw the bot listening: an ear on the clip, taken off when it answered
    [added] = slack.ok_calls("reactions.add")
    [removed] = slack.ok_calls("reactions.remove")
    assert (
        added.args
        == removed.args
        == {"channel": "DPLANNER", "timestamp": event["ts"], "name": "ear"}
    )
    assert slack.calls.index(removed) < slack.calls.index(answer)
    [download] = slack.downloads
    assert download.authorization == f"Bearer {BOT_TOKEN}" and download.status == 200
    assert releases(bot) == 0  # speech alone releases nothing

    click(bot, answer, "chat_confirm")

    [_, result] = slack.wait_for("chat.postMessage", channel="DPLANNER", count=2)
    assert result.args["text"].endswith(": 1 order released")
    assert status_of(bot, "P000001") is OrderStatus.RELEASED


def test_the_download_needs_the_bot_token(slack: SlackStandIn) -> None:
    file = slack.share_file("clip.m4a", b"audio", "audio/mp4")

    assert requests.get(file["url_private_download"], timeout=10).status_code == 403
    assert slack.downloads[-1].status == 403


def test_slack_transcript_is_used_without_downloading(bot: Bot, slack: SlackStandIn) -> None:
    plant(bot)
    file = slack.share_file(
        "audio_message.m4a",
        b"not fetched",
        "audio/mp4",
        transcription={"status": "complete", "preview": {"content": "Show P000002."}},
    )

    answer = ask(bot, slack, message_event("", files=[file]))

    assert answer.args["text"] == "P000002: scheduled"
    assert not slack.downloads
    assert not slack.ok_calls("reactions.add")  # nothing to listen to: Slack heard it


@pytest.mark.usefixtures("espeak")
def test_speech_that_is_no_command_is_answered_with_examples(bot: Bot, slack: SlackStandIn) -> None:
    plant(bot)
    audio = clip("what is the weather like today", Voice("en", 150, 40), "ogg")
    file = slack.share_file("voice.ogg", audio, "audio/ogg", subtype=None)
    mention = mention_event("") | {"files": [file]}

    answer = ask(bot, slack, mention)

    assert answer.args["text"].startswith("I didn't catch that. Try for example:")
    assert answer.args["thread_ts"] == mention["ts"]
    assert answer.args["channel"] == CHANNEL
    assert not buttons(answer) and releases(bot) == 0


def test_a_file_that_is_no_audio_is_named(bot: Bot, slack: SlackStandIn) -> None:
    file = slack.share_file("audio_message.m4a", b"this is no audio", "audio/mp4")

    answer = ask(bot, slack, message_event("", files=[file]))

    assert answer.args["text"].startswith("I didn't catch that (the file is not audio we can play")


def test_a_clip_link_off_slack_is_not_fetched_with_the_token(bot: Bot, slack: SlackStandIn) -> None:
    file = slack.share_file("audio_message.m4a", b"", "audio/mp4")
    file["url_private_download"] = "http://files.example.invalid/clip.m4a"

    answer = ask(bot, slack, message_event("", files=[file]))

    assert answer.args["text"].startswith(
        "I didn't catch that (the clip is not on Slack (files.example.invalid))"
    )


@pytest.mark.usefixtures("espeak")
def test_a_refused_listening_reaction_changes_nothing_else(bot: Bot, slack: SlackStandIn) -> None:
    plant(bot)
    slack.fail("reactions.add", 200, 1, error="missing_scope")
    audio = clip("show order two", Voice("en-us", 160), "ogg")
    file = slack.share_file("voice.ogg", audio, "audio/ogg")

    answer = ask(bot, slack, message_event("", files=[file]))

    assert answer.args["text"] == "P000002: scheduled"
    assert not slack.ok_calls("reactions.remove")  # nothing was added, nothing taken off
