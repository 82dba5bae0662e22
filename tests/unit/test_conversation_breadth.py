"""Breadth: how planners and supervisors ask the bot, in words nobody tuned the language to
when it was first written (issue 14). One table per command family, each sentence with the
command it means. Every third sentence of a family was set apart when the table was written,
before the language was widened, and never tuned on: `HELD_OUT` measures what the widening
generalises to; the rest (`DEVELOPMENT`) is what it was widened on."""

from __future__ import annotations

import pytest

from bot.conversation.commands import (
    Command,
    Digest,
    Help,
    Horizon,
    ListWaiting,
    NotUnderstood,
    ReleaseOrders,
    ShowOrder,
    Undo,
)
from bot.conversation.parser import parse
from domain.statuses import PaperKind
from tests.commands import JOB, PICK, ROUTE, ROUTE_JOB
from tests.voice_clips import FLOOR_TALK

TODAY, TOMORROW, THIS_WEEK = Horizon.TODAY, Horizon.TOMORROW, Horizon.THIS_WEEK


def release(*orders: str, papers: set[PaperKind] | None = None) -> ReleaseOrders:
    return ReleaseOrders(orders, frozenset(papers or ()))


TABLE: dict[str, list[tuple[str, Command]]] = {
    "release, asked politely or as an intent": [
        ("could you release 254 please", release("254")),
        ("can you release order 254", release("254")),
        ("would you mind releasing 254", release("254")),
        ("I'd like to release order 254 and 255", release("254", "255")),
        ("I want to release production order 254", release("254")),
        ("please release 254 now", release("254")),
        ("go ahead and release 254", release("254")),
        ("let's release 254 and 255", release("254", "255")),
        ("please release order 254", release("254")),
        ("release 254, thanks", release("254")),
        ("can you please release P000254", release("000254")),
        ("could you kindly release order 254", release("254")),
        ("would you release 254 for me", release("254")),
        ("I'd like 254 released please", release("254")),
        ("we need orders 254 and 255 released", release("254", "255")),
        ("can we release 254", release("254")),
        ("pls release 254", release("254")),
        ("ok, release 254", release("254")),
        ("please go ahead and release order 254", release("254")),
        ("hi, can you release 254 thanks", release("254")),
        ("would you be able to release order 254", release("254")),
        ("I need you to release 254", release("254")),
        ("could I get 254 released", release("254")),
        ("release 254 for me please", release("254")),
        ("hey bot, release 254", release("254")),
        ("would you mind releasing orders 254 and 255 please", release("254", "255")),
        ("I would like to release 254 with the route card", release("254", papers={ROUTE})),
        ("can you go ahead and release 254", release("254")),
        ("let's get 254 released", release("254")),
        ("we need to release order 254", release("254")),
    ],
    "release, the order named": [
        ("release production order 254", release("254")),
        ("release production orders 254 and 255", release("254", "255")),
        ("release the production order 254", release("254")),
        ("release order number 254", release("254")),
        ("release order no. 254", release("254")),
        ("release order #254", release("254")),
        ("release orders 254 and 255", release("254", "255")),
        ("release order 254 and order 255", release("254", "255")),
        ("release the orders 254, 255 and 256", release("254", "255", "256")),
        ("release production order number 254", release("254")),
        ("release order numbers 254 and 255", release("254", "255")),
        ("release P000254", release("000254")),
        ("release p254", release("254")),
        ("release P000254 and P000255", release("000254", "000255")),
        ("release orders P000254, P000255", release("000254", "000255")),
        ("release number 254", release("254")),
        ("release production order P000254", release("000254")),
    ],
    "release, several orders": [
        ("release 254, 255 and 256", release("254", "255", "256")),
        ("release 254, 255, 256", release("254", "255", "256")),
        ("release 254 & 255", release("254", "255")),
        ("release 254 255 256", release("254", "255", "256")),
        (
            "release orders 254, 255 and 256 with the route card",
            release("254", "255", "256", papers={ROUTE}),
        ),
        ("release 254 and 255 and 256", release("254", "255", "256")),
        ("release 254 as well as 255", release("254", "255")),
        ("release 254 plus 255", release("254", "255")),
        ("release 254, 255, and 256", release("254", "255", "256")),
        ("release 254 + 255", release("254", "255")),
    ],
    "release, with papers": [
        ("release 254 and print the route card", release("254", papers={ROUTE})),
        ("release 254 and print me the job cards", release("254", papers={JOB})),
        (
            "release 254 with paperwork: route card and pick list",
            release("254", papers={ROUTE, PICK}),
        ),
        (
            "release 254 with the route card and the picking list",
            release("254", papers={ROUTE, PICK}),
        ),
        (
            "release 254 with route card, pick list and job cards",
            release("254", papers={ROUTE, PICK, JOB}),
        ),
        (
            "release 254 and print route cards and pick lists",
            release("254", papers={ROUTE, PICK}),
        ),
        ("release 254 with job cards please", release("254", papers={JOB})),
        (
            "release 254 with the job card & route card",
            release("254", papers={JOB, ROUTE}),
        ),
        ("release 254, print the pick list", release("254", papers={PICK})),
        ("release 254 and print out the route card", release("254", papers={ROUTE})),
        (
            "release 254 with papers: job card, route job",
            release("254", papers={JOB, ROUTE_JOB}),
        ),
        ("release 254 with the documents: route card", release("254", papers={ROUTE})),
        ("release 254 without paperwork", release("254")),
        ("release 254 with no paperwork", release("254")),
        ("release 254 without printing anything", release("254")),
        ("release 254 no papers please", release("254")),
        ("release 254 and 255 with route cards", release("254", "255", papers={ROUTE})),
        ("release 254 and give me the job cards", release("254", papers={JOB})),
        ("release 254 including the pick list", release("254", papers={PICK})),
        ("release 254 with a picking list", release("254", papers={PICK})),
        ("release 254 along with the job cards", release("254", papers={JOB})),
        ("release 254 and also print the pick list", release("254", papers={PICK})),
        (
            "release 254 and print the route and job cards",
            release("254", papers={ROUTE, JOB}),
        ),
    ],
    "release, numbers read aloud": [
        ("release two five four", release("254")),
        ("release two fifty four", release("254")),
        ("release two fifty-four", release("254")),
        ("release order thirteen oh nine", release("1309")),
        ("release order thirteen hundred and nine", release("1309")),
        ("release order six hundred thirty-one", release("631")),
        ("release order six hundred and thirty one", release("631")),
        ("release order two double five", release("255")),
        ("release order four double two", release("422")),
        ("release order nine hundred", release("900")),
        ("release order one oh one", release("101")),
        ("release order twelve hundred", release("1200")),
        ("release order two thousand and twelve", release("2012")),
        ("release order seventy", release("70")),
        ("release order two five four and two five five", release("254", "255")),
        ("release two fifty four and two fifty five", release("254", "255")),
        ("release order zero zero zero two five four", release("000254")),
        ("release p two five four", release("254")),
        ("release order four oh four", release("404")),
        ("release order ten twenty", release("1020")),
        ("release order one two three four", release("1234")),
        ("release order one thousand two hundred and five", release("1205")),
    ],
    "waiting orders": [
        ("what's waiting", ListWaiting()),
        ("anything waiting?", ListWaiting()),
        ("is anything waiting for release", ListWaiting()),
        ("what needs releasing", ListWaiting()),
        ("what needs to be released today", ListWaiting(None, TODAY)),
        ("which orders are scheduled", ListWaiting()),
        ("what's left to release at site 2 today", ListWaiting("2", TODAY)),
        ("what orders are waiting at site 1", ListWaiting("1")),
        ("show me the waiting orders", ListWaiting()),
        ("list waiting orders for tomorrow", ListWaiting(None, TOMORROW)),
        ("what is scheduled for today", ListWaiting(None, TODAY)),
        ("what's due this week", ListWaiting(None, THIS_WEEK)),
        ("which orders can I release", ListWaiting()),
        ("what can we release today", ListWaiting(None, TODAY)),
        ("any orders waiting for release at site 3?", ListWaiting("3")),
        ("are there any orders waiting", ListWaiting()),
        ("show me what's waiting at site two", ListWaiting("2")),
        ("list the orders waiting for release this week", ListWaiting(None, THIS_WEEK)),
        ("what do we have to release tomorrow", ListWaiting(None, TOMORROW)),
        ("what's pending", ListWaiting()),
        ("show pending orders", ListWaiting()),
        ("which orders still need releasing", ListWaiting()),
        ("what's still to be released", ListWaiting()),
        ("what is ready to release", ListWaiting()),
        ("what's ready for release at site 1", ListWaiting("1")),
        ("list scheduled orders at site 2", ListWaiting("2")),
        ("show me the scheduled orders for this week", ListWaiting(None, THIS_WEEK)),
        ("what's waiting today at site 1", ListWaiting("1", TODAY)),
        ("could you tell me what's waiting for release", ListWaiting()),
        ("what are the waiting orders", ListWaiting()),
        ("what's in the queue", ListWaiting()),
        ("what's left to release", ListWaiting()),
        ("how many orders are waiting", ListWaiting()),
        ("give me the list of waiting orders", ListWaiting()),
        ("orders waiting at site 1", ListWaiting("1")),
        ("waiting orders site 2", ListWaiting("2")),
        ("anything to release today?", ListWaiting(None, TODAY)),
        ("what needs releasing at site 2 this week", ListWaiting("2", THIS_WEEK)),
        ("which production orders are scheduled for tomorrow", ListWaiting(None, TOMORROW)),
    ],
    "show an order": [
        ("show 254", ShowOrder("254")),
        ("show me order 254", ShowOrder("254")),
        ("open order 254", ShowOrder("254")),
        ("pull up order 254", ShowOrder("254")),
        ("look up 254", ShowOrder("254")),
        ("details of order 254", ShowOrder("254")),
        ("details for P000254", ShowOrder("000254")),
        ("show me the details of order 254", ShowOrder("254")),
        ("what's the status of order 254", ShowOrder("254")),
        ("status of 254", ShowOrder("254")),
        ("tell me about order 254", ShowOrder("254")),
        ("can you show me 254", ShowOrder("254")),
        ("could you pull up production order 254", ShowOrder("254")),
        ("info on order 254", ShowOrder("254")),
        ("show order two fifty four", ShowOrder("254")),
        ("open P000254", ShowOrder("000254")),
        ("look up order number 254", ShowOrder("254")),
        ("find order 254", ShowOrder("254")),
        ("check order 254", ShowOrder("254")),
        ("display order 254", ShowOrder("254")),
        ("let me see order 254", ShowOrder("254")),
        ("get me the details on 254", ShowOrder("254")),
        ("show production order P000254", ShowOrder("000254")),
        ("order 254 details", ShowOrder("254")),
    ],
    "undo": [
        ("undo", Undo()),
        ("undo that", Undo()),
        ("undo it", Undo()),
        ("undo the last release", Undo()),
        ("undo my last release", Undo()),
        ("cancel that release", Undo()),
        ("cancel the last release", Undo()),
        ("take that back", Undo()),
        ("revert the last release", Undo()),
        ("revert that", Undo()),
        ("oops, undo that", Undo()),
        ("please undo", Undo()),
        ("can you undo that", Undo()),
        ("roll back the last release", Undo()),
        ("reverse the last release", Undo()),
        ("undo the release", Undo()),
        ("undo last release", Undo()),
        ("sorry, undo that", Undo()),
        ("cancel my last release", Undo()),
        ("undo the last one", Undo()),
        ("take back the last release", Undo()),
        ("revert my last release please", Undo()),
    ],
    "help": [
        ("help", Help()),
        ("help!", Help()),
        ("help please", Help()),
        ("what can you do", Help()),
        ("what can I say", Help()),
        ("how does this work", Help()),
        ("how do I use this", Help()),
        ("what commands do you understand", Help()),
        ("what can I ask you", Help()),
        ("I need help", Help()),
        ("show me the commands", Help()),
        ("what do you do", Help()),
        ("how do I release an order", Help()),
        ("what are the commands", Help()),
        ("can you help me", Help()),
        ("what should I say", Help()),
        ("how do you work", Help()),
        ("what can you help me with", Help()),
    ],
    "digest": [
        ("digest daily at seven", Digest("daily 07:00")),
        ("send me the digest every weekday at 7:30", Digest("weekdays 07:30")),
        ("turn off the digest", Digest("off")),
        ("daily digest at 7", Digest("daily 07:00")),
        ("send the digest every day at 6am", Digest("daily 06:00")),
        ("digest at eight in the morning", Digest("daily 08:00")),
        ("digest at half past seven", Digest("daily 07:30")),
        ("digest weekdays at quarter past six", Digest("weekdays 06:15")),
        ("set the digest for 7:45 on weekdays", Digest("weekdays 07:45")),
        ("schedule a daily digest at 6:30", Digest("daily 06:30")),
        ("I'd like the digest every morning at 7", Digest("daily 07:00")),
        ("send me a digest at seven thirty every weekday", Digest("weekdays 07:30")),
        ("stop the digest", Digest("off")),
        ("no more digests", Digest("off")),
        ("unsubscribe from the digest", Digest("off")),
        ("switch off the digest", Digest("off")),
        ("disable the digest", Digest("off")),
        ("cancel the digest", Digest("off")),
        ("digest off please", Digest("off")),
        ("please send the daily digest at 5pm", Digest("daily 17:00")),
        ("can you send me the digest daily at 7:00", Digest("daily 07:00")),
        ("digest at 7 am on weekdays", Digest("weekdays 07:00")),
        ("turn the digest off", Digest("off")),
        ("give me a digest every day at nine", Digest("daily 09:00")),
        ("digest every weekday at six forty five", Digest("weekdays 06:45")),
        ("digest daily at 07:00", Digest("daily 07:00")),
        ("I want the digest on weekdays at 8", Digest("weekdays 08:00")),
        ("turn on the digest at 7", Digest("daily 07:00")),
        ("set up the digest for every day at 6:00", Digest("daily 06:00")),
    ],
}


