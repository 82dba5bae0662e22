"""The voice bench counts a question as offering the command said only when one tap gives it."""

from __future__ import annotations

from bench.voice import offered
from bot.conversation.commands import Digest, NotUnderstood, ReleaseOrders, ShowOrder
from bot.conversation.voice import Readings
from domain.statuses import PaperKind
from tests.voice_clips import Sample, Voice

ROUTE = frozenset({PaperKind.ROUTE_CARD})


def said(expected: ReleaseOrders | Digest) -> Sample:
    return Sample("release", expected, "plain", "pairs", Voice("en-us", 160), "wav", None, "tuned")


def test_readings_offer_the_command_when_one_button_is_it() -> None:
    sample = said(ReleaseOrders(("P000254",), ROUTE))
    right = ReleaseOrders(("P000254",), ROUTE)
    assert offered(sample, Readings((ReleaseOrders(("P000214",), ROUTE), right)))
    assert not offered(sample, Readings((ReleaseOrders(("P000214",), ROUTE),)))
    assert not offered(sample, Readings((ReleaseOrders(("P000254",)), ShowOrder("P000254"))))
    digest = said(Digest("daily 08:30"))
    assert offered(digest, Readings((Digest("daily 10:30"), Digest("daily 08:30"))))


def test_a_number_that_fits_several_orders_offers_them() -> None:
    sample = said(ReleaseOrders(("P000254",), ROUTE))
    # "54" ends P000254, P000354 and P001354 in the bench's plant: a question of candidates
    assert offered(sample, ReleaseOrders(("54",), ROUTE))
    assert not offered(sample, ReleaseOrders(("54",)))  # the papers are wrong
    assert not offered(sample, ReleaseOrders(("P000254",), ROUTE))  # no question: exact
    assert not offered(sample, NotUnderstood("release"))
