"""Known emulator deviations: tests that fail on a given QEMU because QEMU, not the hardware
model the test expects, departs from the specification.  The file format is described in the
header of tests/expectations/qemu-7.2.txt.  The guest never sees this; only the host's
verdicts change, so a deviation stays visible (KNOWN) and a fixed one is noticed (XPASS)."""

from dataclasses import dataclass
from pathlib import Path

from .outcome import FAIL, KNOWN, PASS, XPASS, Outcome


class ExpectationsError(Exception):
    """A malformed line; the message gives file and line number."""


@dataclass(frozen=True)
class Deviation:
    config: str  # a configuration name, or "*" for all
    test: str
    section: str  # the specification section the test checks
    behaviour: str  # what QEMU does instead


def load(path: Path) -> list[Deviation]:
    deviations = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip() and not line.lstrip().startswith("#"):
            deviations.append(_parse(line, f"{path}:{number}"))
    return deviations


def _parse(line: str, where: str) -> Deviation:
    fields = [f.strip() for f in line.split("|")]
    who = fields[0].split()
    if len(fields) != 3 or len(who) != 2 or not all(fields[1:]):
        raise ExpectationsError(f"{where}: want '<config|*> <test> | <section> | <what QEMU does>'")
    return Deviation(who[0], who[1], fields[1], fields[2])


def apply(outcomes: list[Outcome], deviations: list[Deviation]) -> None:
    """Turn a listed test's FAIL into KNOWN and its PASS into XPASS.  A crash or hang stays
    a failure: a deviation makes a test fail cleanly, never takes the guest down."""
    for o in outcomes:
        d = _find(deviations, o.config, o.name)
        if d is None:
            continue
        if o.verdict == FAIL and o.reason not in ("crash", "hang"):
            o.verdict, o.reason = KNOWN, f"{d.section}: {d.behaviour}"
        elif o.verdict == PASS:
            o.verdict, o.reason = XPASS, "unexpectedly passed — remove from expectations"


def _find(deviations: list[Deviation], config: str, test: str) -> Deviation | None:
    return next((d for d in deviations if d.test == test and d.config in ("*", config)), None)
