"""`releasebot digest`: the digest of the orders waiting for release, printed or posted."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from bot.bootstrap import make_client
from bot.cli.common import console, err_console, fail, print_json, runtime
from bot.cli.orders import when
from bot.cli.teams import TeamOption, installed_workspace, named_team
from bot.delivery import kinds
from bot.delivery.dispatcher import Dispatcher
from bot.delivery.notice import NoticeSender
from bot.digests.poster import workspace_of
from bot.slack.blocks.digest import digest_message
from bot.slack.workspaces import acting_for
from domain.clock import utc_now
from domain.digests.content import Digest
from domain.digests.spec import DEFAULT_HORIZON, SpecError, parse_horizon
from domain.digests.subscriptions import Subscription, horizon_text
from domain.runtime import Runtime
from domain.types import written_quantity

SEND_ATTEMPTS = 3


def register(app: typer.Typer) -> None:
    @app.command("digest")
    def digest_command(
        channel: Annotated[
            str | None,
            typer.Option(help="A Slack channel ID: its digests' horizon, site and time zone."),
        ] = None,
        post: Annotated[
            bool, typer.Option("--post", help="Post it in the channel (needs --channel).")
        ] = False,
        horizon: Annotated[
            str, typer.Option(help="Without --channel: orders starting within, e.g. 2d, 12h.")
        ] = horizon_text(DEFAULT_HORIZON),
        site: Annotated[str | None, typer.Option(help="Without --channel: one site.")] = None,
        as_json: Annotated[bool, typer.Option("--json", help="JSON on stdout.")] = False,
        team: TeamOption = None,
    ) -> None:
        """The orders waiting for release within the horizon, overdue and short ones marked;
        posted in the workspace each digest was asked in (--team: for one asked before the
        install flow, when installed in several)."""
        if post and channel is None:
            fail("--post needs --channel: the channel to post in")
        try:
            span = parse_horizon(horizon)
        except SpecError as error:
            fail(f"--horizon {error}")
        with runtime() as run:
            named_team(run, team)
            now = utc_now()
            if channel is None:
                digests: list[tuple[Subscription | None, Digest]] = [
                    (None, run.digests.waiting(now, span, site))
                ]
            else:
                subscriptions = run.digests.active(channel)
                if not subscriptions:
                    fail(f"{channel} has no digests: `/release digest daily 07:00` there")
                digests = [(s, run.digests.waiting(now, s.horizon, s.site)) for s in subscriptions]
            if as_json:
                print_json([digest for _, digest in digests])
            else:
                for _, digest in digests:
                    print_digest(digest)
            if post:
                for subscription, digest in digests:
                    assert subscription is not None
                    workspace = workspace_of(subscription) or installed_workspace(run, team)
                    with acting_for(workspace):
                        _post(run, subscription, digest)


def print_digest(digest: Digest) -> None:
    where = f" at site {digest.site}" if digest.site else ""
    table = Table(
        title=f"{digest.total:,} orders waiting for release{where}, starting before "
        f"{when(digest.horizon_end)} ({digest.overdue:,} overdue)"
    )
    for column in ("Order", "Site", "Item", "Qty", "Start", "Marks"):
        table.add_column(column)
    for waiting in digest.orders:
        order = waiting.order
        marks = (["overdue"] if waiting.overdue else []) + [
            f"short: {line}" for line in waiting.shortages
        ]
        table.add_row(
            order.number,
            order.site,
            f"{order.item} {order.item_name}",
            written_quantity(order.quantity, order.unit),
            when(order.scheduled_start),
            "; ".join(marks),
        )
    console.print(table)
    if digest.more:
        console.print(f"and {digest.more:,} more (`releasebot orders --status scheduled`)")


def _post(run: Runtime, subscription: Subscription, digest: Digest) -> None:
    """Queue the message in the outbox for the workspace acted for and send it now; what
    Slack does not take now, a running `releasebot serve` sends later."""
    message = digest_message(digest, subscription.timezone, subscription.all_clear)
    if message is None:
        console.print(f"{subscription.channel}: nothing waits; nothing posted")
        return
    outgoing = kinds.digest(
        subscription.id,
        digest.at,
        subscription.channel,
        subscription.created_by,
        message.text,
        message.blocks,
    )
    run.outbox.queue([outgoing])
    dispatcher = Dispatcher(
        run.outbox, {kinds.NOTICE: NoticeSender(make_client(run.settings, run))}
    )
    for _ in range(SEND_ATTEMPTS):
        if not dispatcher.run_once():
            break
    state = run.results.message(outgoing.dedupe_key)
    posted = state.posted if state else None
    if posted:
        console.print(f"posted in {posted['channel']}: {message.text}")
    else:
        err_console.print(
            f"{subscription.channel}: Slack did not take the digest now; it waits in the "
            "outbox and `releasebot serve` posts it"
        )
