#!/usr/bin/python3
"""Tests of tests/run and tests/runner/, against runner/fake_qemu.py instead of a guest.

Run: python3 tests/runner_selftest.py  (or python3 -m unittest discover -s tests -p 'runner_*')
"""

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import unittest
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from runner import expectations, manifest, qemu, tap  # noqa: E402
from runner.outcome import FAIL, KNOWN, PASS, XPASS, Outcome  # noqa: E402

RUN = HERE / "runner" / "main.py"
FAKE = HERE / "runner" / "fake_qemu.py"

GUEST_TAP = """\x1b[2J\x1b[01;01HBdsDxe: starting\x1b[0mTAP version 14\r
# vtdtest 0.1\r
1..4\r
# run: dmar.checksum\r
ok 1 - dmar.checksum\r
# between tests\r
# run: dmar.drhd_base_aligned\r
#   expected: base & 0xfff == 0\r
#   seen: 0xfed90010\r
not ok 2 - dmar.drhd_base_aligned\r
  ---\r
  spec: "VT-d 4.1, 8.3"\r
  ...\r
ok 3 - ir.foo # SKIP interrupt remapping not advertised (ECAP.IR=0)\r
# run: qi.wait\r
#   queued\r
"""


class TapTest(unittest.TestCase):
    def test_results_statuses_and_skip_reason(self):
        log = tap.parse(GUEST_TAP)
        self.assertTrue(log.found)
        self.assertEqual(log.plan, 4)
        self.assertEqual([(r.name, r.status) for r in log.results],
                         [("dmar.checksum", "pass"), ("dmar.drhd_base_aligned", "fail"),
                          ("ir.foo", "skip")])
        self.assertEqual(log.results[2].reason, "interrupt remapping not advertised (ECAP.IR=0)")

    def test_diagnostics_are_the_comments_after_run_and_the_yaml(self):
        log = tap.parse(GUEST_TAP)
        self.assertEqual(log.results[0].diagnostics, [])
        self.assertEqual(log.results[1].diagnostics, ["  expected: base & 0xfff == 0",
                                                      "  seen: 0xfed90010", 'spec: "VT-d 4.1, 8.3"'])

    def test_unfinished_test_is_running(self):
        log = tap.parse(GUEST_TAP)
        self.assertEqual(log.running, "qi.wait")
        self.assertEqual(log.pending, ["  queued"])

    def test_without_run_lines_comments_before_a_result_are_its_diagnostics(self):
        log = tap.parse("TAP version 14\n1..2\nok 1 - a\n# why\nnot ok 2 - b\n2 passed, 0 failed")
        self.assertEqual(log.results[1].diagnostics, ["why"])
        self.assertIsNone(log.running)

    def test_list_entries(self):
        log = tap.parse("TAP version 14\n# list: dmar.a | the table exists | VT-d 8.1\n")
        self.assertEqual(log.listed, ["dmar.a | the table exists | VT-d 8.1"])
        self.assertIsNone(log.plan)

    def test_no_header_means_nothing_was_said(self):
        log = tap.parse("ok 1 - firmware noise\n")
        self.assertFalse(log.found)
        self.assertEqual(log.results, [])


