"""The command language, written once: the text parser and the speech grammar both come from it.

Order numbers are read digit by digit ("one two three"), in pairs ("two fifty four") or with
hundreds ("six hundred and thirty one"); "oh" for zero is typed only: measured, in speech it
confuses the recogniser more than it helps. Typed forms (P000123, 7:00, 7am) are `typed` and
so text only. Wrappers ("could you please …") come before any command: in speech they cost
a few short commands ("help" heard "can you help", then refused), and gain the sentences
people actually say (see the commit that added them for the figures).

Most ways of asking that people type (tests/unit/test_conversation_breadth.py) are
`text_only`: every word spoken can be misheard as another, so a form is spoken only when
pocketsphinx on the voice set's tuned part measured no worse with it (figures in the
commits). Whisper's text goes through the text parser, so it gets every typed form.
"""

from __future__ import annotations

from functools import lru_cache

from bot.conversation.commands import Horizon
from bot.conversation.grammar import (
    Many,
    Node,
    Rule,
    Separated,
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
TEENS: tuple[str, ...] = ("ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen")
TEENS += ("sixteen", "seventeen", "eighteen", "nineteen")
TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
NUMBER_WORDS = frozenset({*DIGITS, *TEENS, *TENS, "hundred"})  # the words numbers are read in
REPEATS = {"double": 2, "triple": 3}
SCALES = {"hundred": 100, "thousand": 1000}
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
CARD_KINDS = {
    PaperKind.JOB_CARD: ("job",),
    PaperKind.ROUTE_CARD: ("route", "routing"),
}
# typed: "half past seven", "quarter to eight": minutes from the hour named
MINUTE_OFFSETS = {"half past": 30, "quarter past": 15, "quarter to": -15}
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
_digit = Rule("digit", alt(*DIGITS, text_only("oh"), typed(r"\d")))
_unit = alt(*DIGITS[1:])
# 10..99 as read in pairs: "fifty four", "twelve"
_pair = Rule("pair", alt(seq(alt(*TENS), opt(_unit)), alt(*TEENS)))
# "six hundred (and) thirty one", "three hundred five", "two hundred"; typed "thirteen hundred"
_hundreds = Rule(
    "hundreds", seq(alt(_unit, text_only(_pair)), "hundred", opt("and"), opt(alt(_pair, _unit)))
)
# typed: "two thousand (and) twelve", "one thousand two hundred and five"
_thousands = text_only(seq(_unit, "thousand", opt("and"), opt(alt(_hundreds, _pair, _unit))))
# typed: "two double five" (255), "triple one" (111)
_repeated = text_only(seq(alt(*REPEATS), _digit))
ORDER_DIGITS = "order_digits"
# a number read digit by digit, in pairs, with hundreds, or mixed ("two fifty four")
_number = Rule(ORDER_DIGITS, Many(alt(_thousands, _hundreds, _pair, _repeated, _digit)))
# typed digits that go on in words ("12 thirty four"): one number, as "twelve thirty four"
_typed_then_said = text_only(seq(typed(r"\d+"), _number))
_order_noun = alt(
    seq(
        opt("the"),
        opt("production"),
        alt("order", "orders"),
        opt(alt("number", text_only("numbers", "no"))),
    ),
    text_only("number", "numbers", "no"),
)
_order = Rule(
    "order",
    seq(
        opt(_order_noun),
        cap("order", alt(seq(opt("p"), _number), _typed_then_said, typed(r"p?\d+"))),
    ),
)
# spoken orders need "and" between them: without it, number runs split the wrong way
# (measured on the voice set's tuned part: 134 -> 132 of 210 exact)
_orders = Separated(
    "orders", _order, alt("and", text_only("plus", "as well as", "and also"), _typed_only)
)
# typed: "the route and job cards"
_cards_of_two_kinds = text_only(
    seq(
        alt(*(cap("paper", alt(*names), kind) for kind, names in CARD_KINDS.items())),
        "and",
        alt(*(cap("paper", alt(*names), kind) for kind, names in CARD_KINDS.items())),
        alt("card", "cards"),
    )
)
_paper = Rule(
    "paper",
    seq(
        opt(alt("the", "a")),
        alt(
            *(cap("paper", alt(*names), kind) for kind, names in PAPER_NAMES.items()),
            _cards_of_two_kinds,
        ),
    ),
)
_paperwork = alt("papers", "paperwork", "documents")
_print = seq(alt("print", "give"), opt(alt("me", "out")))
_papers = Rule(
    "papers",
    alt(
        seq(
            alt(
                "with",
                "print",
                "and",
                "and print",
                "and also print",
                "and print out",
                "together with",
                text_only(
                    "plus",
                    "printing",
                    "including",
                    "along with",
                    "and printing",
                    seq(opt("and"), _print),
                    seq("with", opt("the"), _paperwork),
                ),
            ),
            Separated("paper_list", _paper, alt("and", text_only("plus"), _typed_only)),
        ),
        alt(
            "without papers",
            text_only(
                seq(alt("with no", "no", "without", "without any"), _paperwork),
                "without printing anything",
                "without printing",
            ),
        ),
    ),
)
_release = cap(
    "kind",
    alt(
        seq(alt("release", text_only("releasing")), _orders, opt(_papers)),
        # the passive, typed: "I need order 388 released with a pick list"
        text_only(
            seq(
                opt(alt("i need", "i want", "i would like", "i'd like", "we need", "get")),
                _orders,
                alt("released", "to be released"),
                opt(_papers),
            )
        ),
    ),
    "release",
)

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
_orders_noun = seq(opt("production"), "orders")
# typed: what else people call orders waiting for release ("pending" and "scheduled"
# spoken cost a site misheard: 5 -> 6 wrong of 210 on the voice set's tuned part)
_other_state = text_only(
    "pending", "scheduled", "due", "outstanding", "ready", "left", "in the queue"
)
# typed: "(what is) ready to release", "(what is) still to be released"
_to_release = text_only(
    seq(opt(alt("waiting", _other_state)), alt("to release", "to be released", "for release")),
    _other_state,
)
# waiting, or typed: "pending", "ready to release", "left to release"
_waiting = alt(seq("waiting", opt(_for_release)), _to_release)
_needs_release = seq(alt("need", "needs"), alt("releasing", "to be released", "release"))
_waiting_orders = alt(
    seq(
        alt("what is", "show me what is", "tell me what is"),
        opt(text_only("still")),
        _waiting,
    ),
    seq(
        alt("what", "which"),
        _orders_noun,
        "are",
        opt(text_only("still")),
        _waiting,
    ),
    seq(
        alt("list", "show", "show me", text_only("what are", "give me", "give me the list of")),
        opt("the"),
        opt(alt("waiting", text_only("pending", "scheduled", "outstanding"))),
        _orders_noun,
        opt(text_only(seq("waiting", opt(_for_release)))),
    ),
    # typed only: spoken, "what needs releasing today" took "what is the weather like
    # today" (tests/integration/test_voice_clips.py) for a listing
    text_only(
        seq(opt("the"), "waiting orders"),
        seq("orders waiting", opt(_for_release)),
        seq(alt("what", seq("which", _orders_noun)), opt("still"), _needs_release),
        seq(
            alt("what", seq("which", _orders_noun)),
            alt("can", "should", "do", "must"),
            alt("i", "we"),
            opt(alt("have to", "need to")),
            "release",
        ),
        seq(
            alt("anything", "is anything", "is there anything", seq("any", _orders_noun)),
            opt("still"),
            _waiting,
        ),
        seq("are there any", _orders_noun, opt("still"), _waiting),
        "list",
    ),
)
_list = cap("kind", seq(_waiting_orders, opt(Many(alt(_site, _horizon)))), "list")

# typed: "(show me) the details of", "what is the status of", "info on"
_about_order = seq(
    opt(alt("show me", "get me", "give me", "what is", "tell me")),
    opt("the"),
    alt("details", "status", "info", "information"),
    alt("of", "for", "on", "about"),
)
_show = cap(
    "kind",
    alt(
        seq(
            alt(
                "show",
                "open",
                "show me",
                "look up",
                "pull up",
                text_only(
                    "bring up",
                    "display",
                    "check",
                    "find",
                    "tell me about",
                    "let me see",
                    _about_order,
                ),
            ),
            _order,
        ),
        text_only(seq(_order, alt("details", "status", "info"))),
    ),
    "show",
)
# typed: what a person takes back ("my last release", "that release", "the last one")
_last_release = seq(
    opt(alt("the", "my", "that", "this")),
    opt(alt("last", "latest", "previous")),
    "release",
)
_undone = alt(
    "that",
    "the last release",
    "my last release",
    "it",
    text_only(_last_release, seq(opt(alt("the", "my")), "last one")),
)
_undo = cap(
    "kind",
    alt(
        seq("undo", opt(_undone)),
        seq(alt("revert", text_only("reverse", "roll back", "take back")), _undone),
        seq("cancel", alt("the last release", "my last release", text_only(_last_release))),
        text_only(seq(alt("take", "roll"), alt("that", "it"), "back")),
    ),
    "undo",
)
_help = cap(
    "kind",
    alt(
        "help",
        "what can you do",
        "how does this work",
        "what can i say",
        text_only(
            "help me",
            "i need help",
            seq("how", alt("does this", "does it", "do you"), "work"),
            seq("how do i", alt("use this", "use it", "use you", seq("release", opt("an order")))),
            seq("what", alt("can", "should"), "i", alt("say", "ask", "ask you")),
            seq(opt(alt("show me", "list", "what are")), "the commands"),
            seq("what commands", alt("are there", "do you understand", "do you know", "can i use")),
        ),
    ),
    "help",
)

_frequency = alt(
    cap("frequency", alt("daily", "every day", text_only("every morning", "each day")), "daily"),
    cap(
        "frequency",
        alt("on weekdays", "every weekday", text_only("weekdays", "monday to friday")),
        "weekdays",
    ),
)
# typed: "the daily digest", "a weekday digest"
_digest_noun = seq(
    opt(alt("the", text_only("a", "my"))),
    opt(
        text_only(
            cap("frequency", "daily", "daily"),
            cap("frequency", alt("weekday", "weekdays"), "weekdays"),
        )
    ),
    alt("digest", text_only("digests")),
)
_time = seq(
    alt(
        seq(cap("hour", alt(*HOURS)), opt(cap("minute", alt(*MINUTES)))),
        text_only(seq(cap("minute_offset", alt(*MINUTE_OFFSETS)), cap("hour", alt(*HOURS)))),
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
            opt(
                text_only(
                    "set",
                    "set up",
                    "schedule",
                    "send",
                    "send me",
                    "give me",
                    "turn on",
                    "switch on",
                    "i want",
                    "i'd like",
                    "i would like",
                )
            ),
            _digest_noun,
            opt(text_only("to", "for")),
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
            seq(
                alt("stop", "turn off", text_only("switch off", "disable", "stop sending")),
                _digest_noun,
            ),
            text_only(
                seq(alt("turn", "switch"), _digest_noun, "off"),
                seq("no more", _digest_noun),
            ),
        ),
        "digest off",
    ),
)

