"""Chat and voice in Slack: a message or a clip -> the command it says -> the answer to post.

Nothing here changes an order. A release is only asked about (Confirm / Edit / Cancel); it
runs when the person confirms, through the release worker like the modal's confirmation.
"""

from __future__ import annotations

import logging
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from functools import cache
from typing import Any

from slack_sdk.errors import SlackApiError

from bot.bootstrap import BotDependencies
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
from bot.conversation.neural import NeuralRecognizer, neural_recognizer
from bot.conversation.orders import Ambiguous, NoSuchOrder, references, resolve
from bot.conversation.parser import parse
from bot.conversation.question import confirmation, listing, not_understood
from bot.conversation.voice import Readings, is_voice_clip, slack_transcript, understand_file
from bot.slack import envelope
from bot.slack.blocks import chat
from bot.slack.blocks.moments import Moments
from bot.slack.blocks.waiting_list import SHOWN, waiting_list
from bot.slack.directory import NO_SITES
from domain.clock import utc_now
from domain.erp import ErpUnavailable

log = logging.getLogger(__name__)

MAX_SPOKEN_ORDERS = 1_000  # beyond, numbers are free digits: measured, 5,000 take 3.5 s to load
MAX_CLIP_BYTES = 25 * 1024 * 1024
DOWNLOAD_SECONDS = 30
SLACK_FILE_HOSTS = ("slack.com", "slack-gov.com")
SHOWN_UNDO_ORDERS = 10

Heard = Command | NotUnderstood | Readings
At = Callable[[datetime], str]
LISTENING = "ear"  # the reaction on a clip while it is being recognised


class ClipNotFetched(Exception):
    """The clip could not be downloaded from Slack."""


