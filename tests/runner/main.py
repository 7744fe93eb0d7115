"""Build vtdtest, boot it in QEMU in each configuration of tests/configs.ini, and report.

The guest prints TAP 14 on serial and leaves through isa-debug-exit; this host driver reads
the serial log, blames a crash or hang on the test that was running and boots again past it,
marks known emulator deviations (tests/expectations/), and ends with the line
"N passed, N failed, N skipped".  Exit status: 0 all passed, 1 something failed, 2 the
runner could not start (bad options, manifest, build), 130 interrupted.

Environment: QEMU (emulator binary), OVMF_CODE and OVMF_VARS (firmware), MAKE.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))

from runner import expectations, manifest, qemu, report, session, tap, unit  # noqa: E402

MANIFEST = ROOT / "tests" / "configs.ini"
OVMF_CODE = "/usr/share/OVMF/OVMF_CODE_4M.fd"
OVMF_VARS = "/usr/share/OVMF/OVMF_VARS_4M.fd"


class UsageError(Exception):
    """Something the user must fix before anything can run."""


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="tests/run", description=__doc__.split("\n\n")[0])
    p.add_argument("--config", action="append", default=[], metavar="NAME",
                   help="run this configuration of tests/configs.ini (repeatable; "
                        "default: 'default')")
    p.add_argument("--all-configs", action="store_true", help="run every configuration")
    p.add_argument("--unit", action="store_true",
                   help="also run the host unit tests (make -s unit) as config host-unit")
    p.add_argument("--no-build", action="store_true", help="do not run make first")
    p.add_argument("--tests", action="append", default=[], metavar="PATTERN[,PATTERN]",
                   help="only these tests: exact name, prefix ending in '.' or '*', or area")
    p.add_argument("--exclude", action="append", default=[], metavar="PATTERN[,PATTERN]",
                   help="not these tests")
    p.add_argument("--timeout", type=float, metavar="SECONDS",
                   help="bound on one boot (default: the configuration's timeout)")
    p.add_argument("-v", "--verbose", action="store_true",
                   help="show the guest's serial output live and every test's diagnostics")
    p.add_argument("--junit", type=Path, metavar="FILE", help="write JUnit XML")
    p.add_argument("--tap", type=Path, metavar="FILE", help="write all results as one TAP")
    p.add_argument("--list", action="store_true", help="print the selected tests and exit")
    p.add_argument("--keep", action="store_true", help="keep the temp dir with serial logs")
    p.add_argument("--qemu", default=os.environ.get("QEMU", "qemu-system-x86_64"),
                   help="emulator binary (env QEMU)")
    p.add_argument("--kernel", type=Path, default=ROOT / "build" / "vtdtest.efi",
                   help="guest image (default: build/vtdtest.efi)")
    p.add_argument("--expectations", type=Path, metavar="FILE",
                   help="known deviations (default: tests/expectations/qemu-X.Y.txt)")
    p.add_argument("--guest-arg", action="append", default=[], metavar="KEY=VALUE",
                   help="extra guest command-line word, e.g. verbose=2 (repeatable)")
    return p.parse_args(argv)


def guest_args(args: argparse.Namespace) -> list[str]:
    """The guest command line this run selects (the runner adds exit= and resume-after=)."""
    words = [f"{key}={','.join(values)}" for key, values in
             (("tests", args.tests), ("exclude", args.exclude)) if values]
    words += args.guest_arg + (["list"] if args.list else [])
    for word in words:
        if not word or any(c.isspace() for c in word):
            raise UsageError(f"guest argument '{word}' must be one word")
    return words


def select_configs(args: argparse.Namespace) -> list[manifest.Config]:
    configs = manifest.load(MANIFEST)
    names = list(configs) if args.all_configs else args.config or ["default"]
    unknown = [n for n in names if n not in configs]
    if unknown:
        raise UsageError(f"unknown configuration(s) {', '.join(unknown)}; "
                         f"tests/configs.ini has {', '.join(configs)}")
    return [configs[n] for n in dict.fromkeys(names)]


def load_expectations(args: argparse.Namespace) -> tuple[list, str | None]:
    """The deviations for this emulator and the file's name as the summary shows it."""
    path = args.expectations
    if path is None:
        version = qemu.version(args.qemu)
        path = ROOT / "tests" / "expectations" / f"qemu-{version}.txt"
        if version is None or not path.exists():
            missing = f"no {_shown(path)}" if version else f"no version from {args.qemu}"
            print(f"note: {missing}: every deviation counts as a failure", file=sys.stderr)
            return [], None
    try:
        return expectations.load(path), _shown(path)
    except OSError as e:
        raise UsageError(f"expectations: {e}") from e


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def build(make: str) -> None:
    status = subprocess.run([make, "-s"], cwd=ROOT, stdin=subprocess.DEVNULL).returncode
    if status != 0:
        raise UsageError(f"build failed: '{make} -s' exited with status {status}")


