"""Voice commands benchmark on a fixed measurement set (tests/voice_clips.measurement_set).

Three synthesisers (espeak-ng in several accents, flite's voices, festival's HTS voice),
315 commands in the phrasing families people use (plain, polite wrappers, "production
order", papers asked with "print", listings, show, undo, help, digests) and the number
readings they use (digit by digit, in pairs, with hundreds), 60 sentences of floor talk, a
third with machine-hall noise at 20 dB SNR, all five containers Slack uses. A held-out part
(its own sentences and voice settings) is never tuned on and reported apart.

Each clip is decoded and recognised as the bot does (bot.conversation.voice) against the
plant's existing orders and sites, then judged as the person would see it:
  exact    the command echoed is the one said, every order and paper right
  WRONG    a different command is echoed: the dangerous failure
  asked    the bot asks which order was meant (a button each)
  refused  "I didn't catch that" or no such order
and floor talk is rejected when no command is echoed. Also: CPU seconds per audio second
(this thread's CPU, so waiting for a shared core is not counted), the process's peak
memory and the model's load time.

    python -m bench voice [--commands N] [--other N] [--synthesisers espeak-ng,flite,festival]
                          [--seed 14] [--free] [--failures] [--clips DIR]

First run of the set (pocketsphinx alone, before the changes of issue 14's later steps; 2
shared cores at load 5-6): held out 80/105 exact (76.2%), 11/105 WRONG (10.5%), 14 refused,
18/20 floor talk rejected; tuned-on part 169/210 exact (80.5%), 23 WRONG (11.0%), 34/40
rejected. By synthesiser (held out): flite 41/41, festival 16/20, espeak-ng 23/44 (its
British and Caribbean voices). CPU 0.138 s per audio second, peak 225 MiB, load 0.10 s.
"""

from __future__ import annotations

import argparse
import hashlib
import resource
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from bot.conversation.audio import SAMPLE_RATE, decode_pcm
from bot.conversation.commands import Command
from bot.conversation.orders import Ambiguous, resolve
from bot.conversation.speech import Recognizer, recognizer
from bot.conversation.voice import understand_clip
from tests.voice_clips import (
    NOISE_SNR_DB,
    PLANT_ORDERS,
    PLANT_SITES,
    SYNTHESISERS,
    Sample,
    clip,
    measurement_set,
    synthesiser_available,
)

TARGET_EXACT = 0.90  # pocketsphinx alone, held-out
TARGET_WRONG = 0.02
TARGET_REJECTED = 0.90
TARGET_CPU_RTF = 0.15

EXACT, WRONG, ASKED, REFUSED, REJECTED, ACCEPTED = (
    "exact",
    "WRONG",
    "asked",
    "refused",
    "rejected",
    "accepted",
)


@dataclass(frozen=True)
class Outcome:
    sample: Sample
    understood: object
    verdict: str
    cpu_seconds: float  # this thread's: waiting for a core is not counted
    seconds: float
    audio_seconds: float


def verdict(sample: Sample, understood: object) -> str:
    """How the person would see the answer to this clip."""
    found = resolve(understood, PLANT_ORDERS) if isinstance(understood, Command) else understood
    is_command = isinstance(found, Command)
    if sample.expected is None:
        return ACCEPTED if is_command or isinstance(found, Ambiguous) else REJECTED
    if isinstance(found, Ambiguous):
        return ASKED
    if not is_command:
        return REFUSED
    return EXACT if found == sample.expected else WRONG


def make_clips(samples: Sequence[Sample], cache: Path | None) -> list[bytes]:
    """The samples' audio; with a cache directory, each clip is made once."""

    def one(sample: Sample) -> bytes:
        snr = NOISE_SNR_DB if sample.noisy else None
        key = f"{sample.sentence}|{sample.voice}|{sample.container}|{snr}"
        path = (
            cache / f"{hashlib.sha256(key.encode()).hexdigest()[:24]}.{sample.container}"
            if cache
            else None
        )
        if path is not None and path.exists():
            return path.read_bytes()
        audio = clip(sample.sentence, sample.voice, sample.container, snr)
        if path is not None:
            path.write_bytes(audio)
        return audio

    if cache is not None:
        cache.mkdir(parents=True, exist_ok=True)
    with ThreadPoolExecutor(2) as pool:
        return list(pool.map(one, samples))


