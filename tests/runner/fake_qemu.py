#!/usr/bin/python3
"""A stand-in for qemu-system-x86_64 that plays the guest's side of the serial protocol, so
tests/runner_selftest.py can exercise the runner without an image or an emulator.

FAKE_GUEST    the test table, "name=behaviour,..." with behaviour one of pass, fail, skip,
              crash (reset: QEMU exits 0), hang (with a child process, to check that the
              whole group dies), abort (the guest exits HARNESS_ERROR mid-test),
              qemuabort (QEMU's hw_error(): its message, a register dump, SIGABRT)
FAKE_EXIT     exit code when no test failed (default 0)
FAKE_BOOT     notap: die like QEMU on a bad option; reset: triple fault before any TAP;
              fwexception: OVMF's CPU exception dump, then hang like OVMF does;
              early: reset after the plan, before any test
FAKE_PLAN     plan count to print instead of the real one
FAKE_RESUME   ignore: start over despite resume-after; skip: report skipped-over tests as SKIP
FAKE_LOG      append this invocation's argv, one JSON list a line
FAKE_PIDS     append the pids of a hanging guest and its child
FAKE_VERSION  what --version reports (default 7.2.0)
"""

import json
import os
import subprocess
import sys
import time

NOISE = "\x1b[2J\x1b[01;01HBdsDxe: loading Boot0001\r\n\x1b[=3h"


def main(argv: list[str]) -> int:
    if argv == ["--version"]:
        print(f"QEMU emulator version {os.environ.get('FAKE_VERSION', '7.2.0')}")
        return 0
    if log := os.environ.get("FAKE_LOG"):
        with open(log, "a") as f:
            f.write(json.dumps(argv) + "\n")
    opts = dict(zip(argv, argv[1:]))
    with open(opts["-serial"].removeprefix("file:"), "w", newline="") as serial:
        return boot(serial, dict(w.partition("=")[::2] for w in opts["-append"].split()))


def boot(serial, args: dict[str, str]) -> int:
    def say(line: str) -> None:
        serial.write(line + "\r\n")
        serial.flush()

    mode = os.environ.get("FAKE_BOOT", "")
    if mode == "notap":
        print("qemu-system-x86_64: -device bogus: 'bogus' is not a valid device model name",
              file=sys.stderr)
        return 1
    serial.write(NOISE)
    if mode == "reset":
        return 0
    if mode == "fwexception":
        say("!!!! X64 Exception Type - 06(#UD - Invalid Opcode)  CPU Apic ID - 00000000 !!!!")
        time.sleep(60)
        return 0
    tests = select(args)
    say("TAP version 14")
    say("# vtdtest fake")
    if "list" in args:
        for name, _ in tests:
            say(f"# list: {name} | confirms {name} | VT-d 1.0")
        return 1
    say(f"1..{os.environ.get('FAKE_PLAN', len(tests))}")
    if mode == "early":
        return 0
    failed = False
    for number, (name, behaviour) in enumerate(tests, 1):
        if behaviour == "resumed":
            say(f"ok {number} - {name} # SKIP resumed")
            continue
        say(f"# run: {name}")
        failed |= run_test(say, number, name, behaviour)
    code = 1 if failed else int(os.environ.get("FAKE_EXIT", "0"))
    say(f"# exit: {code}")
    return code << 1 | 1


def run_test(say, number: int, name: str, behaviour: str) -> bool:
    """Print one test's output; end the process for crash, hang and abort.  True if failed."""
    if behaviour == "pass":
        say(f"ok {number} - {name}")
    elif behaviour == "skip":
        say(f"ok {number} - {name} # SKIP not advertised")
    elif behaviour == "fail":
        say("#   expected: 0")
        say("#   seen: 0x10")
        say(f"not ok {number} - {name}")
        say("  ---")
        say('  spec: "VT-d 8.3"')
        say("  ...")
        return True
    elif behaviour == "crash":
        say("# about to fault")
        sys.exit(0)
    elif behaviour == "abort":
        sys.exit(4 << 1 | 1)
    elif behaviour == "qemuabort":
        print("qemu: hardware error: EDU: DMA range 0x40000-0x40fff out of bounds",
              file=sys.stderr)
        for n in range(40):
            print(f"R{n:02}=0000000000000000", file=sys.stderr)
        sys.stderr.flush()
        os.abort()
    elif behaviour == "hang":
        hang()
    return False


def hang() -> None:
    child = subprocess.Popen(["sleep", "600"])
    if pids := os.environ.get("FAKE_PIDS"):
        with open(pids, "a") as f:
            f.write(f"{os.getpid()} {child.pid}\n")
    print("fake: guest stopped responding", file=sys.stderr, flush=True)
    time.sleep(600)


def select(args: dict[str, str]) -> list[tuple[str, str]]:
    """The table after tests=, exclude= and resume-after=, as the real guest does it."""
    table = [tuple(t.split("=")) for t in os.environ.get("FAKE_GUEST", "").split(",") if t]
    wanted = [p for p in args.get("tests", "").split(",") if p]
    unwanted = [p for p in args.get("exclude", "").split(",") if p]
    table = [t for t in table if (not wanted or matches(t[0], wanted))
             and not matches(t[0], unwanted)]
    resume = args.get("resume-after")
    if resume and os.environ.get("FAKE_RESUME") != "ignore":
        names = [name for name, _ in table]
        done = names.index(resume) + 1
        skipped = [(n, "resumed") for n, _ in table[:done]]
        return (skipped if os.environ.get("FAKE_RESUME") == "skip" else []) + table[done:]
    return table


def matches(name: str, patterns: list[str]) -> bool:
    return any(name == p or name.startswith(p.rstrip("*")) and p[-1] in ".*"
               or name.startswith(p + ".") for p in patterns)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