class Chat:
    """What the bot answers in a DM or a mention, by text or by voice."""

    def __init__(self, services: BotDependencies) -> None:
        self._services = services

    def reply(self, event: Mapping[str, Any]) -> chat.Message | None:
        """The answer to a message event (a DM or a mention); None when it asks nothing."""
        person = envelope.from_person(event.get("user"), event.get("channel"))
        if person is None:  # no message a person wrote
            return None
        user, channel = person
        files = event.get("files") or ()
        with self._listening(channel, event.get("ts"), files):
            heard = self.understand(event.get("text") or "", files, user)
        return None if heard is None else self.answer(heard, user, channel)

    def understand(
        self, text: str, files: Sequence[Mapping[str, Any]] = (), user: str | None = None
    ) -> Heard | None:
        """A voice clip wins over the text beside it; None when there is nothing to read."""
        clips = [file for file in files if is_voice_clip(file)]
        if clips:
            return self._hear(clips[0], user)
        return parse(text) if text.strip() else None

    @contextmanager
    def _listening(
        self, channel: str, ts: str | None, files: Sequence[Mapping[str, Any]]
    ) -> Iterator[None]:
        """While a clip without Slack's transcript is recognised, an ear on the message says
        the bot is listening; it is taken off when the answer is ready. A reaction Slack
        refuses is logged and changes nothing else."""
        clips = [file for file in files if is_voice_clip(file)]
        if not ts or not clips or slack_transcript(clips[0]) is not None:
            yield
            return
        client = self._services.client
        added = _react(client.reactions_add, channel, ts)
        try:
            yield
        finally:
            if added:
                _react(client.reactions_remove, channel, ts)

    def answer(
        self, heard: Heard, user: str, channel: str, private: bool | None = None
    ) -> chat.Message:
        """The answer to post: read-only commands answered at once, a release asked about.
        A `private` answer (a DM unless said otherwise) writes times as that person reads
        them; one in a channel, in English and UTC."""
        if private is None:
            private = channel.startswith("D")
        at = self._at(user) if private else None
        match heard:
            case NotUnderstood():
                return chat.message(not_understood(heard))
            case Readings(commands):
                return chat.which_reading(commands)
            case Help():
                return chat.message(chat.CHAT_HELP)
            case ListWaiting():
                return self._waiting(heard, at)
            case ShowOrder() | ReleaseOrders():
                return self._about_orders(heard, user, channel, at)
            case Undo():
                return self._undo_question(user)
            case Digest(spec):
                return chat.yes_no(confirmation(heard), chat.CONFIRM_DIGEST, spec)
        raise TypeError(f"not a command: {heard!r}")

    def _at(self, user: str) -> At:
        """Times as `user` reads them, looked up (users.info) only if an answer has any."""
        directory = self._services.directory

        @cache
        def moments() -> Moments:
            return Moments.of(directory.locale(user), directory.timezone(user))

        return lambda moment: moments().at(moment)

    def _waiting(self, command: ListWaiting, at: At | None) -> chat.Message:
        wanted = command.order_filter(utc_now().date())
        orders, total = self._services.runtime.orders.search(wanted, "", SHOWN)
        listing = waiting_list(orders, total, at)
        del listing["response_type"]
        return listing

    def _about_orders(
        self, command: ShowOrder | ReleaseOrders, user: str, channel: str, at: At | None = None
    ) -> chat.Message:
        runtime = self._services.runtime
        found = resolve(command, runtime.orders.numbers_ending(references(command)))
        match found:
            case Ambiguous():
                return chat.which_order(found, command)
            case NoSuchOrder():
                return chat.message(found.message())
            case ShowOrder(order):
                try:  # as the ERP has it now
                    detail = runtime.order_details.detail(order)
                except ErpUnavailable as error:
                    return chat.message(f"I cannot show {order} now: {error}")
                if detail is None:  # gone since it was matched
                    return chat.message(NoSuchOrder(order).message())
                return chat.order_card(detail, at)
        assert isinstance(found, ReleaseOrders)
        return self._release_question(found, user, channel)

    def _release_question(self, command: ReleaseOrders, user: str, channel: str) -> chat.Message:
        """What the release would do per order, and Confirm for the orders that can go."""
        sites = self._services.directory.sites(user)
        if sites is not None and not sites:
            return chat.message(NO_SITES)
        reviewed = self._services.runtime.release_form.review(
            command.orders, command.papers, sites, user
        )
        return chat.release_question(
            confirmation(command),
            reviewed.previews,
            command.papers,
            channel,
            reviewed.printers,
            reviewed.checked,
        )

    def _undo_question(self, user: str) -> chat.Message:
        """ "Undo your last release, R000012 (P000123 and P000124)?": the reset decides on
        Confirm whether it still can be undone."""
        last = self._services.runtime.orders.last_undoable(user)
        if last is None:
            return chat.message("You have no release to undo.")
        shown = last.orders[:SHOWN_UNDO_ORDERS]
        more = len(last.orders) - len(shown)
        orders = listing([*shown, f"{more} more"] if more else shown)
        question = f"Undo your last release, {last.number} ({orders})?"
        return chat.yes_no(question, chat.CONFIRM_UNDO, str(last.id))

    def _hear(self, file: Mapping[str, Any], user: str | None) -> Heard:
        """The clip recognised against what the bot knows: the orders at the person's sites
        (every site for admins and for those who may only look), and the sites."""
        person_sites = self._services.directory.sites(user) if user else None
        spoken, sites = self._services.runtime.orders.vocabulary(
            MAX_SPOKEN_ORDERS, person_sites or None
        )
        orders = spoken or ()
        try:
            return understand_file(file, self._download, orders, sites, self._neural())
        except ClipNotFetched as error:
            return NotUnderstood("", str(error))

    def _neural(self) -> NeuralRecognizer | None:
        """Whisper beside pocketsphinx when the extra is installed and not turned off."""
        settings = self._services.runtime.settings
        return neural_recognizer(settings.voice_model_dir) if settings.voice_neural else None

    def _download(self, url: str) -> bytes:
        """`url_private_download` with the bot token, from Slack's hosts only."""
        host = urllib.parse.urlsplit(url).hostname or ""
        api_host = urllib.parse.urlsplit(self._services.runtime.settings.slack_api_url).hostname
        if host != api_host and not any(
            host == known or host.endswith(f".{known}") for known in SLACK_FILE_HOSTS
        ):
            raise ClipNotFetched(f"the clip is not on Slack ({host})")
        request = urllib.request.Request(
            url, headers={"Authorization": f"Bearer {self._services.client.token}"}
        )
        try:
            with urllib.request.urlopen(request, timeout=DOWNLOAD_SECONDS) as response:
                data = response.read(MAX_CLIP_BYTES + 1)
        except (urllib.error.URLError, TimeoutError) as error:
            log.warning("clip download failed: %s", error)
            raise ClipNotFetched("I could not fetch the clip from Slack") from None
        if len(data) > MAX_CLIP_BYTES:
            raise ClipNotFetched("the clip is too large for a command")
        return data


def _react(call: Callable[..., Any], channel: str, ts: str) -> bool:
    """reactions.add / reactions.remove of the listening ear; False when Slack refused it."""
    try:
        call(channel=channel, timestamp=ts, name=LISTENING)
    except SlackApiError as error:
        log.warning("listening reaction: %s", error.response.get("error"))
        return False
    return True