Understand = Callable[[bytes], object]


def run(samples: Sequence[Sample], clips: Sequence[bytes], understand: Understand) -> list[Outcome]:
    outcomes = []
    for sample, audio in zip(samples, clips, strict=True):
        start, cpu_start = time.perf_counter(), time.thread_time()
        understood = understand(audio)
        seconds, cpu_seconds = time.perf_counter() - start, time.thread_time() - cpu_start
        audio_seconds = len(decode_pcm(audio)) / 2 / SAMPLE_RATE
        outcomes.append(
            Outcome(
                sample, understood, verdict(sample, understood), cpu_seconds, seconds, audio_seconds
            )
        )
    return outcomes


def _share(outcomes: Iterable[Outcome], which: str) -> tuple[int, int]:
    chosen = list(outcomes)
    return sum(o.verdict == which for o in chosen), len(chosen)


def _cell(part: tuple[int, int]) -> str:
    done, total = part
    return f"{done:>3}/{total:<3} {done / total:6.1%}" if total else "      -       "


def _row(label: str, outcomes: list[Outcome]) -> str:
    commands = [o for o in outcomes if o.sample.expected is not None]
    other = [o for o in outcomes if o.sample.expected is None]
    cells = [_cell(_share(commands, v)) for v in (EXACT, WRONG, ASKED, REFUSED)]
    return f"  {label:<28}" + "  ".join(cells) + "  " + _cell(_share(other, REJECTED))


HEADER = f"  {'':<28}{'exact':<16}{'WRONG':<16}{'asked':<16}{'refused':<16}floor talk rejected"


def _grouped(outcomes: list[Outcome], key: Callable[[Outcome], str]) -> dict[str, list[Outcome]]:
    groups: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        groups[key(outcome)].append(outcome)
    return dict(sorted(groups.items()))


def report_part(title: str, outcomes: list[Outcome]) -> None:
    print(f"{title}:")
    print(HEADER)
    print(_row("all", outcomes))
    for name, key in (
        ("synthesiser", lambda o: o.sample.voice.synthesiser),
        ("family", lambda o: o.sample.family),
        ("reading", lambda o: o.sample.reading),
        ("noise", lambda o: "20 dB SNR" if o.sample.noisy else "clean"),
    ):
        for value, group in _grouped(outcomes, key).items():
            if value != "-":
                print(_row(f"{name}: {value}", group))


