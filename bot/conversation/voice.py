"""Voice clips shared in Slack -> a command: Slack's own transcript when it has one, else
the clip recognised offline. The caller downloads (with the bot token); nothing here talks
to Slack."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import Any

from bot.conversation.audio import UnreadableAudio, decode_pcm
from bot.conversation.commands import Command, NotUnderstood
from bot.conversation.parser import parse
from bot.conversation.speech import recognizer

CLIP_SUBTYPES = {"slack_audio", "slack_video"}


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


def understand_clip(
    data: bytes, orders: Collection[str] = (), sites: Collection[str] = ()
) -> Command | NotUnderstood:
    """Recognise audio bytes (m4a, webm, ogg, mp3, wav) offline and parse what was said."""
    try:
        pcm = decode_pcm(data)
    except UnreadableAudio as error:
        return NotUnderstood("", str(error))
    heard = recognizer().hear(pcm, orders, sites)
    return parse(heard.words) if heard.is_command else NotUnderstood(heard.words)


def understand_file(
    file: Mapping[str, Any],
    download: Callable[[str], bytes],
    orders: Collection[str] = (),
    sites: Collection[str] = (),
) -> Command | NotUnderstood:
    """A Slack file object -> command: the transcript if complete, else `download` the
    clip's `url_private_download` and recognise it."""
    transcript = slack_transcript(file)
    if transcript is not None:
        return parse(transcript)
    url = file.get("url_private_download") or file.get("url_private")
    if not url:
        return NotUnderstood("", "the clip has no download link")
    return understand_clip(download(str(url)), orders, sites)
