"""Which installation a Web API call outside a request uses.

Installed in several workspaces (bot/slack/installations.py), the services' one client has no
token of its own: it takes, call by call, the bot token of the workspace being acted for.
That workspace is set once where work starts: by a Bolt middleware for a request (and
carried into the listener's thread and the release worker's), by the dispatcher from the
outbox row it sends, by the digest poster from the subscription. Messages queued while
acting for a workspace carry it (bot/delivery/kinds.py), so what they lead to - a retry, a
note after giving up - goes to the same workspace. In single-token mode nothing changes:
SLACK_BOT_TOKEN is every call's token.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from contextvars import ContextVar, copy_context
from dataclasses import dataclass, field
from typing import Any

from slack_bolt import BoltContext, BoltResponse
from slack_bolt.request.internals import extract_team_id

from bot.slack.metrics import CountedWebClient


@dataclass(frozen=True)
class Workspace:
    """A workspace, or (`team_id` None) an Enterprise Grid org installed org-wide: the
    installation whose token is used."""

    enterprise_id: str | None
    team_id: str | None
    # installed org-wide, the org's workspace a request came from: not part of which
    # installation it is, but of which sites may be released there
    request_team: str | None = field(default=None, compare=False)

    @property
    def org_wide(self) -> bool:
        return self.team_id is None and self.enterprise_id is not None

    @property
    def team(self) -> str | None:
        """The workspace acted in (installed org-wide, the one the request came from)."""
        return self.team_id or self.request_team


def stored(workspace: Workspace | None) -> tuple[str | None, str | None]:
    """A workspace as rows store it, (enterprise ID, team ID); (None, None) for none."""
    return (workspace.enterprise_id, workspace.team_id) if workspace else (None, None)


_acting_for: ContextVar[Workspace | None] = ContextVar("acting_for", default=None)


def current() -> Workspace | None:
    """The workspace being acted for; None outside any (the CLI, single-token mode)."""
    return _acting_for.get()


@contextmanager
def acting_for(workspace: Workspace | None) -> Iterator[None]:
    reset = _acting_for.set(workspace)
    try:
        yield
    finally:
        _acting_for.reset(reset)


def of_request(context: BoltContext, body: dict[str, Any]) -> Workspace:
    """The installation a request was authorised with: the org for an org-wide install,
    with the org's workspace the request came from (which an event's authorization does
    not name, its envelope does)."""
    if context.is_enterprise_install:
        envelope = {key: value for key, value in body.items() if key != "authorizations"}
        return Workspace(context.enterprise_id, None, request_team=extract_team_id(envelope))
    return Workspace(context.enterprise_id, context.team_id)


def act_for_request(
    context: BoltContext, body: dict[str, Any], next: Callable[[], BoltResponse]
) -> BoltResponse:
    """Bolt middleware: the request's workspace for the rest of its dispatch. Bolt runs the
    listeners after the middleware has returned, so this sets without resetting: each
    dispatch runs in a context of its own (Starlette's thread pool copies one per call) and
    sets it anew."""
    _acting_for.set(of_request(context, body))
    return next()


class CarryingExecutor(ThreadPoolExecutor):
    """A thread pool whose tasks run in the context of the code that submitted them (the
    workspace acted for), as a plain pool's do not."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        return super().submit(copy_context().run, fn, *args, **kwargs)


Tokens = Callable[[Workspace], str | None]  # a workspace's bot token; None: not installed


class InstalledClient(CountedWebClient):
    """The services' client when installed in several workspaces: each call's token is
    the bot token of the workspace acted for (none outside any, which Slack refuses)."""

    def __init__(self, tokens: Tokens, **kwargs: Any) -> None:
        self._tokens = tokens
        super().__init__(**kwargs)

    @property
    def token(self) -> str | None:
        workspace = current()
        return self._tokens(workspace) if workspace is not None else None

    @token.setter
    def token(self, _: str | None) -> None:
        """WebClient sets its token at construction; this one has none of its own."""
