"""The command language, written once: the text parser and the speech grammar both come from it.

Numbers are spoken digit by digit ("one two three"), never with "oh" for zero: measured, "oh"
confuses the recogniser more than it helps. Typed forms (P000123, 7:00, 7am) are `typed`
and so text only.
"""

from __future__ import annotations

from functools import lru_cache

from bot.conversation.commands import Horizon
from bot.conversation.grammar import (
    Many,
    Node,
    Rule,
    alt,
    cap,
    one_of,
    opt,
    seq,
    text_only,
    to_jsgf,
    typed,
)
from domain.statuses import PaperKind

DIGITS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
TEENS = ("ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen")
TEENS += ("eighteen", "nineteen")
HOURS = (*DIGITS, *TEENS, "twenty", "twenty one", "twenty two", "twenty three")
MINUTES = {
    "o'clock": 0,
    "hundred": 0,
    "ten": 10,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "forty five": 45,
    "fifty": 50,
}
PAPER_NAMES = {
    PaperKind.JOB_CARD: ("job card", "job cards"),
    PaperKind.ROUTE_CARD: ("route card", "route cards", "routing card", "routing cards"),
    PaperKind.ROUTE_JOB: ("route job", "route jobs"),
    PaperKind.PICKING_LIST: ("picking list", "picking lists", "pick list", "pick lists"),
}

# Examples shown with "I didn't catch that" and in help; the tests parse every one.
EXAMPLES = (
    "release P000123 and P000124 with route card and picking list",
    "what's waiting for release at site 2 today?",
    "show P000123",
    "undo",
    "digest daily 7:00",
    "help",
)

# Suggested when a person first opens the bot's Messages tab, as the bot itself would say
# them; a tap answers them as if typed (the tests parse each to its command).
PROMPTS = (
    "What's waiting at site 1?",
    "Release P000123 with route card",
    "Undo my last release",
)

_typed_only = text_only(seq())  # in an `alt`: may be left out when typed, never when spoken
_digit = Rule("digit", alt(*DIGITS, typed(r"\d")))
ORDER_DIGITS = "order_digits"
_order = Rule(
    "order",
    seq(
        opt("order"),
        opt(text_only("number")),
        cap(
            "order",
            alt(seq(opt("p"), Rule(ORDER_DIGITS, Many(_digit))), typed(r"p?\d+")),
        ),
    ),
)
_orders = Rule("orders", seq(_order, opt(Many(seq(alt("and", _typed_only), _order)))))
_paper = Rule(
    "paper",
    seq(
        opt(alt("the", text_only("a"))),
        alt(*(cap("paper", alt(*names), kind) for kind, names in PAPER_NAMES.items())),
    ),
)
_papers = Rule(
    "papers",
    alt(
        seq(
            alt("with", "and", "print", text_only("plus", "printing", "including")),
            _paper,
            opt(Many(seq(alt("and", text_only("plus"), _typed_only), _paper))),
        ),
        alt("without papers", text_only("with no papers", "no papers")),
    ),
)
_release = cap("kind", seq("release", opt("orders"), _orders, opt(_papers)), "release")

_for_release = alt("for release", text_only("to be released", "for releasing"))
SITE_CODE = "site_code"
_site = seq(
    opt(alt("at", text_only("for", "in", "on"))),
    "site",
    cap("site", alt(Rule(SITE_CODE, Many(_digit)), typed(r"\w+"))),
)
_horizon = seq(
    opt(text_only("for", "by", "until", "due")),
    alt(
        cap("horizon", "today", Horizon.TODAY),
        cap("horizon", "tomorrow", Horizon.TOMORROW),
        cap("horizon", alt("this week", text_only("the week")), Horizon.THIS_WEEK),
    ),
)
_waiting_orders = alt(
    seq("what is", opt(text_only("still")), "waiting", opt(_for_release)),
    seq(
        alt("list", "show", text_only("show me", "what are")),
        opt("the"),
        opt("waiting"),
        "orders",
        opt(text_only(seq("waiting", opt(_for_release)))),
    ),
    text_only(
        seq("which orders are", opt("still"), "waiting", opt(_for_release)),
        seq(opt("the"), "waiting orders"),
        seq("orders waiting", opt(_for_release)),
        seq("what needs", alt("releasing", "to be released")),
        "list",
    ),
)
_list = cap("kind", seq(_waiting_orders, opt(Many(alt(_site, _horizon)))), "list")

