"""What the host concluded about one test, or about a run as a whole."""

from dataclasses import dataclass, field

from . import tap

PASS, FAIL, SKIP = "PASS", "FAIL", "SKIP"
KNOWN = "KNOWN"  # failed the way the expectations file says the emulator does
XPASS = "XPASS"  # passed although the expectations file says it fails


@dataclass
class Outcome:
    config: str
    name: str  # a test name, or "[boot]", "[exit]", ... for a problem with the run itself
    verdict: str
    reason: str = ""  # why it skipped, crashed, or is a known deviation
    diagnostics: list[str] = field(default_factory=list)


@dataclass
class ConfigRun:
    config: str
    outcomes: list[Outcome] = field(default_factory=list)
    boots: int = 0
    seconds: float = 0.0

    def count(self, *verdicts: str) -> int:
        return sum(o.verdict in verdicts for o in self.outcomes)


def from_tap(config: str, result: tap.Result) -> Outcome:
    verdict = {"pass": PASS, "fail": FAIL, "skip": SKIP}[result.status]
    return Outcome(config, result.name, verdict, result.reason, result.diagnostics)


def problem(config: str, name: str, reason: str, diagnostics: list[str]) -> Outcome:
    """A failure of the run rather than of a test: no TAP, wrong exit status, short plan."""
    return Outcome(config, name, FAIL, reason, diagnostics)


def merge(run: ConfigRun, log: tap.Log) -> None:
    """Add a boot's results; a test reported by an earlier boot keeps its first result, since
    a resumed guest may report the tests it skipped over as SKIP."""
    seen = {o.name for o in run.outcomes}
    run.outcomes += [from_tap(run.config, r) for r in log.results if r.name not in seen]
