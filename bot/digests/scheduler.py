"""APScheduler runs the digests: one job per active subscription, built from the table.

Jobs are rebuilt at start-up, at once after a change made here, and every `resync`
from the table, which is how a subscription made on another replica gets here. Every
replica fires every slot; the slot's claim in the database lets one of them post.

The resync runs in a thread of its own, not as an APScheduler job: a job that adds or
removes jobs while the scheduler shuts down (which holds its job store lock while it
waits for running jobs) would deadlock the shutdown.
"""

from __future__ import annotations

import logging
import threading
from datetime import UTC, timedelta

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler

from bot.digests.poster import DigestPoster
from domain.clock import Clock, utc_now
from domain.digests.slots import GRACE, latest_slot
from domain.digests.subscriptions import Subscription
from domain.services.digests import Digests

log = logging.getLogger(__name__)

RESYNC = timedelta(seconds=30)
JOB_PREFIX = "digest:"


class DigestScheduler:
    def __init__(
        self,
        digests: Digests,
        poster: DigestPoster,
        clock: Clock = utc_now,
        resync: timedelta = RESYNC,
        scheduler: BaseScheduler | None = None,
    ) -> None:
        self._digests = digests
        self._poster = poster
        self._clock = clock
        self._resync = resync
        self._scheduler = scheduler or BackgroundScheduler(
            timezone=UTC,
            job_defaults={
                "coalesce": True,
                "max_instances": 1,
                "misfire_grace_time": int(GRACE.total_seconds()),
            },
        )
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._resyncer: threading.Thread | None = None

    def start(self) -> None:
        self._scheduler.start()
        self.sync()
        self._resyncer = threading.Thread(target=self._resync_loop, name="digest-resync")
        self._resyncer.daemon = True
        self._resyncer.start()

    def stop(self) -> None:
        """Stop resyncing, then let the digests under way finish."""
        self._stopping.set()
        if self._resyncer is not None:
            self._resyncer.join()
        with self._lock:
            if self._scheduler.running:
                self._scheduler.shutdown(wait=True)

    def _resync_loop(self) -> None:
        while not self._stopping.wait(self._resync.total_seconds()):
            self.sync()

    def sync(self) -> None:
        """Make the jobs those of the active subscriptions in the table."""
        try:
            wanted = {f"{JOB_PREFIX}{s.id}": s for s in self._digests.active()}
        except Exception:  # the database is away: keep the jobs we have, look again later
            log.exception("digest subscriptions could not be read")
            return
        with self._lock:
            if not self._scheduler.running:  # stopped: nothing to keep in step
                return
            have = {job.id for job in self._scheduler.get_jobs() if job.id.startswith(JOB_PREFIX)}
            for job_id in have - wanted.keys():
                self._scheduler.remove_job(job_id)
            for job_id in wanted.keys() - have:
                subscription = wanted[job_id]
                self._scheduler.add_job(
                    self.fire,
                    subscription.schedule.trigger(subscription.timezone),
                    args=[subscription],
                    id=job_id,
                )

    def job_ids(self) -> set[str]:
        return {job.id for job in self._scheduler.get_jobs() if job.id.startswith(JOB_PREFIX)}

    def fire(self, subscription: Subscription) -> None:
        """The job: post the digest of the slot that is due now (if no replica has)."""
        slot = latest_slot(subscription.schedule.trigger(subscription.timezone), self._clock())
        if slot is None:
            return
        try:
            self._poster.post(subscription, slot)
        except Exception:
            log.exception("digest %s of %s failed; the next slot comes", subscription.id, slot)