def report(outcomes: list[Outcome], load_seconds: float, show_failures: bool) -> bool:
    """Prints the figures; True when the held-out part (or, without one, all) meets the targets."""
    commands = [o for o in outcomes if o.sample.expected is not None]
    other = [o for o in outcomes if o.sample.expected is None]
    audio = sum(o.audio_seconds for o in outcomes)
    rtf = sum(o.seconds for o in outcomes) / audio
    cpu_rtf = sum(o.cpu_seconds for o in outcomes) / audio
    voices = {o.sample.voice for o in outcomes}
    print(
        f"clips: {len(commands)} commands + {len(other)} out-of-command, {len(voices)} voices of "
        f"{len({v.synthesiser for v in voices})} synthesisers, "
        f"{len({o.sample.container for o in outcomes})} containers, "
        f"{sum(o.sample.noisy for o in outcomes)} with noise, {audio:.0f} s of audio"
    )
    for title, held_out in (("tuned on", False), ("HELD OUT (never tuned on)", True)):
        part = [o for o in outcomes if o.sample.held_out is held_out]
        if part:
            report_part(title, part)
    held_out = [o for o in outcomes if o.sample.held_out] or outcomes
    judged = [o for o in held_out if o.sample.expected is not None]
    exact, wrong = _share(judged, EXACT), _share(judged, WRONG)
    rejected = _share([o for o in held_out if o.sample.expected is None], REJECTED)
    lines = (
        ("exact commands:", _share(commands, EXACT), exact, f"{TARGET_EXACT:.0%}"),
        ("wrong commands:", _share(commands, WRONG), wrong, f"<= {TARGET_WRONG:.0%}"),
        ("out-of-command rejected:", _share(other, REJECTED), rejected, f"{TARGET_REJECTED:.0%}"),
    )
    for label, every, kept_apart, target in lines:
        print(f"{label:<25}{_cell(every)} all, {_cell(kept_apart)} held out (target {target})")
    print(
        f"real-time factor: {rtf:.3f} wall, {cpu_rtf:.3f} CPU  (CPU target <= {TARGET_CPU_RTF}; "
        "wall time rises when other work shares the cores)"
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory: {peak:.0f} MiB (the whole process); model load: {load_seconds:.2f} s")
    if show_failures:
        for o in outcomes:
            if o.verdict not in (EXACT, REJECTED):
                print(
                    f"  {o.verdict:<8} {o.sample.voice.label} {o.sample.container}"
                    f"{' noisy' if o.sample.noisy else ''}: {o.sample.sentence!r}"
                )
                print(f"           -> {o.understood}")

    def rate(part: tuple[int, int]) -> float:
        return part[0] / part[1] if part[1] else 1.0

    return (
        rate(exact) >= TARGET_EXACT
        and rate(wrong) <= TARGET_WRONG
        and rate(rejected) >= TARGET_REJECTED
        and cpu_rtf <= TARGET_CPU_RTF
    )


def select(args: argparse.Namespace) -> list[Sample]:
    """The set's samples, narrowed to the synthesisers asked for and the counts given."""
    chosen = [s for s in measurement_set(args.seed) if s.voice.synthesiser in args.synthesisers]
    commands = [s for s in chosen if s.expected is not None][: args.commands]
    other = [s for s in chosen if s.expected is None][: args.other]
    return commands + other


def load_time() -> float:
    """Seconds to load the recogniser's model (a fresh one; the bot's stays cached)."""
    start = time.perf_counter()
    Recognizer()
    return time.perf_counter() - start


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench voice",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--commands", type=int, default=None, help="command clips (default all)")
    parser.add_argument("--other", type=int, default=None, help="floor-talk clips (default all)")
    parser.add_argument("--seed", type=int, default=14, help="the set's seed (14: the fixed set)")
    parser.add_argument(
        "--synthesisers",
        type=lambda text: [name for name in text.split(",") if name],
        default=list(SYNTHESISERS),
        help="comma-separated: espeak-ng,flite,festival (default all installed)",
    )
    parser.add_argument(
        "--free", action="store_true", help="free digits: don't narrow to the known orders"
    )
    parser.add_argument("--failures", action="store_true", help="list every miss")
    parser.add_argument("--clips", type=Path, default=None, help="keep the made clips here")
    args = parser.parse_args(argv)
    unknown = set(args.synthesisers) - set(SYNTHESISERS)
    if unknown:
        parser.error(f"unknown synthesisers: {', '.join(sorted(unknown))}")
    missing = [name for name in args.synthesisers if not synthesiser_available(name)]
    for name in missing:
        print(f"{name} is not installed (apt-get install {name}): its clips are left out")
    args.synthesisers = [name for name in args.synthesisers if name not in missing]
    if not args.synthesisers:
        print("no synthesiser installed: apt-get install espeak-ng flite festival", file=sys.stderr)
        return 2
    samples = select(args)
    clips = make_clips(samples, args.clips)
    load_seconds = load_time()
    recognizer()
    orders, sites = ((), ()) if args.free else (PLANT_ORDERS, PLANT_SITES)
    outcomes = run(samples, clips, lambda audio: understand_clip(audio, orders, sites))
    met = report(outcomes, load_seconds, args.failures)
    print("targets met" if met else "targets missed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
