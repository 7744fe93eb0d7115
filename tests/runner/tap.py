"""Parse the TAP 14 the guest prints on serial (and `make unit` prints on stdout).

Protocol additions the host relies on:
  `# run: NAME`   printed just before a test starts, so a crash or hang can be blamed on it;
  diagnostics     the comment lines after `# run:` (or, without one, after the previous
                  result) up to the result, plus the YAML block that follows the result;
  `# list: NAME | what it confirms | spec section`   one per selected test, with guest arg
                  `list`, which runs nothing and prints no plan.
Everything before `TAP version 14` (firmware noise, possibly on the same line) is ignored.
"""

import re
from dataclasses import dataclass, field

HEADER = "TAP version 14"

_RESULT = re.compile(r"^(not ok|ok)\b\s*\d*\s*(?:-\s+)?(.*?)(?:\s+#\s*SKIP\b\s*(.*))?$")
_PLAN = re.compile(r"^1\.\.(\d+)")
_RUN = re.compile(r"^#\s*run:\s*(\S+)")
_LIST = re.compile(r"^#\s*list:\s*(.*)")


@dataclass
class Result:
    name: str
    status: str  # "pass", "fail" or "skip"
    reason: str = ""  # of a SKIP
    diagnostics: list[str] = field(default_factory=list)


@dataclass
class Log:
    found: bool = False  # the header was seen: the guest started talking
    plan: int | None = None
    results: list[Result] = field(default_factory=list)
    running: str | None = None  # the last `# run:` test with no result: what crashed
    pending: list[str] = field(default_factory=list)  # diagnostics not yet claimed by a result
    listed: list[str] = field(default_factory=list)  # `# list:` entries


def parse(text: str) -> Log:
    log = Log()
    start = text.find(HEADER)
    if start < 0:
        return log
    log.found = True
    in_yaml = False
    for line in text[start + len(HEADER):].splitlines()[1:]:
        line = line.rstrip("\r")
        if in_yaml:
            in_yaml = line.strip() != "..."
            if in_yaml:
                log.results[-1].diagnostics.append(line[2:] if line.startswith("  ") else line)
        elif line.strip() == "---" and line.startswith(" ") and log.results:
            in_yaml = True
        else:
            _line(log, line)
    return log


def _line(log: Log, line: str) -> None:
    """One line outside a YAML block; unknown lines are ignored as TAP 14 says."""
    if m := _RESULT.match(line):
        status = "skip" if m.group(3) is not None else "pass" if m.group(1) == "ok" else "fail"
        log.results.append(Result(m.group(2).strip(), status, (m.group(3) or "").strip(), log.pending))
        log.running, log.pending = None, []
    elif m := _PLAN.match(line):
        log.plan, log.pending = int(m.group(1)), []
    elif m := _RUN.match(line):
        log.running, log.pending = m.group(1), []
    elif m := _LIST.match(line):
        log.listed.append(m.group(1))
    elif line.startswith("#"):
        log.pending.append(line[2:] if line.startswith("# ") else line[1:])