class ManifestTest(unittest.TestCase):
    def load(self, text: str) -> dict:
        with tempfile.NamedTemporaryFile("w", suffix=".ini", delete=False) as f:
            f.write(text)
        self.addCleanup(os.unlink, f.name)
        return manifest.load(Path(f.name))

    def test_checked_in_manifest(self):
        configs = manifest.load(HERE / "configs.ini")
        iommu = {"default": "intel-iommu,intremap=on",
                 "aw48": "intel-iommu,intremap=on,aw-bits=48",
                 "cm": "intel-iommu,intremap=on,caching-mode=on",
                 "noir": "intel-iommu,intremap=off",
                 "nodmar": None, "amd": "amd-iommu"}
        self.assertEqual(list(configs), list(iommu))
        self.assertEqual([c.expect for c in configs.values()], [0, 0, 0, 0, 2, 3])
        def options(name):  # (option, value) pairs: every option here takes one
            return list(zip(configs[name].args[::2], configs[name].args[1::2]))
        devices = [o for o in options("default") if "iommu" not in o[1]]
        for name, device in iommu.items():
            self.assertEqual([o for o in options(name) if "iommu" in o[1]],
                             [("-device", device)] if device else [], name)
            self.assertEqual([o for o in options(name) if "iommu" not in o[1]], devices, name)
            self.assertEqual(configs[name].images, (("nvm", 1 << 20),), name)

    def test_images_fill_placeholders(self):
        c = self.load("[nvme]\ndescription = d\nargs = -drive file={nvm},if=none\n"
                      "images = nvm:1M\ntimeout = 5\n")["nvme"]
        self.assertEqual(c.images, (("nvm", 1 << 20),))
        self.assertEqual(c.qemu_args({"nvm": "/t/nvm.img"}), ["-drive", "file=/t/nvm.img,if=none"])
        self.assertEqual(c.timeout, 5)

    def test_mistakes_are_reported(self):
        for text in ("[a]\ndescription = d\nargs =\nexpekt = PASS\n",
                     "[a]\ndescription = d\nargs =\nexpect = FAIL\n",
                     "[a]\ndescription = d\nargs = file={disk}\n",
                     "[a]\ndescription = d\nargs =\nimages = disk\n",
                     "[a]\nargs =\n"):
            with self.subTest(text=text), self.assertRaises(manifest.ManifestError):
                self.load(text)


class ExpectationsTest(unittest.TestCase):
    def test_fail_becomes_known_pass_becomes_xpass_crash_stays(self):
        deviations = [expectations._parse("* a | VT-d 6.5 | ignores it", "x:1"),
                      expectations._parse("other b | VT-d 6.6 | ignores it", "x:2")]
        outcomes = [Outcome("default", "a", FAIL), Outcome("nodmar", "a", PASS),
                    Outcome("default", "b", FAIL), Outcome("cm", "a", FAIL, "crash")]
        expectations.apply(outcomes, deviations)
        self.assertEqual([o.verdict for o in outcomes], [KNOWN, XPASS, FAIL, FAIL])
        self.assertEqual(outcomes[0].reason, "VT-d 6.5: ignores it")

    def test_checked_in_file_parses_and_bad_line_is_reported(self):
        for d in expectations.load(HERE / "expectations" / "qemu-7.2.txt"):
            self.assertTrue(d.test and d.section and d.behaviour, d)
        with self.assertRaises(expectations.ExpectationsError):
            expectations._parse("default a.b only two | fields", "x:1")


class CommandTest(unittest.TestCase):
    def test_command_line_has_base_then_config_args(self):
        config = manifest.load(HERE / "configs.ini")["default"]
        emu = qemu.Emulator("qemu", "CODE.fd", "VARS.fd", Path("k.efi"))
        cmd = qemu.command(emu, config, ["exit=qemu", "tests=dmar"], Path("/w"))
        for pair in (["-append", "exit=qemu tests=dmar"], ["-kernel", "k.efi"],
                     ["-serial", "file:/w/serial.log"], ["-device", "intel-iommu,intremap=on"]):
            self.assertIn(pair, [cmd[i:i + 2] for i in range(len(cmd))])
        self.assertIn("if=pflash,format=raw,unit=1,file=/w/OVMF_VARS.fd", cmd)
        self.assertLess(cmd.index("-no-reboot"), cmd.index("intel-iommu,intremap=on"))

    def test_boot_makes_fresh_images_and_variables(self):
        config = manifest.Config("nvme", "d", ("-drive", "file={nvm}"), 0, 5, (("nvm", 4096),))
        with tempfile.TemporaryDirectory() as tmp:
            vars_fd = Path(tmp, "VARS.fd")
            vars_fd.write_bytes(b"vars")
            emu = qemu.Emulator(str(FAKE), "CODE.fd", str(vars_fd), Path("k.efi"))
            os.environ["FAKE_GUEST"] = "a=pass"
            try:
                boot = qemu.boot(emu, config, ["exit=qemu"], Path(tmp, "b"), 10)
            finally:
                del os.environ["FAKE_GUEST"]
            self.assertEqual(boot.status, 1)
            self.assertEqual(Path(tmp, "b", "nvm.img").stat().st_size, 4096)
            self.assertEqual(Path(tmp, "b", "nvm.img").read_bytes()[8:16],
                             (qemu.IMAGE_TAG | 8).to_bytes(8, "little"))
            self.assertEqual(Path(tmp, "b", "OVMF_VARS.fd").read_bytes(), b"vars")
            self.assertIn("ok 1 - a", boot.serial)

    def test_image_pattern_is_tag_or_offset_across_chunks(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "img")
            size = (1 << 20) + 20  # a second chunk ending in a partial word
            qemu.fill_image(path, size)
            data = Path(path).read_bytes()
        self.assertEqual(len(data), size)
        def word(off: int) -> bytes:
            return (0x7674640000000000 | off).to_bytes(8, "little")

        for off in (0, 8, (1 << 20) - 8, 1 << 20, (1 << 20) + 8):
            self.assertEqual(data[off:off + 8], word(off))
        self.assertEqual(data[-4:], word((1 << 20) + 16)[:4])