def emulator(args: argparse.Namespace) -> qemu.Emulator:
    if not args.kernel.is_file():
        raise UsageError(f"no guest image {args.kernel}: build it first (make), or --kernel")
    return qemu.Emulator(args.qemu, os.environ.get("OVMF_CODE", OVMF_CODE),
                         os.environ.get("OVMF_VARS", OVMF_VARS), args.kernel)


def echo_if(verbose: bool):
    def echo(text: str) -> None:
        sys.stdout.write(text)
        sys.stdout.flush()
    return echo if verbose else None


def list_tests(args, config, words, workdir) -> int:
    """Boot once with `list`: the guest prints `# list: NAME | confirms | spec` for each
    selected test, runs none, and exits PASS."""
    timeout = args.timeout or config.timeout
    boot = qemu.boot(emulator(args), config, ["exit=qemu", *words], workdir / "list", timeout,
                     echo_if(args.verbose))
    log = tap.parse(boot.serial)
    for entry in log.listed:
        print(entry)
    if log.found and boot.status == 1:
        return 0
    print(f"tests/run: --list failed: {session.how_it_ended(boot, timeout)}", file=sys.stderr)
    for line in session.tail(boot):
        print("  " + line, file=sys.stderr)
    return 1


def run_all(args, configs, words, workdir) -> int:
    deviations, shown = load_expectations(args)
    emu = emulator(args)
    echo = echo_if(args.verbose)
    width = max(len(n) for n in [c.name for c in configs] + ([unit.CONFIG] if args.unit else []))
    runs = []
    if args.unit:
        runs.append(unit.run_unit(os.environ.get("MAKE", "make"), ROOT, workdir / unit.CONFIG,
                                  echo))
        report.print_run(runs[-1], width, args.verbose, sys.stdout)
    for config in configs:
        run = session.run_config(emu, config, words, args.timeout or config.timeout,
                                 workdir / config.name, echo)
        expectations.apply(run.outcomes, deviations)
        report.print_run(run, width, args.verbose, sys.stdout)
        runs.append(run)
    if args.junit:
        report.write_junit(runs, args.junit)
    if args.tap:
        report.write_tap(runs, args.tap)
    if args.keep:
        print(f"logs kept in {workdir}")
    report.print_summary(runs, shown, sys.stdout)
    return 1 if report.totals(runs)[1] else 0


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="vtdtest-"))
    try:
        words = guest_args(args)
        configs = select_configs(args)
        if not args.no_build:
            build(os.environ.get("MAKE", "make"))
        if args.list:
            return list_tests(args, configs[0], words, workdir)
        return run_all(args, configs, words, workdir)
    except (UsageError, manifest.ManifestError, expectations.ExpectationsError, OSError) as e:
        print(f"tests/run: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("tests/run: interrupted", file=sys.stderr)
        return 130
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
