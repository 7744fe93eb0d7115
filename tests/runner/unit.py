"""Fold the host unit tests (`make -s unit`, which prints TAP 14) into the same report, as
configuration "host-unit", so `make check` ends in one line that covers everything."""

from pathlib import Path
from typing import Callable

from . import process, tap
from .outcome import FAIL, ConfigRun, merge, problem

CONFIG = "host-unit"
TIMEOUT = 600.0
TAIL_LINES = 15


def run_unit(make: str, root: Path, workdir: Path,
             echo: Callable[[str], None] | None = None) -> ConfigRun:
    workdir.mkdir(parents=True)
    log_path = workdir / "unit.log"
    end = process.run([make, "-s", "unit"], cwd=root, output=log_path, watch=log_path,
                      timeout=TIMEOUT, echo=echo)
    text = log_path.read_bytes().decode("utf-8", "replace")
    log = tap.parse(text)
    run = ConfigRun(CONFIG, boots=1, seconds=end.seconds)
    merge(run, log)
    tail = ["last output:"] + ["| " + line for line in text.splitlines()[-TAIL_LINES:]]
    if end.status is None:
        run.outcomes.append(problem(CONFIG, "[make]", f"still running after {TIMEOUT:g} s", tail))
    elif not log.found:
        reason = f"`make -s unit` printed no TAP (status {end.status})"
        run.outcomes.append(problem(CONFIG, "[make]", reason, tail))
    elif log.plan != len(log.results):
        reason = f"planned {log.plan}, reported {len(log.results)} results"
        run.outcomes.append(problem(CONFIG, "[plan]", reason, tail))
    elif end.status != 0 and not run.count(FAIL):
        reason = f"`make -s unit` failed (status {end.status}) but no test did"
        run.outcomes.append(problem(CONFIG, "[make]", reason, tail))
    return run