class RunnerTest(unittest.TestCase):
    """tests/run end to end, with the fake emulator."""

    def setUp(self):
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        self.tmp = Path(tmp.name)
        (self.tmp / "vtdtest.efi").write_bytes(b"MZ")
        (self.tmp / "VARS.fd").write_bytes(b"vars")
        self.argv_log = self.tmp / "argv.log"
        self.pids = self.tmp / "pids"
        self.env = dict(os.environ, QEMU=str(FAKE), OVMF_CODE="CODE.fd",
                        OVMF_VARS=str(self.tmp / "VARS.fd"), FAKE_LOG=str(self.argv_log),
                        FAKE_PIDS=str(self.pids))

    def run_tests(self, *args, status=None, **fake) -> list[str]:
        env = dict(self.env, **{f"FAKE_{k.upper()}": v for k, v in fake.items()})
        cmd = [sys.executable, str(RUN), "--no-build", "--kernel", str(self.tmp / "vtdtest.efi"),
               *args]
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
        if status is not None:
            self.assertEqual(proc.returncode, status, proc.stdout + proc.stderr)
        self.stderr = proc.stderr
        return proc.stdout.splitlines()

    def boots(self) -> list[str]:
        """The -append line of every boot so far."""
        argvs = [json.loads(line) for line in self.argv_log.read_text().splitlines()]
        return [argv[argv.index("-append") + 1] for argv in argvs]

    def test_all_pass(self):
        out = self.run_tests(status=0, guest="dmar.a=pass,dmar.b=pass,ir.c=skip")
        self.assertEqual(out[0], "PASS  default  dmar.a")
        self.assertIn("SKIP  default  ir.c (not advertised)", out)
        self.assertEqual(out[-1], "2 passed, 0 failed, 1 skipped")
        self.assertEqual(self.boots(), ["exit=qemu"])

    def test_failure_shows_diagnostics(self):
        out = self.run_tests(status=1, guest="dmar.a=pass,dmar.b=fail")
        i = out.index("FAIL  default  dmar.b")
        self.assertEqual(out[i + 1:i + 4], ["        expected: 0", "        seen: 0x10",
                                            '      spec: "VT-d 8.3"'])
        self.assertEqual(out[-1], "1 passed, 1 failed, 0 skipped")

    def test_crash_blames_the_test_and_resumes_after_it(self):
        out = self.run_tests(status=1, guest="a.x=pass,a.y=crash,a.z=pass,b.w=fail")
        self.assertIn("FAIL  default  a.y (crash)", out)
        self.assertIn("PASS  default  a.z", out)
        self.assertIn("FAIL  default  b.w", out)
        self.assertTrue(any("reset or triple-faulted" in line for line in out))
        self.assertIn("      | # about to fault", out)
        self.assertEqual(self.boots(), ["exit=qemu", "exit=qemu resume-after=a.y"])
        self.assertEqual(out[-1], "2 passed, 2 failed, 0 skipped")
        self.assertTrue(any(line.startswith("default: 2 passed, 2 failed, 0 skipped, 2 boots, ")
                            for line in out))

    def test_qemu_abort_is_the_test_s_crash_with_qemu_s_last_words(self):
        out = self.run_tests(status=1, guest="a.x=pass,a.y=qemuabort,a.z=pass")
        i = out.index("FAIL  default  a.y (crash)")
        self.assertEqual(out[i + 1], "      QEMU was killed by signal 6")
        self.assertIn("      | qemu: hardware error: EDU: DMA range 0x40000-0x40fff out of bounds",
                      out)
        self.assertIn("      | R39=0000000000000000", out)
        self.assertIn("PASS  default  a.z", out)
        self.assertEqual(self.boots(), ["exit=qemu", "exit=qemu resume-after=a.y"])
        self.assertEqual(out[-1], "2 passed, 1 failed, 0 skipped")

    def test_resumed_guest_may_report_skipped_over_tests(self):
        out = self.run_tests(status=1, guest="a.x=pass,a.y=crash,a.z=pass", resume="skip")
        self.assertEqual(out[-1], "2 passed, 1 failed, 0 skipped")

    def test_hang_is_killed_with_its_children_and_resumed(self):
        out = self.run_tests("--timeout", "1", status=1, guest="a.x=hang,a.y=pass")
        self.assertIn("FAIL  default  a.x (hang)", out)
        self.assertIn("      | fake: guest stopped responding", out)
        self.assertIn("PASS  default  a.y", out)
        self.assert_all_dead()

    def test_firmware_exception_ends_the_boot_at_once(self):
        start = time.monotonic()
        out = self.run_tests("--timeout", "30", status=1, guest="a.x=pass", boot="fwexception")
        self.assertLess(time.monotonic() - start, 20)
        self.assertTrue(any("the firmware reported a CPU exception" in line for line in out), out)

    def test_interrupt_kills_the_emulator(self):
        env = dict(self.env, FAKE_GUEST="a.x=hang")
        proc = subprocess.Popen([sys.executable, str(RUN), "--no-build", "--kernel",
                                 str(self.tmp / "vtdtest.efi")], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 20
        while not self.pids.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=30)
        self.assertEqual(proc.returncode, 130)
        self.assertIn(b"interrupted", err)
        self.assert_all_dead()

    def assert_all_dead(self):
        """Every pid the fake guest left is gone or a zombie (dead, awaiting init's reaping)."""
        for pid in self.pids.read_text().split():
            try:
                state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
            except FileNotFoundError:
                continue
            self.assertEqual(state, "Z", f"pid {pid} survived")

    def test_crash_before_any_test_is_a_boot_failure(self):
        out = self.run_tests(status=1, guest="a.x=pass", boot="early")
        self.assertIn("FAIL  default  [boot] (crash before any test ran)", out)
        self.assertEqual(len(self.boots()), 1)

    def test_emulator_error_is_a_boot_failure_with_its_message(self):
        out = self.run_tests(status=1, boot="notap")
        self.assertTrue(out[0].startswith("FAIL  default  [boot] (the guest printed no TAP"))
        self.assertIn("      | qemu-system-x86_64: -device bogus: 'bogus' is not a valid device "
                      "model name", out)
        self.assertEqual(out[-1], "0 passed, 1 failed, 0 skipped")

    def test_no_progress_stops_restarting(self):
        out = self.run_tests(status=1, guest="a.x=crash,a.y=pass", resume="ignore")
        self.assertIn("FAIL  default  [restart] (the guest stopped at a.x again after resuming "
                      "past it)", out)
        self.assertEqual(len(self.boots()), 2)

    def test_exit_mid_test_is_a_crash_of_that_test(self):
        out = self.run_tests(status=1, guest="a.x=abort,a.y=pass")
        self.assertIn("FAIL  default  a.x (crash)", out)
        self.assertTrue(any("the guest exited HARNESS_ERROR" in line for line in out))
        self.assertIn("PASS  default  a.y", out)

    def test_short_plan_fails(self):
        out = self.run_tests(status=1, guest="a.x=pass", plan="2")
        self.assertIn("FAIL  default  [plan] (the guest printed a plan of 2 but 1 results)", out)

    def test_exit_status_must_match_the_configuration(self):
        out = self.run_tests("--config", "nodmar", "--config", "amd", status=1,
                             guest="a.x=skip", exit="2")
        self.assertEqual(out[0], "SKIP  nodmar  a.x (not advertised)")
        self.assertFalse(any("nodmar  [exit]" in line for line in out))
        self.assertIn("FAIL  amd     [exit] (the guest exited NO_DMAR; this configuration "
                      "expects OTHER_IOMMU)", out)

    def test_all_configs_boot_each_configuration(self):
        out = self.run_tests("--all-configs", status=1, guest="a.x=pass")
        summaries = [line.split(":")[0] for line in out if " passed, " in line]
        names = list(manifest.load(HERE / "configs.ini"))
        self.assertEqual(summaries, names + [f"{len(names)} passed, 2 failed, 0 skipped"])
        argvs = [json.loads(line) for line in self.argv_log.read_text().splitlines()]
        self.assertIn("amd-iommu", argvs[names.index("amd")])

    def test_selection_is_passed_to_the_guest(self):
        out = self.run_tests("--tests", "dmar,ir.a", "--exclude", "dmar.b", "--guest-arg",
                             "verbose=2", status=0, guest="dmar.a=pass,dmar.b=pass,ir.a=pass,x.q=pass")
        self.assertEqual(self.boots(), ["exit=qemu tests=dmar,ir.a exclude=dmar.b verbose=2"])
        self.assertEqual(out[-1], "2 passed, 0 failed, 0 skipped")

    def test_list(self):
        out = self.run_tests("--list", "--tests", "dmar", status=0, guest="dmar.a=pass,ir.b=crash")
        self.assertEqual(out, ["dmar.a | confirms dmar.a | VT-d 1.0"])
        self.assertEqual(self.boots(), ["exit=qemu tests=dmar list"])

    def test_list_failure_says_why(self):
        out = self.run_tests("--list", status=1, boot="notap")
        self.assertEqual(out, [])
        self.assertIn("--list failed: QEMU exited with status 1", self.stderr)
        self.assertIn("'bogus' is not a valid device model name", self.stderr)

    def test_known_deviation_and_unexpected_pass(self):
        exp = self.tmp / "exp.txt"
        exp.write_text("# header\ndefault a.x | VT-d 6.5.2 | ignores the bit\n"
                       "* a.y | VT-d 9.1 | reports the wrong reason\n")
        out = self.run_tests("--expectations", str(exp), status=0,
                             guest="a.x=fail,a.y=pass,a.z=pass")
        self.assertIn("KNOWN default  a.x (VT-d 6.5.2: ignores the bit)", out)
        self.assertIn("XPASS default  a.y (unexpectedly passed — remove from expectations)", out)
        self.assertEqual(out[-6:], [f"Known deviations, counted as skipped ({exp}):",
                                    "  a.x [default]: VT-d 6.5.2: ignores the bit",
                                    "Unexpected passes, counted as passed:",
                                    "  a.y [default]: unexpectedly passed — remove from "
                                    "expectations",
                                    f"1 known deviation (see {exp})",
                                    "2 passed, 0 failed, 1 skipped"])

    def test_known_deviations_are_listed_once_with_their_configurations(self):
        exp = self.tmp / "exp.txt"
        exp.write_text("* a.x | VT-d 6.5.2 | ignores the bit\n")
        out = self.run_tests("--expectations", str(exp), "--config", "default", "--config",
                             "nodmar", status=0, guest="a.x=fail,a.y=pass", exit="2")
        self.assertTrue(any(line.startswith("default: 1 passed, 0 failed, 1 skipped (1 known), ")
                            for line in out), out)
        self.assertEqual(out[-4:], [f"Known deviations, counted as skipped ({exp}):",
                                    "  a.x [default, nodmar]: VT-d 6.5.2: ignores the bit",
                                    f"2 known deviations (see {exp})",
                                    "2 passed, 0 failed, 2 skipped"])

    def test_expectations_follow_the_emulator_version(self):
        self.run_tests(status=0, guest="a.x=pass", version="9.9.1")
        self.assertIn("note: no tests/expectations/qemu-9.9.txt", self.stderr)
        self.run_tests(status=0, guest="a.x=pass", version="7.2.5")
        self.assertNotIn("note:", self.stderr)

    def test_junit_and_tap_files(self):
        junit, tapfile = self.tmp / "r.xml", self.tmp / "r.tap"
        self.run_tests("--config", "default", "--config", "nodmar", "--junit", str(junit),
                       "--tap", str(tapfile), status=1, guest="a.x=pass,a.y=fail,a.z=skip")
        suites = ET.parse(junit).getroot().findall("testsuite")
        self.assertEqual([s.get("name") for s in suites], ["default", "nodmar"])
        cases = suites[0].findall("testcase")
        self.assertEqual([c.get("name") for c in cases], ["a.x", "a.y", "a.z"])
        self.assertIn("seen: 0x10", cases[1].find("failure").text)
        self.assertEqual(cases[2].find("skipped").get("message"), "not advertised")
        merged = tap.parse(tapfile.read_text())
        self.assertEqual(merged.plan, len(merged.results))
        self.assertIn("nodmar/a.y", [r.name for r in merged.results if r.status == "fail"])

    def test_unit_results_fold_in(self):
        make = self.tmp / "make"
        make.write_text("#!/bin/sh\n[ \"$*\" = '-s unit' ] || exit 9\n"
                        "printf 'cc noise\\nTAP version 14\\n1..2\\nok 1 - acpi.parse\\n"
                        "# bad length\\nnot ok 2 - dmar.parse\\n1 passed, 1 failed\\n'\nexit 2\n")
        make.chmod(0o755)
        self.env["MAKE"] = str(make)
        out = self.run_tests("--unit", status=1, guest="a.x=pass")
        self.assertEqual(out[:3], ["PASS  host-unit  acpi.parse", "FAIL  host-unit  dmar.parse",
                                   "      bad length"])
        self.assertEqual(out[-1], "2 passed, 1 failed, 0 skipped")

    def test_verbose_shows_plain_serial(self):
        out = self.run_tests("-v", status=0, guest="a.x=pass")
        self.assertIn("# vtdtest fake", out)
        self.assertFalse(any("\x1b" in line for line in out))

    def test_unknown_configuration(self):
        out = self.run_tests("--config", "nope", status=2)
        self.assertEqual(out, [])
        self.assertIn("unknown configuration(s) nope", self.stderr)



