"""Printing a release's papers through the outbox: plan, submit to CUPS, follow the job.

Exactly once across replicas and restarts: a job row is held by one sender at a time
(the outbox lease), and a row claimed again after a crash (attempts > 1) first asks CUPS
for a job of its queue sent under its key before it submits. A printer that is stopped,
not accepting jobs or unreachable only delays the job (the thread is told once); a queue
CUPS does not have, or a job CUPS aborted, is told once and not tried again.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from slack_sdk import WebClient

from bot.cups import Cups, JobState, NoSuchQueue, PrintRefused, Unreachable, document_name
from bot.delivery import kinds
from bot.delivery.dispatcher import NotReady, Sent, Undeliverable
from bot.delivery.posted import post_once
from bot.slack.blocks import printing as say
from config.settings import PrintQueue
from domain.outbox import Claimed, Outgoing
from domain.printing import print_jobs
from domain.release_messages import summary_key
from domain.runtime import Runtime
from domain.services.papers import PaperRefused, Papers
from domain.services.results import ReleaseResults
from domain.statuses import OutboxStatus, PaperKind
from reports.service import render_for_printer

LOOK_AGAIN = timedelta(milliseconds=500)
# a job CUPS has is looked at this often while its printer works, for this long
FOLLOW = timedelta(seconds=1)
FOLLOW_CLOSELY = timedelta(minutes=2)


def _notes(message: Claimed, what: str, text: str) -> list[Outgoing]:
    """A line for the release's thread, when the job came from a release in Slack."""
    payload = message.payload
    if not payload.get("channel") or payload.get("release_id") is None:
        return []
    key = payload.get("job_key", message.dedupe_key)
    return [kinds.print_note(key, what, payload["release_id"], text)]


