"""What the Slack listeners are given: the domain runtime, Slack's client, the directory of
people, the release worker and the outbox dispatcher, started and stopped together."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot.delivery import kinds
from bot.delivery.dispatcher import DEFAULT_BACKOFF, Backoff, Dispatcher
from bot.delivery.notice import NoticeSender
from bot.delivery.papers import PaperRenderer, PaperSender
from bot.delivery.printing import PrintNoteSender, printing_senders
from bot.delivery.result import SummarySender, UndoneSender
from bot.digests.commands import DigestCommands
from bot.digests.poster import DigestPoster
from bot.digests.scheduler import DigestScheduler
from bot.release_jobs import ReleaseWorker
from bot.slack.directory import Directory
from bot.slack.installations import bot_tokens
from bot.slack.metrics import CountedWebClient
from bot.slack.workspaces import InstalledClient
from bot.undo import Undoer
from config import Settings
from domain.erp.sync import ErpSync
from domain.runtime import Runtime


def make_client(settings: Settings, runtime: Runtime | None = None) -> WebClient:
    """Slack's Web API at SLACK_API_URL, retrying connection errors, 429 and 5xx a few times,
    each call counted for /metrics. Installed in several workspaces (with the `runtime` whose
    database holds their installations), each call takes the token of the workspace acted
    for."""
    options: dict[str, Any] = {
        "base_url": settings.slack_api_url.rstrip("/") + "/",
        "timeout": 30,
        "retry_handlers": [
            ConnectionErrorRetryHandler(max_retry_count=2),
            RateLimitErrorRetryHandler(max_retry_count=2),
            ServerErrorRetryHandler(max_retry_count=2),
        ],
    }
    if settings.installs:
        if runtime is None:
            return CountedWebClient(**options)
        return InstalledClient(bot_tokens(runtime), **options)
    token = settings.slack_bot_token
    return CountedWebClient(token=token.get_secret_value() if token else None, **options)


@dataclass
class BotDependencies:
    runtime: Runtime
    client: WebClient
    directory: Directory
    worker: ReleaseWorker
    dispatcher: Dispatcher
    scheduler: DigestScheduler
    digests: DigestCommands
    undo: Undoer
    erp_sync: ErpSync | None = None  # the read copy of a remote ERP's orders, kept fresh

    def start(self) -> None:
        self.scheduler.start()
        self.dispatcher.start()
        if self.erp_sync is not None:
            self.erp_sync.start()

    def stop(self) -> None:
        """Finish the releases under way, then stop sending (the rest waits in the outbox)."""
        self.worker.shutdown()
        if self.erp_sync is not None:
            self.erp_sync.stop()
        self.scheduler.stop()
        self.dispatcher.stop()


def build_services(
    runtime: Runtime,
    client: WebClient,
    render: PaperRenderer,
    backoff: Backoff = DEFAULT_BACKOFF,
) -> BotDependencies:
    settings = runtime.settings
    directory = Directory(client, settings.release_permissions)
    dispatcher = Dispatcher(
        runtime.outbox_holding(kinds.SLACK),
        {
            kinds.SUMMARY: SummarySender(
                runtime.results,
                client,
                timedelta(seconds=settings.release_interrupted_after_seconds),
            ),
            kinds.PAPER: PaperSender(client, render),
            kinds.NOTICE: NoticeSender(client),
            kinds.UNDONE: UndoneSender(runtime.results, client),
            **printing_senders(runtime),
            kinds.PRINT_NOTE: PrintNoteSender(runtime.results, client),
        },
        backoff,
    )
    worker = ReleaseWorker(runtime, client, directory, dispatcher.wake)
    scheduler = DigestScheduler(
        runtime.digests,
        DigestPoster(runtime.digests, dispatcher.wake),
        resync=timedelta(seconds=settings.digest_resync_seconds),
    )
    digests = DigestCommands(runtime.digests, directory, scheduler.sync)
    undo = Undoer(runtime, directory)
    return BotDependencies(
        runtime, client, directory, worker, dispatcher, scheduler, digests, undo, runtime.erp_sync
    )