IMAGE = HERE.parent / "build" / "vtdtest.efi"


@unittest.skipUnless(IMAGE.is_file() and os.environ.get("VTDTEST_REAL_GUEST") != "0",
                     "needs the built image (make); VTDTEST_REAL_GUEST=0 skips")
class RealGuestTest(unittest.TestCase):
    """The real guest's harness self-tests (tests/conformance/harness.c), booted in QEMU:
    each misbehaves on purpose, and the runner must contain and report it."""

    def test_containment(self):
        proc = subprocess.run([sys.executable, str(RUN), "--no-build", "--tests", "harness"],
                              capture_output=True, text=True, timeout=300)
        out = proc.stdout.splitlines()
        self.assertEqual(proc.returncode, 1, proc.stdout + proc.stderr)
        results = [line for line in out if line.startswith(("FAIL ", "SKIP ", "PASS "))]
        self.assertEqual(results, [
            "PASS  default  harness.canary_catches_overrun",
            "FAIL  default  harness.check_fails",
            "FAIL  default  harness.exception",
            "FAIL  default  harness.watchdog",
            "FAIL  default  harness.reset (crash)",
            "SKIP  default  harness.skip (skipping on purpose)",
        ])
        self.assertTrue(any("expected: 0x2" in line for line in out), proc.stdout)
        self.assertTrue(any("#UD invalid opcode" in line for line in out), proc.stdout)
        self.assertTrue(any("timeout after 300 ms" in line for line in out), proc.stdout)
        self.assertEqual(out[-1], "1 passed, 4 failed, 1 skipped")

    def test_real_hardware_exit_resets(self):
        """Without exit=qemu the guest leaves as on a real machine: results, a delay,
        then a platform reset, which QEMU's -no-reboot turns into exit status 0."""
        config = manifest.load(HERE / "configs.ini")["default"]
        emu = qemu.Emulator(os.environ.get("QEMU", "qemu-system-x86_64"),
                            "/usr/share/OVMF/OVMF_CODE_4M.fd", "/usr/share/OVMF/OVMF_VARS_4M.fd",
                            IMAGE)
        with tempfile.TemporaryDirectory() as tmp:
            boot = qemu.boot(emu, config, ["tests=acpi", "reset-delay=1"], Path(tmp, "b"), 120)
        self.assertEqual(boot.status, 0, boot.serial[-2000:])
        self.assertIn("# resetting in 1 s (status 0)", boot.serial)

if __name__ == "__main__":
    unittest.main()
