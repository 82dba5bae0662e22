"""A small grammar notation: one definition gives the text matcher and the JSGF for speech.

The command language is written once (bot/conversation/language.py) as a tree of these
nodes. `matches` walks the tree over typed tokens; `to_jsgf` renders the spoken part of the
same tree for pocketsphinx. `Typed` tokens (P000123, 7:00) can be typed but never spoken, so
they drop out of the JSGF; everything else is shared, so the two cannot drift apart.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass

Capture = tuple[str, object]
Match = tuple[int, tuple[Capture, ...]]


class Node:
    """A piece of the grammar."""


@dataclass(frozen=True, eq=False)
class Words(Node):
    """Literal words, said or typed in this order."""

    words: tuple[str, ...]


@dataclass(frozen=True, eq=False)
class Typed(Node):
    """One typed token matching a pattern; text only, never spoken."""

    pattern: re.Pattern[str]


@dataclass(frozen=True, eq=False)
class TextOnly(Node):
    """Accepted when typed, left out of speech: keeps the spoken grammar small and clear."""

    part: Node


@dataclass(frozen=True, eq=False)
class Seq(Node):
    parts: tuple[Node, ...]


@dataclass(frozen=True, eq=False)
class Alt(Node):
    options: tuple[Node, ...]


@dataclass(frozen=True, eq=False)
class Opt(Node):
    part: Node


@dataclass(frozen=True, eq=False)
class Many(Node):
    """One or more, longest first."""

    part: Node


@dataclass(frozen=True, eq=False)
class Rule(Node):
    """A named rule: one JSGF rule, referenced wherever the node is reused."""

    name: str
    body: Node


@dataclass(frozen=True, eq=False)
class Separated(Node):
    """A named rule: one or more `item`s, a `separator` between each two.

    Spoken, it is right-recursive (`<name> = item [ separator <name> ]`), which pocketsphinx
    makes a loop through one copy of `item`; `item ( separator item )+` would make two. With
    the closed list of orders as the item that halves the search: measured on 40 clips of
    bench/voice.py's tuned part, 0.161 -> 0.083 CPU s per audio s, the same words heard.
    """

    name: str
    item: Node
    separator: Node


@dataclass(frozen=True, eq=False)
class Cap(Node):
    """Records (name, value) when matched; without a value, the tokens it matched."""

    name: str
    body: Node
    value: object = None


Part = Node | str


def node(part: Part) -> Node:
    return Words(tuple(part.split())) if isinstance(part, str) else part


def seq(*parts: Part) -> Node:
    return Seq(tuple(node(part) for part in parts))


def alt(*options: Part) -> Node:
    return Alt(tuple(node(option) for option in options))


def opt(*parts: Part) -> Node:
    return Opt(seq(*parts) if len(parts) > 1 else node(parts[0]))


def cap(name: str, part: Part, value: object = None) -> Node:
    return Cap(name, node(part), value)


def text_only(*options: Part) -> Node:
    return TextOnly(alt(*options) if len(options) > 1 else node(options[0]))


def typed(pattern: str) -> Node:
    return Typed(re.compile(pattern, re.IGNORECASE))


def one_of(phrases: Iterable[str]) -> Node:
    """A closed list of phrases as a prefix tree: shared beginnings are one path, so a
    grammar of hundreds of order numbers stays small and fast to search."""
    tree: dict[str, dict] = {}
    for phrase in phrases:
        branch = tree
        for word in phrase.split():
            branch = branch.setdefault(word, {})
        branch[""] = {}
    return _branches(tree)


def _branches(tree: dict[str, dict]) -> Node:
    options = [
        node(word) if list(rest) == [""] else seq(word, _branches(rest))
        for word, rest in tree.items()
        if word
    ]
    body = options[0] if len(options) == 1 else Alt(tuple(options))
    return Opt(body) if "" in tree else body


def matches(grammar: Node, tokens: list[str], start: int = 0) -> Iterator[Match]:
    """Every way `grammar` matches tokens from `start`: (end, captures), greedy first."""
    match grammar:
        case Words(words):
            end = start + len(words)
            if [token.lower() for token in tokens[start:end]] == list(words):
                yield end, ()
        case Typed(pattern):
            if start < len(tokens) and pattern.fullmatch(tokens[start]):
                yield start + 1, ()
        case Seq(parts):
            yield from _sequence(parts, tokens, start)
        case Alt(options):
            for option in options:
                yield from matches(option, tokens, start)
        case Opt(part):
            yield from matches(part, tokens, start)
            yield start, ()
        case Many(part):
            for end, captures in matches(part, tokens, start):
                if end > start:
                    for more_end, more in matches(grammar, tokens, end):
                        yield more_end, captures + more
                    yield end, captures
        case Separated(_, item, separator):
            for end, captures in matches(item, tokens, start):
                for between, apart in matches(separator, tokens, end):
                    if between > start:
                        for more_end, more in matches(grammar, tokens, between):
                            yield more_end, captures + apart + more
                yield end, captures
        case Rule(_, body) | TextOnly(body):
            yield from matches(body, tokens, start)
        case Cap(name, body, value):
            for end, captures in matches(body, tokens, start):
                found = tuple(tokens[start:end]) if value is None else value
                yield end, ((name, found), *captures)


def _sequence(parts: tuple[Node, ...], tokens: list[str], start: int) -> Iterator[Match]:
    if not parts:
        yield start, ()
        return
    for end, captures in matches(parts[0], tokens, start):
        for rest_end, rest in _sequence(parts[1:], tokens, end):
            yield rest_end, captures + rest


def full_match(grammar: Node, tokens: list[str]) -> tuple[Capture, ...] | None:
    """The captures of the first parse that uses every token, or None."""
    return next((caps for end, caps in matches(grammar, tokens) if end == len(tokens)), None)


def to_jsgf(
    root: Rule, grammar_name: str = "commands", spoken: Mapping[str, Node] | None = None
) -> str:
    """The spoken part of the grammar as JSGF, `root` public, each `Rule` rendered once.

    `spoken` replaces the bodies of named rules for speech only, e.g. order numbers by the
    orders that exist: a closed list is recognised far more reliably than any digits.
    """
    rules: dict[str, str] = {}
    replaced = spoken or {}

    def define(name: str, body: Callable[[], str | None]) -> str | None:
        """A reference to the rule `name`, rendered once (reserved first: it may recurse)."""
        if name not in rules:
            rules[name] = ""
            text = body()
            rules[name] = text if text is not None else "<VOID>"
        return None if rules[name] == "<VOID>" else f"<{name}>"

    def separated(name: str, item: Node, separator: Node) -> str | None:
        first, between = render(item), render(separator)
        if first is None or between is None:
            return first
        return f"{first} [ {between} <{name}> ]"

    def render(grammar: Node) -> str | None:
        """JSGF for what can be spoken; None when nothing can (typed-only)."""
        match grammar:
            case Words(words):
                return " ".join(words)
            case Typed() | TextOnly():
                return None
            case Seq(parts):
                rendered = [render(part) for part in parts]
                if None in rendered:
                    return None
                return " ".join(text for text in rendered if text) or "<NULL>"
            case Alt(options):
                spoken = [text for text in map(render, options) if text is not None]
                return f"( {' | '.join(spoken)} )" if spoken else None
            case Opt(part):
                text = render(part)
                return f"[ {text} ]" if text else ""
            case Many(part):
                text = render(part)
                return f"( {text} )+" if text else None
            case Rule(name, body):
                return define(name, lambda: render(replaced.get(name, body)))
            case Separated(name, item, separator):
                return define(name, lambda: separated(name, item, separator))
            case Cap(_, body, _):
                return render(body)
        raise TypeError(f"not a grammar node: {grammar!r}")

    render(root)
    lines = [f"#JSGF V1.0;\ngrammar {grammar_name};"]
    for name, body in rules.items():
        public = "public " if name == root.name else ""
        lines.append(f"{public}<{name}> = {body};")
    return "\n".join(lines) + "\n"


def jsgf_words(jsgf: str) -> set[str]:
    """Every word a JSGF grammar can say (each must be in the speech dictionary)."""
    body = "\n".join(line.split("=", 1)[1] for line in jsgf.splitlines() if "=" in line)
    return set(re.sub(r"<[^>]*>|[()|\[\]+;]", " ", body).split())
