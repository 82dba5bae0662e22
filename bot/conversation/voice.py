"""Voice clips shared in Slack -> a command: Slack's own transcript when it has one, else
the clip recognised offline. The caller downloads (with the bot token); nothing here talks
to Slack.

What the bot knows is used: given the orders people talk about (a closed list), a heard
order that is not one of them is never echoed ("I didn't catch the order number"), nor one
whose words pocketsphinx fit poorly. With the second recogniser (bot.conversation.neural,
optional) both hear the clip; Whisper's readings are checked against the orders that
exist, and the answer is the command both agree on, or the one of them that is a command
about existing orders (see `combine`); when they heard different orders the person is
asked which, a button each.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from bot.conversation import language
from bot.conversation.audio import UnreadableAudio, decode_pcm
from bot.conversation.commands import (
    Command,
    Digest,
    Help,
    ListWaiting,
    NotUnderstood,
    ReleaseOrders,
    ShowOrder,
    Undo,
)
from bot.conversation.neural import NeuralRecognizer
from bot.conversation.orders import NoSuchOrder, resolve
from bot.conversation.parser import parse
from bot.conversation.speech import Heard as SphinxHeard
from bot.conversation.speech import recognizer

CLIP_SUBTYPES = {"slack_audio", "slack_video"}
UNHEARD_ORDER = "I didn't catch the order number"
UNHEARD_NUMBER = "the numbers were not clear enough to be sure"
DIFFERENT = "I heard two different things"


@dataclass(frozen=True)
class Readings:
    """Two commands about orders, or two digests, that a clip may have said: the person
    picks one."""

    commands: tuple[ReleaseOrders | ShowOrder | Digest, ...]


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


@dataclass(frozen=True)
class Hypothesis:
    """One recogniser's words for a clip and the command they parse to (or not)."""

    words: str
    understood: Command | NotUnderstood
    also: tuple[Command, ...] = ()  # the commands the recogniser's other readings say


def about_known_orders(words: str, orders: Collection[str]) -> Hypothesis:
    """The words parsed, the command's orders as the known orders' numbers; an order that is
    none of them is not echoed. Without a closed list (too many orders) the chat resolves
    later."""
    heard = parse(words) if words else NotUnderstood("")
    if not orders or not isinstance(heard, ReleaseOrders | ShowOrder):
        return Hypothesis(words, heard)
    found = resolve(heard, orders)
    if isinstance(found, NoSuchOrder):
        return Hypothesis(words, NotUnderstood(words, UNHEARD_ORDER))
    return Hypothesis(words, found if isinstance(found, ReleaseOrders | ShowOrder) else heard)


def hear_sphinx(
    pcm: bytes, orders: Collection[str] = (), sites: Collection[str] = ()
) -> Hypothesis:
    """pocketsphinx against the command grammar (numbers: the known orders)."""
    return sphinx_hypothesis(recognizer().hear(pcm, orders, sites), orders)


def sphinx_hypothesis(heard: SphinxHeard, orders: Collection[str] = ()) -> Hypothesis:
    """What pocketsphinx heard, as a command only when it was one and, against the known
    orders, its order numbers fit well: one it is not sure of is asked again rather than a
    different order echoed."""
    if not heard.is_command:
        return Hypothesis(heard.words, NotUnderstood(heard.words))
    found = about_known_orders(heard.words, orders)
    if not orders or heard.order_sure or isinstance(found.understood, NotUnderstood):
        return found
    unsure = NotUnderstood(heard.words, UNHEARD_NUMBER)
    return Hypothesis(heard.words, unsure, also=(found.understood,))  # Whisper may back it


def hear_neural(pcm: bytes, neural: NeuralRecognizer, orders: Collection[str] = ()) -> Hypothesis:
    """Whisper's readings, normalised and parsed like typed chat."""
    return neural_hypothesis(neural.hear(pcm), orders)


def neural_hypothesis(readings: Sequence[str], orders: Collection[str] = ()) -> Hypothesis:
    """Whisper's best reading that is a command about existing orders (its beam often has
    the right order a little below a misheard one), with the commands of all its readings;
    with none, the best reading."""
    heard = [about_known_orders(words, orders) for words in readings]
    commands = [h for h in heard if not isinstance(h.understood, NotUnderstood)]
    if not commands:
        return heard[0] if heard else Hypothesis("", NotUnderstood(""))
    also = tuple(h.understood for h in commands if not isinstance(h.understood, NotUnderstood))
    return replace(commands[0], also=also)


