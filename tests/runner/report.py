"""Say what happened: one greppable line per test, summaries, and JUnit XML or merged TAP
files for CI."""

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import TextIO

from .outcome import FAIL, KNOWN, PASS, SKIP, XPASS, ConfigRun, Outcome

INDENT = " " * 6


def print_run(run: ConfigRun, width: int, verbose: bool, out: TextIO) -> None:
    """Every outcome of one configuration; diagnostics of failures (of all with -v)."""
    for o in run.outcomes:
        reason = f" ({o.reason})" if o.reason else ""
        print(f"{o.verdict:<5} {o.config:<{width}}  {o.name}{reason}", file=out)
        if o.verdict == FAIL or verbose:
            for line in o.diagnostics:
                print(INDENT + line, file=out)


def totals(runs: list[ConfigRun]) -> tuple[int, int, int, int]:
    """passed, failed, skipped, known; a known deviation counts as skipped, an unexpected
    pass as passed."""
    passed = sum(r.count(PASS, XPASS) for r in runs)
    known = sum(r.count(KNOWN) for r in runs)
    return (passed, sum(r.count(FAIL) for r in runs), sum(r.count(SKIP) for r in runs) + known,
            known)


def print_summary(runs: list[ConfigRun], expectations: str | None, out: TextIO) -> None:
    """Per-configuration lines; every known deviation and unexpected pass, once, with its
    configurations and reason; the count of deviations; then the one final line."""
    for r in runs:
        passed, failed, skipped, known = totals([r])
        extra = f" ({known} known)" if known else ""
        boots = f", {r.boots} boots" if r.boots > 1 else ""
        print(f"{r.config}: {passed} passed, {failed} failed, {skipped} skipped{extra}"
              f"{boots}, {r.seconds:.0f} s", file=out)
    passed, failed, skipped, known = totals(runs)
    _print_listed(runs, KNOWN, f"Known deviations, counted as skipped ({expectations}):", out)
    _print_listed(runs, XPASS, "Unexpected passes, counted as passed:", out)
    if known:
        noun = "deviation" if known == 1 else "deviations"
        print(f"{known} known {noun} (see {expectations})", file=out)
    print(f"{passed} passed, {failed} failed, {skipped} skipped", file=out)


def _print_listed(runs: list[ConfigRun], verdict: str, title: str, out: TextIO) -> None:
    """Each test with this verdict once, with the configurations it had it in and its
    reason (for KNOWN: the spec section and what the emulator does instead)."""
    where: dict[tuple[str, str], list[str]] = {}
    for o in (o for r in runs for o in r.outcomes if o.verdict == verdict):
        where.setdefault((o.name, o.reason), []).append(o.config)
    if where:
        print(title, file=out)
    for (name, reason), configs in where.items():
        print(f"  {name} [{', '.join(configs)}]: {reason}", file=out)


def write_junit(runs: list[ConfigRun], path: Path) -> None:
    """One testsuite per configuration, one testcase per test."""
    suites = ET.Element("testsuites")
    for r in runs:
        passed, failed, skipped, _ = totals([r])
        suite = ET.SubElement(suites, "testsuite", name=r.config, tests=str(len(r.outcomes)),
                              failures=str(failed), skipped=str(skipped), errors="0",
                              time=f"{r.seconds:.3f}")
        for o in r.outcomes:
            case = ET.SubElement(suite, "testcase", classname=f"vtdtest.{r.config}", name=o.name)
            _junit_verdict(case, o)
    ET.indent(suites)
    ET.ElementTree(suites).write(path, encoding="utf-8", xml_declaration=True)


def _junit_verdict(case: ET.Element, o: Outcome) -> None:
    if o.verdict == FAIL:
        failure = ET.SubElement(case, "failure", message=o.reason or "failed")
        failure.text = "\n".join(o.diagnostics)
    elif o.verdict == SKIP:
        ET.SubElement(case, "skipped", message=o.reason)
    elif o.verdict == KNOWN:
        ET.SubElement(case, "skipped", message=f"known deviation: {o.reason}")
    elif o.verdict == XPASS:
        ET.SubElement(case, "system-out").text = o.reason


def write_tap(runs: list[ConfigRun], path: Path) -> None:
    """All configurations as one TAP 14 stream, tests named CONFIG/TEST.  Known deviations
    are TODO, which TAP consumers already treat as expected failures."""
    outcomes = [o for r in runs for o in r.outcomes]
    lines = ["TAP version 14", f"1..{len(outcomes)}"]
    for number, o in enumerate(outcomes, 1):
        ok = "not ok" if o.verdict in (FAIL, KNOWN) else "ok"
        directive = {SKIP: " # SKIP", KNOWN: " # TODO", XPASS: " # TODO"}.get(o.verdict, "")
        reason = f" {o.reason}" if directive and o.reason else ""
        lines.append(f"{ok} {number} - {o.config}/{o.name}{directive}{reason}")
        if o.verdict == FAIL:
            lines += ["# " + line for line in [o.reason, *o.diagnostics] if line]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
