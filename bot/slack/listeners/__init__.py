"""Slack listeners, one package per kind, as in Bolt's starter app: each kind has
`register(app)` and its callbacks are module-level functions, so that tests call them
with fakes of `ack`, `respond` and `client`.

What a callback needs besides the request (the use cases, the worker, the directory) is
one `BotDependencies`, which a global middleware puts in Bolt's context under `services`:
Bolt passes every context key to a listener argument of that name (its kwargs
injection), so a callback asks for it by naming a parameter `services`.
"""

from __future__ import annotations

from collections.abc import Callable

from slack_bolt import App, BoltContext, BoltResponse

from bot.bootstrap import BotDependencies
from bot.slack.listeners import (
    actions,
    commands,
    errors,
    events,
    functions,
    options,
    shortcuts,
    views,
)

SERVICES = "services"  # the context key, and so the callbacks' parameter name

Middleware = Callable[[BoltContext, Callable[[], BoltResponse]], BoltResponse]


def providing(services: BotDependencies) -> Middleware:
    """The middleware that hands `services` to every listener of the request."""

    def provide(context: BoltContext, next: Callable[[], BoltResponse]) -> BoltResponse:
        context[SERVICES] = services
        return next()

    return provide


def register_all(app: App, services: BotDependencies) -> None:
    app.use(providing(services))
    for kind in (errors, commands, shortcuts, views, actions, options, events, functions):
        kind.register(app)
