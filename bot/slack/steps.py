"""Workflow Builder custom steps: what each step reads and writes, declared once.

The manifest's `functions` must name the same parameters with the same Slack types; a test
compares them with these models, which are also what the listeners read the inputs with and
write the outputs from (tests/e2e/slack/test_workflow_steps.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field
from pydantic.fields import FieldInfo
from slack_sdk import WebClient

from bot.slack.envelope import ConversationId, UserId
from domain.model import numbered
from domain.services.release import ReleaseReport

RELEASE_ORDERS = "release_orders"  # callback ids, as in manifest.yml
ORDERS_AWAITING = "orders_awaiting_release"
MAX_LISTED = 100  # order numbers in an output: the most urgent ones


def slack(kind: str) -> FieldInfo:
    """The Slack type of a step's parameter, as the manifest writes it."""
    return Field(json_schema_extra={"slack_type": kind})


def slack_type(info: FieldInfo) -> str | None:
    extra = info.json_schema_extra
    return str(extra["slack_type"]) if isinstance(extra, dict) else None


class _Parameters(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class UserContext(BaseModel):
    """`slack#/types/user_context`: the person running the workflow, set by Slack (a builder
    cannot type it), so release rights apply to them."""

    id: UserId
    secret: str | None = None


class ReleaseInputs(_Parameters):
    orders: Annotated[str, slack("string")]
    papers: Annotated[str, slack("string")] = ""
    channel: Annotated[ConversationId, slack("slack#/types/channel_id")]
    user: Annotated[UserContext, slack("slack#/types/user_context")]


class ReleaseOutputs(_Parameters):
    release_number: Annotated[str, slack("string")]
    released_orders: Annotated[list[str], slack("array")]
    refused_orders: Annotated[list[str], slack("array")]  # "P000123: why"


class AwaitingInputs(_Parameters):
    site: Annotated[str | None, slack("string")] = None
    horizon: Annotated[str | None, slack("string")] = None  # 2d, 12h; default 1d


class AwaitingOutputs(_Parameters):
    count: Annotated[int, slack("integer")]
    order_numbers: Annotated[list[str], slack("array")]
    summary: Annotated[str, slack("string")]


# every step: its inputs and outputs
STEPS: dict[str, tuple[type[_Parameters], type[_Parameters]]] = {
    RELEASE_ORDERS: (ReleaseInputs, ReleaseOutputs),
    ORDERS_AWAITING: (AwaitingInputs, AwaitingOutputs),
}


@dataclass(frozen=True)
class StepExecution:
    """A running step a release completes when it is over, with the execution's own token
    (valid while it runs; kept in memory only, never logged)."""

    execution_id: str
    token: str = field(repr=False)


def release_outcome(report: ReleaseReport) -> ReleaseOutputs | str:
    """What the step answers: its outputs when any order was released, else why none was."""
    refused = [f"{r.order_number}: {r.reason}" for r in report.results if not r.released]
    released = [r.order_number for r in report.results if r.released]
    if not released:
        return "Nothing was released. " + "; ".join(refused)
    return ReleaseOutputs(
        release_number=numbered("R", report.release_id),
        released_orders=released,
        refused_orders=refused,
    )


def complete(client: WebClient, step: StepExecution, outcome: BaseModel | str) -> None:
    """`functions.completeSuccess` with the outputs, or `completeError` with the reason, with
    the execution's token."""
    as_step = WebClient(
        token=step.token,
        base_url=client.base_url,
        timeout=client.timeout,
        retry_handlers=list(client.retry_handlers or []),
    )
    if isinstance(outcome, str):
        as_step.functions_completeError(function_execution_id=step.execution_id, error=outcome)
    else:
        outputs: dict[str, Any] = outcome.model_dump(mode="json")
        as_step.functions_completeSuccess(function_execution_id=step.execution_id, outputs=outputs)
