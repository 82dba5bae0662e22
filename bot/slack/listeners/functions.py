"""Workflow Builder custom steps (Bolt's `app.function`): *Release orders* and *Orders
awaiting release*. Inputs are read with the models in bot/slack/steps.py, which the manifest's
`functions` must match.

*Release orders* reads its orders and papers as `/release` reads its text, checks that the
person running the workflow may release at all, and hands the release to the worker; the
worker completes the step when the release is over, with the execution's own token. The
execution id is the release's idempotency key: a step delivered twice releases once.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from slack_bolt import App, BoltContext, Complete, Fail

from bot.bootstrap import BotDependencies
from bot.conversation.commands import ReleaseOrders
from bot.conversation.parser import parse
from bot.release_jobs import ReleaseJob
from bot.slack.blocks.digest import digest_message
from bot.slack.directory import NO_SITES
from bot.slack.listeners.commands.release import MAX_COMMAND_TOKENS
from bot.slack.steps import (
    MAX_LISTED,
    ORDERS_AWAITING,
    RELEASE_ORDERS,
    AwaitingInputs,
    AwaitingOutputs,
    ReleaseInputs,
    StepExecution,
)
from domain.clock import utc_now
from domain.digests.spec import DEFAULT_HORIZON, SpecError, parse_horizon

Inputs = TypeVar("Inputs", bound=BaseModel)
UNREADABLE = (
    "I could not read `{text}`: name the orders as in `/release`, like `P000123 124`, "
    "and the papers like `route card, picking list`."
)


def _read(model: type[Inputs], inputs: Any, fail: Fail) -> Inputs | None:
    """The step's inputs, or None after telling the workflow what is wrong with them."""
    try:
        return model.model_validate(inputs or {})
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "inputs"
        fail(f"The step's input {where} is not usable: {first['msg']}")
        return None


def release_orders(
    inputs: dict[str, Any], context: BoltContext, fail: Fail, services: BotDependencies
) -> None:
    wanted = _read(ReleaseInputs, inputs, fail)
    if wanted is None:
        return
    text = wanted.orders + (f" with {wanted.papers}" if wanted.papers.strip() else "")
    heard = parse(text, implied="release", max_tokens=MAX_COMMAND_TOKENS)
    if not isinstance(heard, ReleaseOrders):
        fail(UNREADABLE.format(text=text))
        return
    user = wanted.user.id
    sites = services.directory.sites(user)
    if sites is not None and not sites:
        fail(NO_SITES)
        return
    execution = str(context.function_execution_id)
    services.worker.submit(
        ReleaseJob(
            orders=list(heard.orders),
            papers=heard.papers,
            channel=wanted.channel,
            user_id=user,
            idempotency_key=f"slack:step:{execution}",
            step=StepExecution(execution, str(context.function_bot_access_token)),
        )
    )


def orders_awaiting(
    inputs: dict[str, Any], complete: Complete, fail: Fail, services: BotDependencies
) -> None:
    wanted = _read(AwaitingInputs, inputs, fail)
    if wanted is None:
        return
    try:
        horizon = parse_horizon(wanted.horizon.strip()) if wanted.horizon else DEFAULT_HORIZON
    except SpecError as error:
        fail(f"horizon {error}")
        return
    site = (wanted.site or "").strip() or None
    digest = services.runtime.digests.waiting(utc_now(), horizon, site, MAX_LISTED)
    summary = digest_message(digest, "UTC", all_clear=True)
    assert summary is not None  # all_clear: there is always a line
    outputs = AwaitingOutputs(
        count=digest.total,
        order_numbers=[waiting.order.number for waiting in digest.orders],
        summary=summary.text,
    )
    complete(outputs=outputs.model_dump(mode="json"))


def register(app: App) -> None:
    app.function(RELEASE_ORDERS)(release_orders)
    app.function(ORDERS_AWAITING)(orders_awaiting)
