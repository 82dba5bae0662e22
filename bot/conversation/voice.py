"""Voice clips shared in Slack -> a command: Slack's own transcript when it has one, else
the clip recognised offline. The caller downloads (with the bot token); nothing here talks
to Slack.

What the bot knows is used: given the orders people talk about (a closed list), a heard
order that is not one of them is never echoed ("I didn't catch the order number"). With
the second recogniser (bot.conversation.neural, optional) both hear the clip; the answer is
the command both agree on, or the one of them that is a command about existing orders, and
when both heard a different order command the person is asked which, a button each.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any

from bot.conversation.audio import UnreadableAudio, decode_pcm
from bot.conversation.commands import Command, NotUnderstood, ReleaseOrders, ShowOrder
from bot.conversation.neural import NeuralRecognizer
from bot.conversation.orders import NoSuchOrder, resolve
from bot.conversation.parser import parse
from bot.conversation.speech import recognizer

CLIP_SUBTYPES = {"slack_audio", "slack_video"}
UNHEARD_ORDER = "I didn't catch the order number"


@dataclass(frozen=True)
class Readings:
    """Two commands about orders that a clip may have said: the person picks one."""

    commands: tuple[ReleaseOrders | ShowOrder, ...]


Heard = Command | NotUnderstood | Readings


def is_voice_clip(file: Mapping[str, Any]) -> bool:
    """Slack clips (`slack_audio`, `slack_video`) and any shared audio file."""
    return file.get("subtype") in CLIP_SUBTYPES or str(file.get("mimetype", "")).startswith(
        "audio/"
    )


def slack_transcript(file: Mapping[str, Any]) -> str | None:
    """Slack's transcript of a clip, once Slack has finished it."""
    transcription = file.get("transcription") or {}
    if transcription.get("status") != "complete":
        return None
    content = (transcription.get("preview") or {}).get("content")
    return content.strip() if isinstance(content, str) and content.strip() else None


def about_known_orders(
    heard: Command | NotUnderstood, orders: Collection[str]
) -> Command | NotUnderstood:
    """The command with its orders as the known orders' numbers; an order that is none of
    them is not echoed. Without a closed list (too many orders) the chat resolves later."""
    if not orders or not isinstance(heard, ReleaseOrders | ShowOrder):
        return heard
    found = resolve(heard, orders)
    if isinstance(found, NoSuchOrder):
        return NotUnderstood("", UNHEARD_ORDER)
    return heard if not isinstance(found, ReleaseOrders | ShowOrder) else found


def hear_sphinx(
    pcm: bytes, orders: Collection[str] = (), sites: Collection[str] = ()
) -> Command | NotUnderstood:
    """pocketsphinx against the command grammar (numbers: the known orders)."""
    heard = recognizer().hear(pcm, orders, sites)
    understood = parse(heard.words) if heard.is_command else NotUnderstood(heard.words)
    return about_known_orders(understood, orders)


def hear_neural(
    pcm: bytes, neural: NeuralRecognizer, orders: Collection[str] = ()
) -> Command | NotUnderstood:
    """Whisper's text, normalised and parsed like typed chat."""
    return about_known_orders(parse(neural.hear(pcm)), orders)


def combine(spoken: Command | NotUnderstood, written: Command | NotUnderstood) -> Heard:
    """pocketsphinx's and Whisper's commands -> one answer: the command they agree on or the
    one that is a command; two different order commands are asked about; any other
    disagreement is not guessed at."""
    if isinstance(spoken, NotUnderstood):
        return written if not isinstance(written, NotUnderstood) else spoken
    if isinstance(written, NotUnderstood) or written == spoken:
        return spoken
    if isinstance(spoken, ReleaseOrders | ShowOrder) and isinstance(
        written, ReleaseOrders | ShowOrder
    ):
        return Readings((written, spoken))
    return NotUnderstood("", "I heard two different things")


def understand_clip(
    data: bytes,
    orders: Collection[str] = (),
    sites: Collection[str] = (),
    neural: NeuralRecognizer | None = None,
) -> Heard:
    """Recognise audio bytes (m4a, webm, ogg, mp3, wav) offline and parse what was said."""
    try:
        pcm = decode_pcm(data)
    except UnreadableAudio as error:
        return NotUnderstood("", str(error))
    spoken = hear_sphinx(pcm, orders, sites)
    if neural is None:
        return spoken
    return combine(spoken, hear_neural(pcm, neural, orders))


def understand_file(
    file: Mapping[str, Any],
    download: Callable[[str], bytes],
    orders: Collection[str] = (),
    sites: Collection[str] = (),
    neural: NeuralRecognizer | None = None,
) -> Heard:
    """A Slack file object -> command: the transcript if complete, else `download` the
    clip's `url_private_download` and recognise it."""
    transcript = slack_transcript(file)
    if transcript is not None:
        return parse(transcript)
    url = file.get("url_private_download") or file.get("url_private")
    if not url:
        return NotUnderstood("", "the clip has no download link")
    return understand_clip(download(str(url)), orders, sites, neural)
