"""Releases confirmed in Slack run here, off the request thread, after Slack got its ack.

The release's header transaction also queues the result message in the outbox (the
domain's handler of its ReleaseOpened event), so the message cannot be lost once the
release exists, and a repeated request (the same idempotency key) releases nothing.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass

from pydantic import BaseModel
from slack_sdk import WebClient
from slack_sdk.errors import SlackClientError

from bot.slack import metrics
from bot.slack.directory import Directory
from bot.slack.steps import StepExecution, complete, release_outcome
from bot.slack.workspaces import CarryingExecutor, current, stored
from domain.events import PrintAt
from domain.rules import normalize_order_number
from domain.runtime import Runtime
from domain.services.release import AlreadyRequested, ReleaseRequest
from domain.statuses import PaperKind

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReleaseJob:
    """A confirmed release: what, with which papers, who, where to report, and its key."""

    orders: list[str]
    papers: frozenset[PaperKind]
    channel: str
    user_id: str
    idempotency_key: str
    # the queues ticked under "Print at" (empty: none); None when none were offered
    printers: Sequence[str] | None = None
    # a Workflow Builder step waiting for this release: completed when it is over
    step: StepExecution | None = None


class ReleaseWorker:
    def __init__(
        self,
        runtime: Runtime,
        client: WebClient,
        directory: Directory,
        queued: Callable[[], None],
        threads: int = 2,
    ) -> None:
        self._runtime = runtime
        self._client = client
        self._directory = directory
        self._queued = queued
        # a release runs for the workspace it was asked from (its lookups and messages)
        self._pool = CarryingExecutor(max_workers=threads, thread_name_prefix="release")
        self._stopping = threading.Event()

    def submit(self, job: ReleaseJob) -> Future[None]:
        return self._pool.submit(self.run, job)

    def stop_releasing(self) -> None:
        """The process is asked to stop: each release finishes the batch under way and
        records the rest as not processed (returns at once; `shutdown` waits)."""
        self._stopping.set()

    def shutdown(self) -> None:
        """Stop releasing, and wait for the batches under way and for the releases queued
        to record their orders as not processed, so that every result can be posted."""
        self.stop_releasing()
        self._pool.shutdown(wait=True)

    def run(self, job: ReleaseJob) -> None:
        """The person's name and sites are looked up here, not in Slack's 3 seconds."""
        orders = list(dict.fromkeys(normalize_order_number(n) for n in job.orders))

        try:
            request = ReleaseRequest(
                order_numbers=orders,
                requested_by=self._directory.name(job.user_id),
                source=f"slack:{job.channel}",
                papers=job.papers,
                idempotency_key=job.idempotency_key,
                allowed_sites=self._directory.sites(job.user_id),
                requester_id=job.user_id,
                workspace=stored(current()),
                report_in=job.channel,
                print_at=None if job.printers is None else PrintAt(tuple(job.printers)),
                remember_choice=job.step is None,  # a workflow's papers are its builder's
            )
            started = time.monotonic()
            report = self._runtime.releases.release(  # audited there
                request, stopping=self._stopping.is_set
            )
            metrics.released(report, time.monotonic() - started)
        except AlreadyRequested as repeat:  # a repeated step was completed by the first one
            log.info("repeated request ignored: %s", repeat)
        except Exception:
            log.exception("a release requested in Slack could not start")
            text = (
                "Your release could not start: the database did not answer. "
                "Nothing was changed; try again in a moment."
            )
            self._tell(job, text)
            self._complete(job, text)
        else:
            self._complete(job, release_outcome(report))
        finally:
            self._queued()

    def _complete(self, job: ReleaseJob, outcome: BaseModel | str) -> None:
        if job.step is None:
            return
        try:
            complete(self._client, job.step, outcome)
        except SlackClientError as error:
            log.warning("could not complete workflow step %s: %s", job.step.execution_id, error)

    def _tell(self, job: ReleaseJob, text: str) -> None:
        try:
            self._client.chat_postEphemeral(channel=job.channel, user=job.user_id, text=text)
        except SlackClientError as error:
            log.warning("could not tell %s: %s", job.user_id, error)