# how people wrap a request: "could you please go ahead and …", "I'd like to …"
_please = alt("please", text_only("pls", "plz"))
_opening = seq(
    opt(
        text_only(
            seq(alt("hey", "hi", "hello", "ok", "okay"), opt(alt("bot", "there"))),
            "oops",
            "sorry",
        )
    ),
    opt(
        alt(
            "can you",
            "could you",
            "would you",
            "can we",
            text_only("will you", "would you mind", "could we", "can i", "could i"),
        )
    ),
    opt(_please),
    opt(
        alt(
            "go ahead and",
            "i'd like to",
            "i want to",
            "i need to",
            "let's",
            "i would like to",
            "we need to",
            text_only("we want to", "kindly", "i need you to"),
        )
    ),
)
# "thanks" spoken cost one clip's order number (134 -> 133 of 210 exact)
_closing = seq(
    opt(text_only("for me")),
    opt(alt(_please, "thank you", text_only("thanks", "thx", "cheers"))),
)

COMMAND: Rule = Rule(
    "command",
    seq(_opening, alt(_release, _list, _show, _undo, _help, _digest), _closing),
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
    """The ways people read an order number aloud: P000254 -> "zero zero zero two five four",
    "two five four", "two fifty four", "two hundred (and) fifty four"."""
    digits = order.upper().removeprefix("P")
    if not digits.isdigit():
        return set()
    short = digits.lstrip("0")
    forms = {spoken_code(digits), spoken_code(short)} | _read_in_pairs(short)
    if len(short) == 3 and short[0] != "0":
        hundreds = f"{DIGITS[int(short[0])]} hundred"
        rest = pair_words(short[1:]) if short[1] != "0" else spoken_code(short[2].strip("0"))
        forms |= {f"{hundreds} {rest}".strip(), f"{hundreds} and {rest}" if rest else hundreds}
    return {form for form in forms if form}


def _read_in_pairs(number: str) -> set[str]:
    """ "254" -> "two fifty four", "1234" -> "twelve thirty four": the last digits in pairs,
    an odd first digit alone; none where a pair starts with 0 (people say "oh" there)."""
    if len(number) < 2:
        return set()
    head = number[: len(number) % 2]
    pairs = [number[at : at + 2] for at in range(len(head), len(number), 2)]
    if any(pair[0] == "0" for pair in pairs):
        return set()
    return {" ".join([spoken_code(head), *(pair_words(pair) for pair in pairs)]).strip()}


def pair_words(pair: str) -> str:
    """ "54" -> "fifty four", "12" -> "twelve", "40" -> "forty"."""
    tens, unit = int(pair[0]), int(pair[1])
    if tens == 1:
        return TEENS[unit]
    return f"{TENS[tens - 2]} {DIGITS[unit]}" if unit else TENS[tens - 2]


def spoken_code(code: str) -> str:
    """A code said digit by digit ("12" -> "one two"); "" when it has more than digits."""
    return " ".join(DIGITS[int(char)] for char in code) if code.isdigit() else ""


_DIGIT_VALUES = {word: value for value, word in enumerate(DIGITS)} | {"oh": 0}
_PAIR_VALUES = {word: 10 + value for value, word in enumerate(TEENS)} | {
    word: 20 + 10 * value for value, word in enumerate(TENS)
}


def spoken_number(tokens: tuple[str, ...]) -> str:
    """The digits a number was read as: ("p", "one", "two") -> "12", ("two", "fifty", "four")
    -> "254", ("six", "hundred", "and", "thirty", "one") -> "631"; typed "P000123" -> "000123".
    Read group by group, longest first, as the grammar's `_number` allows them."""
    words = [token.lower() for token in tokens]
    digits: list[str] = []
    at = 0
    while at < len(words):
        group, at = _number_group(words, at)
        digits.append(group)
    return "".join(digits)


def _number_group(words: list[str], at: int) -> tuple[str, int]:
    """One group of a read number from `at`: its digits and where the next group starts."""
    word = words[at]
    if word in REPEATS:  # "double five": 55
        digit, after = _number_group(words, at + 1)
        return digit * REPEATS[word], after
    scaled = _scaled(words, at)
    if scaled is not None:
        return str(scaled[0]), scaled[1]
    value, after = _below_hundred(words, at)
    if value is not None and word not in _DIGIT_VALUES:
        return f"{value:02d}", after
    if word in _DIGIT_VALUES:
        return str(_DIGIT_VALUES[word]), at + 1
    return word.removeprefix("p"), at + 1  # typed digits, or the "p" said before them


def _scaled(words: list[str], at: int) -> tuple[int, int] | None:
    """A number read with hundreds or thousands from `at` ("six hundred and thirty one",
    "thirteen hundred", "one thousand two hundred and five"): its value and where it ends."""
    count, after = _below_hundred(words, at)
    scale = SCALES.get(words[after]) if after < len(words) else None
    if count is None or scale is None:
        return None
    after += 1 + (words[after + 1 : after + 2] == ["and"])
    hundreds = _scaled(words, after) if scale > 100 else None
    if hundreds is not None:  # "one thousand two hundred …"
        return count * scale + hundreds[0], hundreds[1]
    rest, end = _below_hundred(words, after)
    return count * scale + (rest or 0), end


def _below_hundred(words: list[str], at: int) -> tuple[int | None, int]:
    """A number 1..99 read as words from `at` ("fifty four", "twelve", "five"), or None."""
    word = words[at] if at < len(words) else ""
    if word in _PAIR_VALUES:
        value = _PAIR_VALUES[word]
        unit = _DIGIT_VALUES.get(words[at + 1]) if at + 1 < len(words) else None
        if value >= 20 and unit:
            return value + unit, at + 2
        return value, at + 1
    if _DIGIT_VALUES.get(word):
        return _DIGIT_VALUES[word], at + 1
    return None, at


def hour_value(tokens: tuple[str, ...]) -> int:
    return HOURS.index(" ".join(tokens).lower())


def minute_value(tokens: tuple[str, ...]) -> int:
    return MINUTES[" ".join(tokens).lower()]


def minute_offset(tokens: tuple[str, ...]) -> int:
    return MINUTE_OFFSETS[" ".join(tokens).lower()]