# words that back a command only one recogniser made out, where the other heard other words
_BACKING: dict[type, set[str]] = {
    Undo: {"undo", "do"},
    Help: {"help"},
    ListWaiting: {"waiting", "orders", "list"},
    Digest: {"digest", "daily", "weekday", "weekdays"},
}


def backed(command: Command, other_words: str) -> bool:
    """Whether the other recogniser's words back `command`: every order read in one of its
    spoken forms, or the command's key word; nothing to go by (no words) backs it too.

    An order is also backed by the ways Whisper mishears numbers that pocketsphinx's grammar
    keeps whole: a "-teen" heard as its "-ty" ("thirteen twenty nine" as "thirty twenty
    nine") and one digit of a run dropped ("one three six seven" as "one three seven"). On
    the tuned part of bench/voice.py's set those were the refusals of commands pocketsphinx
    had heard right and sure, and no wrong command came of them."""
    if not other_words.strip():
        return True
    if isinstance(command, ReleaseOrders | ShowOrder):
        numbers = command.orders if isinstance(command, ReleaseOrders) else (command.order,)
        said = f" {_teens_as_tens(other_words)} "
        heard = _numbers_read(other_words)
        return all(
            any(f" {_teens_as_tens(form)} " in said for form in language.spoken_forms(order))
            or any(_one_digit_dropped(order, number) for number in heard)
            for order in numbers
        )
    return bool(_BACKING.get(type(command), set()) & set(other_words.split()))


_TEEN_AS_TEN = dict(zip(language.TEENS[3:], language.TENS[1:], strict=True))  # thirteen: thirty


def _teens_as_tens(words: str) -> str:
    return " ".join(_TEEN_AS_TEN.get(word, word) for word in words.split())


def _numbers_read(words: str) -> list[str]:
    """The digits of each run of number words ("release one three seven and two zero five"
    -> ["137", "205"])."""
    runs: list[list[str]] = [[]]
    for word in words.split():
        if word in language.NUMBER_WORDS:
            runs[-1].append(word)
        elif runs[-1]:
            runs.append([])
    return [language.spoken_number(tuple(run)) for run in runs if run]


def _one_digit_dropped(order: str, number: str) -> bool:
    """Whether `number` is the order's short number with one of its digits left out."""
    digits = order.upper().removeprefix("P").lstrip("0")
    return len(digits) >= 3 and any(
        digits[:at] + digits[at + 1 :] == number for at in range(len(digits))
    )


def combine(spoken: Hypothesis, written: Hypothesis) -> Heard:
    """pocketsphinx's and Whisper's hypotheses -> one answer: the command they agree on (one
    of Whisper's readings will do); Whisper's command when pocketsphinx made out none, or
    one with numbers it was unsure of while all Whisper's readings say the same; a command
    only pocketsphinx made out when Whisper's words back it; two different order commands,
    or digests at two different times, are asked about; any other disagreement is not
    guessed at. Chosen on the tuned part of bench/voice.py's set: exact 74.3% -> 86.2%,
    wrong 1.4% -> 0.5%."""
    first, second = spoken.understood, written.understood
    if isinstance(first, NotUnderstood) and isinstance(second, NotUnderstood):
        return first if first.reason or not second.reason else second
    if first == second:
        return first
    if isinstance(second, NotUnderstood):
        assert not isinstance(first, NotUnderstood)
        return first if backed(first, written.words) else NotUnderstood(written.words, DIFFERENT)
    if isinstance(first, NotUnderstood) and (not spoken.also or len(set(written.also)) == 1):
        return second  # pocketsphinx heard no command, or one it was unsure of and Whisper is not
    # pocketsphinx's command, also one whose numbers it was not sure of
    heard = spoken.also[0] if isinstance(first, NotUnderstood) else first
    if heard == second or heard in written.also:
        return heard
    if isinstance(heard, ReleaseOrders | ShowOrder) and isinstance(
        second, ReleaseOrders | ShowOrder
    ):
        return Readings((second, heard))
    if isinstance(heard, Digest) and isinstance(second, Digest):
        return Readings((second, heard))
    return NotUnderstood("", DIFFERENT)


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
        return spoken.understood
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
