"""Voice commands benchmark: exact-command accuracy, out-of-command rejection, real-time factor.

Clips are synthesised with espeak-ng in several voices and speeds and packed in the
containers Slack uses (m4a, webm, ogg, mp3, wav), then decoded and recognised exactly as the
bot does (bot.conversation.voice.understand_clip) against a plant of existing orders and
sites. Targets: 98% exact commands, 80% rejection, real-time factor below 0.1.

    python -m bench.voice [--commands 120] [--other 40] [--seed 1] [--free] [--failures]

Measured on the 2-core development machine (pocketsphinx 5.1, espeak-ng 1.51), seed 1,
160 clips (the real-time factor is wall time, so it rises when other work shares the cores):
                                         exact commands   rejected   real-time factor
  worst word only (before)               83.3%            82.5%      0.100 (load 3)
  worst word and average fit (now)       85.8%            90.0%      0.13-0.18 (load 3-4)
  the same on seed 2 / seed 3            85.0% / 89.2%    92.5% / 90.0%
The accuracy target is missed. Whatever the rejection, the decoder's words are right for
87.5% of seed 1's commands (85.8% seed 2, 89.2% seed 3): on seeds 1-3, 45 of 360 command
clips were heard wrong, 30 of them in the three British voices (en-gb-scotland alone 19), and
most are digits: "nine" heard "one" (6), "eight" heard "six" (4), a digest's "at nine"
heard "one" (3), and trailing words dropped ("today", "at site two"). Tried and measured
without gain on seed 1: batch CMN, language weight 1 and 3, wider beams, noise removal,
topn 32, British pronunciations added to the dictionary. Tried later, decoder words only
(no rejection), seed 1 / seed 2 at 105/120 / 103/120 with the settings kept: language weight
3 and 10 (104 / 103, 103 / 103), word insertion 1 (103 / 102), silence padded around the clip
(97-101 / 103-104), "nine" said "AY N" and "eight" said "EY" after a joining consonant
(102 / 104-105), beams 1e-100 with no HMM limit (105 / -), VTLN warps 0.9 and 1.1, and the
best-scoring of three warps per clip (106, 104, 105 of 120; right under any warp: 107). Forced
alignment shows the rest is the acoustic model, not the search: the three British voices'
"seven nine" and "at nine" fit "seven one" and "at one" better, and where "digest daily at
nine" came out "undo", the true sentence could not be aligned to the clip at all. A grammar
decode takes about 0.14 CPU-s per audio second under load here, the phone loop 0.06; narrower
beams don't lower it (the cost is the model's densities per frame, topn 8 saves 10% and loses
a command). Speech never acts alone: the bot confirms what it heard, and Slack's own
transcript comes first.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from bot.conversation.audio import SAMPLE_RATE, decode_pcm
from bot.conversation.commands import NotUnderstood
from bot.conversation.orders import resolve
from bot.conversation.parser import parse
from bot.conversation.speech import recognizer
from bot.conversation.voice import understand_clip
from tests.voice_clips import (
    CONTAINERS,
    OUT_OF_COMMAND,
    VOICES,
    Voice,
    clip,
    command_sentence,
    espeak_available,
)

TARGET_EXACT = 0.98
TARGET_REJECTED = 0.80
TARGET_RTF = 0.1
SITES = ["1", "2", "3", "4", "5"]


@dataclass(frozen=True)
class Clip:
    sentence: str
    voice: Voice
    container: str
    audio: bytes
    is_command: bool


@dataclass(frozen=True)
class Outcome:
    clip: Clip
    understood: object
    right: bool
    seconds: float
    cpu_seconds: float  # this thread's: waiting for a core is not counted
    audio_seconds: float


def plant_orders(rng: random.Random, count: int = 200) -> list[str]:
    """A run of consecutive order numbers, as a real plant has: many sound alike."""
    first = rng.randrange(1_000, 90_000)
    return [f"P{number:06d}" for number in range(first, first + count)]


def make_clips(rng: random.Random, commands: int, other: int, orders: list[str]) -> list[Clip]:
    extensions = list(CONTAINERS)
    plan = [(command_sentence(rng, orders, SITES), True) for _ in range(commands)]
    plan += [(OUT_OF_COMMAND[i % len(OUT_OF_COMMAND)], False) for i in range(other)]
    jobs = [
        (sentence, VOICES[i % len(VOICES)], extensions[i % len(extensions)], is_command)
        for i, (sentence, is_command) in enumerate(plan)
    ]
    with ThreadPoolExecutor(4) as pool:
        audio = list(pool.map(lambda job: clip(job[0], job[1], job[2]), jobs))
    return [Clip(*job[:3], data, job[3]) for job, data in zip(jobs, audio, strict=True)]


def run(clips: Sequence[Clip], orders: list[str], free: bool) -> list[Outcome]:
    recognizer()  # load the model before timing
    known_orders, known_sites = ((), ()) if free else (orders, SITES)
    outcomes = []
    for item in clips:
        start, cpu_start = time.perf_counter(), time.thread_time()
        understood = understand_clip(item.audio, known_orders, known_sites)
        seconds, cpu_seconds = time.perf_counter() - start, time.thread_time() - cpu_start
        if item.is_command:
            right = resolve(understood, orders) == resolve(parse(item.sentence), orders)
        else:
            right = isinstance(understood, NotUnderstood)
        audio_seconds = len(decode_pcm(item.audio)) / 2 / SAMPLE_RATE
        outcomes.append(Outcome(item, understood, right, seconds, cpu_seconds, audio_seconds))
    return outcomes


def report(outcomes: list[Outcome], show_failures: bool) -> bool:
    commands = [o for o in outcomes if o.clip.is_command]
    other = [o for o in outcomes if not o.clip.is_command]
    exact = sum(o.right for o in commands) / len(commands) if commands else 1.0
    rejected = sum(o.right for o in other) / len(other) if other else 1.0
    audio = sum(o.audio_seconds for o in outcomes)
    rtf = sum(o.seconds for o in outcomes) / audio
    cpu_rtf = sum(o.cpu_seconds for o in outcomes) / audio
    refused = sum(isinstance(o.understood, NotUnderstood) for o in commands)
    print(
        f"clips: {len(commands)} commands + {len(other)} out-of-command, "
        f"{len({o.clip.voice for o in outcomes})} voices, "
        f"{len({o.clip.container for o in outcomes})} containers, "
        f"{audio:.0f} s of audio"
    )
    print(
        f"exact commands:         {sum(o.right for o in commands)}/{len(commands)} = "
        f"{exact:.1%}  (target {TARGET_EXACT:.0%}; {refused} refused as not understood)"
    )
    print(
        f"out-of-command rejected: {sum(o.right for o in other)}/{len(other)} = "
        f"{rejected:.1%}  (target {TARGET_REJECTED:.0%})"
    )
    print(
        f"real-time factor:       {rtf:.3f} wall, {cpu_rtf:.3f} CPU  (target < {TARGET_RTF}; "
        "both rise when other work shares the cores)"
    )
    wrong = Counter(f"{o.clip.voice.name}@{o.clip.voice.words_per_minute}" for o in commands)
    right = Counter(
        f"{o.clip.voice.name}@{o.clip.voice.words_per_minute}" for o in commands if o.right
    )
    print("exact by voice:         " + ", ".join(f"{v} {right[v]}/{n}" for v, n in wrong.items()))
    if show_failures:
        for o in outcomes:
            if not o.right:
                print(f"  MISS {o.clip.voice.name} {o.clip.container}: {o.clip.sentence!r}")
                print(f"       -> {o.understood}")
    return exact >= TARGET_EXACT and rejected >= TARGET_REJECTED and rtf < TARGET_RTF


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.voice", description=__doc__)
    parser.add_argument("--commands", type=int, default=120, help="command clips")
    parser.add_argument("--other", type=int, default=40, help="out-of-command clips")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--free", action="store_true", help="free digits: don't narrow to the known orders"
    )
    parser.add_argument("--failures", action="store_true", help="list every miss")
    args = parser.parse_args(argv)
    if not espeak_available():
        print("espeak-ng is not installed: apt-get install espeak-ng", file=sys.stderr)
        return 2
    rng = random.Random(args.seed)
    orders = plant_orders(rng)
    clips = make_clips(rng, args.commands, args.other, orders)
    met = report(run(clips, orders, args.free), args.failures)
    print("targets met" if met else "targets missed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