_show = cap(
    "kind",
    seq(
        alt("show", "open", text_only("show me", "details for", "details of", "look up")),
        opt(text_only("the")),
        _order,
    ),
    "show",
)
_undo = cap(
    "kind",
    seq("undo", opt(alt("that", "the last release", text_only("it", "my last release")))),
    "undo",
)
_help = cap(
    "kind", alt("help", "what can you do", text_only("help me", "how does this work")), "help"
)

_frequency = alt(
    cap("frequency", alt("daily", "every day"), "daily"),
    cap("frequency", alt("on weekdays", "every weekday", text_only("weekdays")), "weekdays"),
)
_time = seq(
    alt(
        seq(cap("hour", alt(*HOURS)), opt(cap("minute", alt(*MINUTES)))),
        cap("time", typed(r"\d{1,2}([:.]\d{2})?(am|pm)?")),
    ),
    opt(
        alt(
            cap("meridiem", alt("in the morning", typed(r"am|a\.m\.")), "am"),
            cap("meridiem", alt("in the evening", typed(r"pm|p\.m\."), "in the afternoon"), "pm"),
        )
    ),
)
_digest = alt(
    cap(
        "kind",
        seq(
            opt(text_only("set", "schedule", "send")),
            opt(text_only("a", "the")),
            "digest",
            opt(text_only("to")),
            opt(_frequency),
            opt("at"),
            _time,
            opt(text_only(_frequency)),
        ),
        "digest",
    ),
    cap(
        "kind",
        alt(
            seq("digest", alt("off", text_only("stop"))),
            seq(text_only("stop", "turn off"), opt("the"), "digest"),
        ),
        "digest off",
    ),
)

COMMAND: Rule = Rule(
    "command",
    seq(
        opt(alt("please", text_only("can you", "could you", "can you please", "could you please"))),
        alt(_release, _list, _show, _undo, _help, _digest),
        opt(alt("please", text_only("thanks", "thank you"))),
    ),
)


@lru_cache(maxsize=8)
def jsgf(orders: frozenset[str] = frozenset(), sites: frozenset[str] = frozenset()) -> str:
    """The speech grammar: the spoken part of COMMAND. Given the orders and sites that exist,
    numbers are only those (orders said in full or without leading zeros): a closed list is
    recognised far more reliably than free digits."""
    spoken: dict[str, Node] = {}
    if orders:
        spoken[ORDER_DIGITS] = one_of(
            sorted({form for order in orders for form in spoken_forms(order)})
        )
    said_sites = [spoken_code(site) for site in sites]
    if any(said_sites):
        spoken[SITE_CODE] = one_of(sorted(code for code in said_sites if code))
    return to_jsgf(COMMAND, "releasebot", spoken)


def spoken_forms(order: str) -> set[str]:
    """P000123 -> "zero zero zero one two three" and "one two three"."""
    digits = order.upper().removeprefix("P")
    return {spoken_code(form) for form in (digits, digits.lstrip("0")) if form}


def spoken_code(code: str) -> str:
    """A code said digit by digit ("12" -> "one two"); "" when it has more than digits."""
    return " ".join(DIGITS[int(char)] for char in code) if code.isdigit() else ""


def spoken_number(tokens: tuple[str, ...]) -> str:
    """("p", "one", "two") -> "12"; typed "P000123" -> "000123"."""
    return "".join(
        str(DIGITS.index(token.lower())) if token.lower() in DIGITS else token.lower().lstrip("p")
        for token in tokens
    )


def hour_value(tokens: tuple[str, ...]) -> int:
    return HOURS.index(" ".join(tokens).lower())


def minute_value(tokens: tuple[str, ...]) -> int:
    return MINUTES[" ".join(tokens).lower()]