class PrintPlanSender:
    """Once the release is over: which of its papers go to which queue, one job row each."""

    def __init__(
        self,
        results: ReleaseResults,
        papers: Papers,
        queues: Mapping[str, PrintQueue],
        interrupted_after: timedelta,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._results = results
        self._papers = papers
        self._queues = queues
        self._interrupted_after = interrupted_after
        self._clock = clock

    def send(self, message: Claimed) -> Sent | NotReady:
        payload = message.payload
        release_id = payload["release_id"]
        record = self._results.record(release_id)
        if record is None:
            raise LookupError(f"release {release_id} is not in the database")
        over = record.has_result_for(payload["orders"])
        if not over and self._clock() - message.created_at < self._interrupted_after:
            return NotReady(LOOK_AGAIN)
        places = self._papers.places([order.number for order in record.released])
        chosen, printer = payload.get("queues"), payload.get("printer")
        jobs = print_jobs(self._queues, record.papers, places, chosen, printer)
        return Sent(
            {"jobs": [f"{job.kind.value}@{job.queue}" for job in jobs]},
            [
                kinds.print_job(
                    message.dedupe_key, job, record.number, release_id, payload["channel"]
                )
                for job in jobs
            ],
        )

    def gave_up(self, message: Claimed, error: str) -> list[Outgoing]:
        return []


class PrintSender:
    """Submits one job row's paper to its CUPS queue."""

    def __init__(
        self,
        papers: Papers,
        cups: Cups,
        retry: timedelta,
        paper_size: str = "A4",
    ) -> None:
        self._papers = papers
        self._cups = cups
        self._retry = retry
        self._paper_size = paper_size

    def send(self, message: Claimed) -> Sent | NotReady:
        payload = message.payload
        queue, kind = payload["queue"], PaperKind(payload["kind"])
        name = document_name(message.dedupe_key)
        try:
            if message.attempts > 1:  # an earlier attempt may have got it to CUPS, then died
                earlier = self._cups.find(queue, name)
                if earlier is not None:
                    return self._accepted(message, earlier, found=True)
            reason = self._cups.status(queue).waiting_reason
        except NoSuchQueue as error:
            raise Undeliverable(f"CUPS has no queue {queue!r} ({error})") from error
        except Unreachable as error:
            reason = f"printer unreachable ({error})"
        if reason:
            return NotReady(
                self._retry, _notes(message, "waiting", say.waiting(kind, queue, reason))
            )
        with tempfile.TemporaryDirectory(prefix="releasebot-print-") as out_dir:
            try:
                rendered = render_for_printer(
                    self._papers,
                    payload["orders"],
                    kind,
                    payload["label"],
                    Path(out_dir),
                    self._paper_size,
                    payload.get("warehouses"),
                )
            except PaperRefused as error:
                raise Undeliverable(str(error)) from error
            pdf = rendered.rename(Path(out_dir) / name)
            try:
                job_id = self._cups.submit(queue, pdf, f"{rendered.name} {message.dedupe_key}")
            except (NoSuchQueue, PrintRefused) as error:
                raise Undeliverable(f"CUPS refused the job for {queue}: {error}") from error
        return self._accepted(message, job_id)

    def _accepted(self, message: Claimed, job_id: int, found: bool = False) -> Sent:
        result: dict[str, Any] = {"queue": message.payload["queue"], "job_id": job_id}
        if found:
            result["found"] = True
        follow = [kinds.print_watch(message.dedupe_key, message.payload, job_id)]
        return Sent(result, follow if message.payload.get("channel") else [])

    def gave_up(self, message: Claimed, error: str) -> list[Outgoing]:
        kind = PaperKind(message.payload["kind"])
        return _notes(message, "failed", say.failed(kind, message.payload["queue"], error))


class PrintWatchSender:
    """Follows a job CUPS has until it printed or failed, and says which in the thread."""

    def __init__(self, cups: Cups, retry: timedelta) -> None:
        self._cups = cups
        self._retry = retry

    def send(self, message: Claimed) -> Sent | NotReady:
        payload = message.payload
        queue, kind = payload["queue"], PaperKind(payload["kind"])
        try:
            job = self._cups.job(payload["job_id"])
        except Unreachable:
            return NotReady(self._retry)
        if job is None:
            return Sent({"state": "unknown to CUPS"})
        if job.state is JobState.PRINTED:
            return Sent(
                {"state": job.state.value}, _notes(message, "printed", say.printed(kind, queue))
            )
        if job.state is JobState.FAILED:
            text = say.failed(kind, queue, job.reason)
            return Sent(
                {"state": job.state.value, "reason": job.reason}, _notes(message, "failed", text)
            )
        reason = self._cups.status(queue).waiting_reason
        if reason:
            return NotReady(
                self._retry, _notes(message, "waiting", say.waiting(kind, queue, reason))
            )
        # a job that prints is looked at every second; one CUPS holds longer, less often
        recent = datetime.now(UTC) - message.created_at < FOLLOW_CLOSELY
        return NotReady(FOLLOW if recent else self._retry)

    def gave_up(self, message: Claimed, error: str) -> list[Outgoing]:
        return []


class PrintNoteSender:
    """A line in the release's thread, once its result message is there."""

    def __init__(self, results: ReleaseResults, client: WebClient) -> None:
        self._results = results
        self._client = client

    def send(self, message: Claimed) -> Sent | NotReady:
        summary = self._results.message(summary_key(message.payload["release_id"]))
        if summary is None or summary.status is OutboxStatus.FAILED:
            return Sent({"skipped": "the release has no result message"})
        posted = summary.posted
        if posted is None:
            return NotReady(LOOK_AGAIN)
        channel, ts = post_once(
            self._client,
            message,
            message.payload["text"],
            channel=posted["channel"],
            thread_ts=posted["ts"],
        )
        return Sent({"channel": channel, "ts": ts})

    def gave_up(self, message: Claimed, error: str) -> list[Outgoing]:
        return []


def printing_senders(
    runtime: Runtime,
) -> dict[str, PrintPlanSender | PrintSender | PrintWatchSender]:
    """The senders that reach CUPS (the thread's notes need Slack: `PrintNoteSender`)."""
    settings, papers = runtime.settings, runtime.papers
    cups = Cups(settings.printing.server)
    retry = timedelta(seconds=settings.printing.retry_seconds)
    return {
        kinds.PRINT_PLAN: PrintPlanSender(
            runtime.results,
            papers,
            settings.printing.queues,
            timedelta(seconds=settings.release_interrupted_after_seconds),
        ),
        kinds.PRINT: PrintSender(papers, cups, retry, settings.paper_size),
        kinds.PRINT_WATCH: PrintWatchSender(cups, retry),
    }
