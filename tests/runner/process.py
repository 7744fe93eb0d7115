"""Run a child with a hard time bound, and make sure nothing it started outlives the run.

The child gets its own session, so on timeout, Ctrl-C or any exception the whole process
group is killed: a QEMU left behind would hold the serial file and a CPU forever.
"""

import os
import re
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

_GRACE = 3.0  # seconds between SIGTERM and SIGKILL
_POLL = 0.1
_ANSI = re.compile(r"\x1b(\[[0-9;?=]*[A-Za-z]|[()][A-Za-z0-9]|.)")


@dataclass
class Exit:
    status: int | None  # None: killed, because it ran out of time or printed stop_on
    seconds: float
    stopped: bool = False  # killed because `watch` showed stop_on


def plain(text: str) -> str:
    """Text without terminal escapes (OVMF clears the screen) or stray control bytes."""
    return "".join(c for c in _ANSI.sub("", text) if c >= " " or c in "\n\t")


def run(cmd: list[str], *, cwd: Path, output: Path, watch: Path, timeout: float,
        echo: Callable[[str], None] | None = None, stop_on: bytes | None = None) -> Exit:
    """Run cmd with stdout and stderr in `output`; feed new text of `watch` to echo, and
    end the run early once `watch` contains stop_on (a sign it can only hang from there)."""
    start = time.monotonic()
    with open(output, "wb") as out:
        proc = subprocess.Popen(cmd, cwd=cwd, stdin=subprocess.DEVNULL, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)
    try:
        status, stopped = _wait(proc, start + timeout, watch, echo, stop_on)
    finally:
        _kill_group(proc)
    return Exit(status, time.monotonic() - start, stopped)


def _wait(proc: subprocess.Popen, deadline: float, watch: Path,
          echo: Callable[[str], None] | None, stop_on: bytes | None) -> tuple[int | None, bool]:
    seen = 0
    while True:
        try:
            status = proc.wait(timeout=_POLL)
        except subprocess.TimeoutExpired:
            status = None
        stopped = status is None and stop_on is not None and _contains(watch, stop_on)
        done = status is not None or stopped or time.monotonic() >= deadline
        if echo:
            seen = _echo_new(watch, seen, echo, whole=done)
        if done:
            return status, stopped


def _contains(path: Path, needle: bytes) -> bool:
    try:
        return needle in path.read_bytes()
    except FileNotFoundError:
        return False


def _echo_new(path: Path, seen: int, echo: Callable[[str], None], whole: bool) -> int:
    """Echo what was added since `seen`; complete lines only, unless this is the end,
    so an escape sequence or UTF-8 character is never cut in two."""
    try:
        with open(path, "rb") as f:
            f.seek(seen)
            data = f.read()
    except FileNotFoundError:
        return seen
    if not whole:
        data = data[:data.rfind(b"\n") + 1]
    if data:
        echo(plain(data.decode("utf-8", "replace")))
    return seen + len(data)


def _kill_group(proc: subprocess.Popen) -> None:
    """End the child's whole group: politely, then for sure."""
    if proc.poll() is None:
        _signal_group(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=_GRACE)
        except subprocess.TimeoutExpired:
            pass
    _signal_group(proc.pid, signal.SIGKILL)
    proc.wait()


def _signal_group(pgid: int, sig: int) -> None:
    try:
        os.killpg(pgid, sig)
    except ProcessLookupError:
        pass
