"""Run one configuration to the end: boot, and after a crash or hang blame the test that was
running and boot again past it (guest arg resume-after=NAME), so one crash hides nothing."""

from pathlib import Path
from typing import Callable

from . import process, qemu, tap
from .manifest import STATUS, STATUS_NAME, Config
from .outcome import FAIL, ConfigRun, Outcome, merge, problem

MAX_BOOTS = 21  # the first boot and up to 20 restarts
TAIL_LINES = 15


def run_config(emu: qemu.Emulator, config: Config, guest_args: list[str], timeout: float,
               workdir: Path, echo: Callable[[str], None] | None = None) -> ConfigRun:
    run = ConfigRun(config.name)
    resumed: set[str] = set()
    resume = None
    while True:
        run.boots += 1
        args = ["exit=qemu", *guest_args] + ([f"resume-after={resume}"] if resume else [])
        if echo:
            echo(f"# {config.name}: boot {run.boots}: -append '{' '.join(args)}'\n")
        boot = qemu.boot(emu, config, args, workdir / f"boot-{run.boots}", timeout, echo)
        run.seconds += boot.seconds
        log = tap.parse(boot.serial)
        merge(run, log)
        extra, resume = _judge(config, boot, log, timeout)
        _add(run, extra)
        if resume is None:
            return run
        if resume in resumed:
            return _give_up(run, f"the guest stopped at {resume} again after resuming past it")
        if run.boots == MAX_BOOTS:
            return _give_up(run, f"still crashing after {MAX_BOOTS} boots")
        resumed.add(resume)


def _add(run: ConfigRun, outcomes: list[Outcome]) -> None:
    seen = {o.name for o in run.outcomes}
    run.outcomes += [o for o in outcomes if o.name not in seen or o.name.startswith("[")]


def _give_up(run: ConfigRun, reason: str) -> ConfigRun:
    run.outcomes.append(problem(run.config, "[restart]", reason, []))
    return run


def _judge(config: Config, boot: qemu.Boot, log: tap.Log,
           timeout: float) -> tuple[list[Outcome], str | None]:
    """Problems this boot shows beyond its test results, and the test to resume after."""
    if not log.found:
        reason = f"the guest printed no TAP; {how_it_ended(boot, timeout)}"
        return [problem(config.name, "[boot]", reason, tail(boot))], None
    if _exit_code(boot) is None or log.running:
        return _stopped(config, boot, log, timeout)
    return _exited(config, boot, log), None


def _exit_code(boot: qemu.Boot) -> int | None:
    """The code the guest wrote to isa-debug-exit, or None if it did not exit that way."""
    odd = boot.status is not None and boot.status > 0 and boot.status % 2 == 1
    return boot.status >> 1 if odd else None


def _exited(config: Config, boot: qemu.Boot, log: tap.Log) -> list[Outcome]:
    """The guest ended through isa-debug-exit between tests: check its status and plan."""
    code = _exit_code(boot)
    failed = any(r.status == "fail" for r in log.results)
    if code == STATUS["HARNESS_ERROR"]:
        return [problem(config.name, "[harness]", "the guest reported a harness error",
                        tail(boot))]
    out = []
    if code != config.expect and not (code == STATUS["FAIL"] and failed):
        seen = STATUS_NAME.get(code, f"with unknown code {code}")
        reason = f"the guest exited {seen}; this configuration expects {STATUS_NAME[config.expect]}"
        out.append(problem(config.name, "[exit]", reason, tail(boot)))
    if log.plan != len(log.results):
        planned = "no plan" if log.plan is None else f"a plan of {log.plan}"
        reason = f"the guest printed {planned} but {len(log.results)} results"
        out.append(problem(config.name, "[plan]", reason, []))
    return out


def _stopped(config: Config, boot: qemu.Boot, log: tap.Log,
             timeout: float) -> tuple[list[Outcome], str | None]:
    """The guest crashed, hung or exited mid-test: blame the test it was running and resume
    after it."""
    kind = "hang" if boot.status is None else "crash"
    how = [how_it_ended(boot, timeout)]
    if log.running:
        diagnostics = how + log.pending + tail(boot)
        return [Outcome(config.name, log.running, FAIL, kind, diagnostics)], log.running
    if log.results:
        last = log.results[-1].name
        reason = f"{kind} after {last}, outside any test"
        return [problem(config.name, f"[{kind}]", reason, how + tail(boot))], last
    reason = f"{kind} before any test ran"
    return [problem(config.name, "[boot]", reason, how + tail(boot))], None


def how_it_ended(boot: qemu.Boot, timeout: float) -> str:
    if boot.firmware_exception:
        return "the firmware reported a CPU exception (its '!!!! X64 Exception' dump)"
    if boot.status is None:
        return f"QEMU was still running after {timeout:g} s and was killed"
    if boot.status < 0:
        return f"QEMU was killed by signal {-boot.status}"
    code = _exit_code(boot)
    if code is None:
        return f"QEMU exited with status {boot.status}: the guest reset or triple-faulted"
    if tap.HEADER not in boot.serial:  # QEMU's own errors exit 1 too
        return f"QEMU exited with status {boot.status}"
    return f"the guest exited {STATUS_NAME.get(code, code)} (QEMU status {boot.status})"


def tail(boot: qemu.Boot) -> list[str]:
    """QEMU's last lines of serial and stderr, which usually say what went wrong."""
    serial = [line for line in process.plain(boot.serial).splitlines() if line.strip()]
    stderr = [line for line in boot.stderr.splitlines() if line.strip()]
    # QEMU's hw_error() says why on its first line, then dumps every CPU's registers
    if len(stderr) > TAIL_LINES:
        stderr = stderr[:1] + ["..."] + stderr[-(TAIL_LINES - 1):]
    lines = serial[-TAIL_LINES:] + stderr
    return ["last output:"] + ["| " + line for line in lines] if lines else []
