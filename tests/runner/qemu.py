"""Boot the guest once in QEMU and collect what it printed.

Serial goes to a file, not a pipe: a file keeps every byte even when QEMU is killed.
"""

import array
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from . import process
from .manifest import Config

DEBUG_EXIT_PORT = "0xf4"

# The guest's clocks (TSC, PM timer, HPET, LAPIC timer) run on QEMU's virtual clock, here
# counted in instructions: each takes 2^7 ns, and sleep=off never lets virtual time wait for
# real time.  The edu device ends every DMA 100 ms of virtual time after it starts, and the
# VT-d tests mostly wait (DMAs, late faults, command timeouts), so virtual time runs ahead of
# real time.  Measured with QEMU 7.2 under TCG on 2 host CPUs, tests/run seconds:
#                          no -icount   shift=7,sleep=off   shift=8,sleep=off   shift=auto
#   default (70 tests)         16             6.4                 5.7          9 (22 tests)
#   --all-configs (6)          69            34
#   40 edu DMAs, added          4.3           2                   ~0
# (shift=3 and 5 take 26 and 11 s for the 40 DMAs: slower than no -icount at all.)
# Waiting in hlt would let sleep=off skip idle time outright: with -smp 1, 40 DMAs awaited in
# hlt for their MSI cost nothing measurable, but with -smp 2 as much as spinning (the second
# vCPU, left to OVMF, is never idle as TCG sees it).
# The price: computing is slow in virtual time (8 M instructions per virtual second), and
# the per-test watchdogs and wait_until() bounds are virtual.  Filling and checking a 2 MiB
# pattern buffer takes 5.4 s of virtual time at shift=7 (54 ms without -icount) and trips
# the 10 s watchdog at shift=8; today's tests spend at most 35 ms of virtual time computing.
# Also checked at shift=7: OVMF boots; the TSC calibrates to 1000016 kHz (1 GHz virtual)
# against the PM timer; the watchdog and reset self-tests still fire; and per-test virtual
# times repeat from run to run to within about 1 ms (NVMe I/O finishes in real time).
# -icount runs the two vCPUs round-robin on one host thread (no MTTCG).
ICOUNT = "shift=7,sleep=off"

# Disk images are not left zero: a read that never happened would look like one that did.
# The little-endian 64-bit word at byte offset o holds IMAGE_TAG | o ("vtd" in the top three
# bytes); tests/conformance/runner_image.h mirrors this for the guest.
IMAGE_TAG = 0x7674640000000000
_IMAGE_CHUNK = 1 << 20


@dataclass(frozen=True)
class Emulator:
    qemu: str
    ovmf_code: str
    ovmf_vars: str  # template; each boot gets its own copy
    kernel: Path


@dataclass
class Boot:
    status: int | None  # QEMU's exit status; None: killed (a hang, or a firmware exception)
    serial: str
    stderr: str
    seconds: float
    firmware_exception: bool = False  # OVMF printed its CPU exception dump, and hangs there


# What OVMF prints on a CPU exception before it halts for good (our loader's, or its own)
FIRMWARE_EXCEPTION = b"!!!! X64 Exception Type"


def version(qemu: str) -> str | None:
    """major.minor of the emulator, which picks the expectations file; None if unknown."""
    try:
        out = subprocess.run([qemu, "--version"], capture_output=True, text=True, timeout=30,
                             stdin=subprocess.DEVNULL).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    m = re.search(r"version (\d+)\.(\d+)", out)
    return f"{m.group(1)}.{m.group(2)}" if m else None


def command(emu: Emulator, config: Config, guest_args: list[str], workdir: Path) -> list[str]:
    """The full QEMU command line for one boot whose files live in workdir."""
    vars_copy = workdir / "OVMF_VARS.fd"
    return [
        emu.qemu,
        "-machine", "q35,accel=tcg", "-cpu", "max", "-m", "512M", "-smp", "2",
        "-icount", ICOUNT,
        "-nodefaults", "-nographic", "-no-reboot", "-display", "none",
        "-drive", f"if=pflash,format=raw,unit=0,readonly=on,file={emu.ovmf_code}",
        "-drive", f"if=pflash,format=raw,unit=1,file={vars_copy}",
        "-kernel", str(emu.kernel), "-append", " ".join(guest_args),
        "-serial", f"file:{workdir / 'serial.log'}",
        "-device", f"isa-debug-exit,iobase={DEBUG_EXIT_PORT},iosize=0x04",
        *config.qemu_args(_image_paths(config, workdir)),
    ]


def boot(emu: Emulator, config: Config, guest_args: list[str], workdir: Path, timeout: float,
         echo: Callable[[str], None] | None = None) -> Boot:
    """Boot once from fresh firmware variables and fresh images, bounded by timeout."""
    workdir.mkdir(parents=True)
    shutil.copyfile(emu.ovmf_vars, workdir / "OVMF_VARS.fd")
    for name, size in config.images:
        fill_image(_image_paths(config, workdir)[name], size)
    cmd = command(emu, config, guest_args, workdir)
    (workdir / "command").write_text(" ".join(cmd) + "\n")
    serial, stderr = workdir / "serial.log", workdir / "qemu.log"
    end = process.run(cmd, cwd=workdir, output=stderr, watch=serial, timeout=timeout, echo=echo,
                      stop_on=FIRMWARE_EXCEPTION)
    return Boot(end.status, _read(serial), _read(stderr), end.seconds, end.stopped)


def fill_image(path: str, size: int) -> None:
    """Write a size-byte image holding the IMAGE_TAG | offset pattern (a partial last word
    keeps its low bytes)."""
    with open(path, "wb") as f:
        for start in range(0, size, _IMAGE_CHUNK):
            end = min(start + _IMAGE_CHUNK, size)
            words = array.array("Q", range(IMAGE_TAG + start, IMAGE_TAG + end, 8))
            if sys.byteorder != "little":
                words.byteswap()
            f.write(words.tobytes()[:end - start])


def _image_paths(config: Config, workdir: Path) -> dict[str, str]:
    return {name: os.fspath(workdir / f"{name}.img") for name, _ in config.images}


def _read(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8", "replace")
    except FileNotFoundError:
        return ""