def _part(held_out: bool) -> list[tuple[str, str, Command]]:
    """Every third sentence of a family (the third, sixth, …) is held out."""
    return [
        (family, text, command)
        for family, sentences in TABLE.items()
        for at, (text, command) in enumerate(sentences)
        if (at % 3 == 2) is held_out
    ]


DEVELOPMENT = _part(held_out=False)
HELD_OUT = _part(held_out=True)
# held-out sentences the widened language still misses (7 of 75; left so, not tuned on)
HELD_OUT_MISSED = {
    "please release 254 now",
    "would you be able to release order 254",
    "how many orders are waiting",
    "what do you do",
    "what can you help me with",
    "unsubscribe from the digest",
    "cancel the digest",
}


@pytest.mark.parametrize(
    ("text", "command"),
    [pytest.param(text, command, id=f"{family}: {text}") for family, text, command in DEVELOPMENT],
)
def test_development_sentences_are_understood(text: str, command: Command) -> None:
    assert parse(text) == command


@pytest.mark.parametrize(
    ("text", "command"),
    [
        pytest.param(
            text,
            command,
            id=f"{family}: {text}",
            marks=[pytest.mark.xfail(strict=True)] if text in HELD_OUT_MISSED else [],
        )
        for family, text, command in HELD_OUT
    ],
)
def test_held_out_sentences_are_understood(text: str, command: Command) -> None:
    assert parse(text) == command


@pytest.mark.parametrize("talk", FLOOR_TALK)
def test_floor_talk_is_no_command(talk: str) -> None:
    assert isinstance(parse(talk), NotUnderstood)


@pytest.mark.parametrize(
    "talk",
    [
        "cancel that",
        "take it easy",
        "turn off the lights",
        "find the forklift",
        "how does the press work",
        "status of the line",
        "is anything broken",
        "double check order 254",
        "print me the rota",
        "undo the straps",
        "no more overtime",
        "is there anything to eat",
        "we need 254 boxes",
        "show me 2 pallets",
    ],
)
def test_talk_near_the_new_phrasings_is_no_command(talk: str) -> None:
    assert isinstance(parse(talk), NotUnderstood)
