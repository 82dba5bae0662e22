"""The Slack requests releasebot takes, checked at the door, after the signature.

Bolt and the listeners read fields Slack always sends (a command's trigger id, a
view's type and callback id, an action's id). A signed body without them is no
request Slack makes; it gets a 400 naming what is wrong instead of reaching them
and ending as a KeyError and a 500. Fields are only required where someone reads
them; anything else Slack adds passes through.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    TypeAdapter,
    ValidationError,
)
from slack_bolt.request.internals import parse_body

_Ref = str | dict[str, Any]
# a Slack conversation ID: public or private channel, DM, group DM
ConversationId = Annotated[str, StringConstraints(pattern=r"^[CDG][A-Z0-9]{2,40}$")]
# a Slack user ID (W: an Enterprise Grid user)
UserId = Annotated[str, StringConstraints(pattern=r"^[UW][A-Z0-9]{2,40}$")]


class _Shape(BaseModel):
    """Bolt builds its context from these wherever they stand, assuming these types."""

    model_config = ConfigDict(extra="allow")

    enterprise: _Ref | None = None
    team: _Ref | None = None
    user: _Ref | None = None
    channel: _Ref | None = None
    authorizations: list[dict[str, Any]] | None = None
    event: dict[str, Any] | None = None
    message: dict[str, Any] | None = None
    previous_message: dict[str, Any] | None = None
    item: dict[str, Any] | None = None
    assistant_thread: dict[str, Any] | None = None


class _User(_Shape):
    id: UserId


class _State(_Shape):
    values: dict[str, dict[str, dict[str, Any]]] = {}


class _View(_Shape):
    id: str
    type: str
    callback_id: str
    private_metadata: str = ""
    state: _State = _State()


class _Action(_Shape):
    action_id: str
    block_id: str = ""
    value: str | None = None


class _Function(_Shape):
    callback_id: str = ""


class _Event(_Shape):
    type: str
    text: str = ""
    ts: str | None = None
    thread_ts: str | None = None
    files: list[dict[str, Any]] = []  # a voice clip or a shared file
    tokens: dict[str, list[str]] | None = None  # tokens_revoked: whose, by kind
    function: _Function | None = None  # function_executed: the step; its inputs are read
    function_execution_id: str | None = None  # by the step's listener (bot/slack/steps.py)
    bot_access_token: str | None = None


class Command(_Shape):
    command: str
    text: str = ""
    user_id: UserId
    trigger_id: str
    channel_id: ConversationId


class _ViewSubmission(_Shape):
    type: Literal["view_submission", "view_closed"]
    user: _User
    view: _View


class _Channel(_Shape):
    id: ConversationId


class _BlockActions(_Shape):
    type: Literal["block_actions"]
    user: _User
    trigger_id: str
    channel: _Channel | None = None  # a button in a message; none in a modal
    container: dict[str, Any] | None = None
    actions: Annotated[list[_Action], Field(min_length=1)]


class _BlockSuggestion(_Shape):
    type: Literal["block_suggestion"]
    user: _User
    action_id: str
    block_id: str
    value: str = ""
    view: _View | None = None


class _Message(_Shape):
    text: str = ""


class _GlobalShortcut(_Shape):
    type: Literal["shortcut"]
    callback_id: str
    trigger_id: str
    user: _User


class _MessageShortcut(_GlobalShortcut):
    type: Literal["message_action"]
    channel: _Channel
    message: _Message = _Message()


class _EventCallback(_Shape):
    type: Literal["event_callback"]
    event: _Event


class _UrlVerification(_Shape):
    type: Literal["url_verification"]
    challenge: str


_PAYLOAD: TypeAdapter[Any] = TypeAdapter(
    Annotated[
        _ViewSubmission
        | _BlockActions
        | _BlockSuggestion
        | _GlobalShortcut
        | _MessageShortcut
        | _EventCallback
        | _UrlVerification,
        Field(discriminator="type"),
    ]
)
_COMMAND = TypeAdapter(Command)


_PERSON_IN: TypeAdapter[tuple[str, str]] = TypeAdapter(tuple[UserId, ConversationId])


def from_person(user: object, channel: object) -> tuple[str, str] | None:
    """(user, channel) when they are a user ID and a conversation ID as Slack writes them:
    an event that has them was written by a person in a conversation (events come in many
    shapes; this is checked where a listener needs both); None otherwise."""
    try:
        return _PERSON_IN.validate_python((user, channel))
    except ValidationError:
        return None


def channel_of(body: dict[str, Any]) -> str | None:
    """The conversation an action was taken in; None where it has none (the App Home). Its
    shape was checked at the door."""
    return (body.get("channel") or {}).get("id")


def problem(body: bytes, content_type: str | None) -> str | None:
    """What makes this body no Slack request releasebot takes; None when it is one."""
    try:
        data = parse_body(body.decode(), content_type)  # Bolt's own reading of it
    except (UnicodeDecodeError, ValueError, RecursionError) as error:  # not UTF-8, not JSON
        return f"the body does not parse ({type(error).__name__})"
    if not isinstance(data, dict):
        return "the payload is not a JSON object"
    if "ssl_check" in data:  # Slack checking the certificate of a slash command's URL
        return None
    try:
        (_COMMAND if "command" in data else _PAYLOAD).validate_python(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "the payload"
        return f"{where}: {first['msg']}"
    return None
