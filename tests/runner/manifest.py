"""Read tests/configs.ini, the manifest of QEMU configurations (its header explains the keys).

Configurations are data, not code, so adding one is adding a section.
"""

import configparser
import re
import shlex
from dataclasses import dataclass
from pathlib import Path

# Guest exit codes, written to isa-debug-exit (QEMU exits with (code << 1) | 1).
STATUS = {"PASS": 0, "FAIL": 1, "NO_DMAR": 2, "OTHER_IOMMU": 3, "HARNESS_ERROR": 4}
STATUS_NAME = {code: name for name, code in STATUS.items()}

_KEYS = {"description", "args", "expect", "timeout", "images"}
_SIZE = re.compile(r"^(\d+)([KMG]?)$")
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


class ManifestError(Exception):
    """The manifest is malformed; the message names the section and key."""


@dataclass(frozen=True)
class Config:
    name: str
    description: str
    args: tuple[str, ...]  # may hold {image} placeholders, see qemu_args()
    expect: int
    timeout: float
    images: tuple[tuple[str, int], ...]  # (name, size in bytes)

    def qemu_args(self, image_paths: dict[str, str]) -> list[str]:
        """The args with each {NAME} replaced by the path of that boot's image."""
        return [_PLACEHOLDER.sub(lambda m: image_paths[m.group(1)], a) for a in self.args]


def load(path: Path) -> dict[str, Config]:
    """All configurations in manifest order, validated so a typo fails before any boot."""
    parser = configparser.ConfigParser(interpolation=None)
    try:
        with open(path, encoding="utf-8") as f:
            parser.read_file(f)
    except (OSError, configparser.Error) as e:
        raise ManifestError(f"{path}: {e}") from e
    return {name: _config(name, parser[name]) for name in parser.sections()}


def _config(name: str, section: configparser.SectionProxy) -> Config:
    where = f"[{name}]"
    unknown = set(section) - _KEYS
    if unknown:
        raise ManifestError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    for key in ("description", "args"):
        if key not in section:
            raise ManifestError(f"{where}: missing '{key}'")
    expect = section.get("expect", "PASS")
    if expect not in STATUS or expect in ("FAIL", "HARNESS_ERROR"):
        raise ManifestError(f"{where}: expect = {expect}: use PASS, NO_DMAR or OTHER_IOMMU")
    try:
        timeout = float(section.get("timeout", "120"))
    except ValueError as e:
        raise ManifestError(f"{where}: timeout: {e}") from e
    images = tuple(_image(where, spec) for spec in section.get("images", "").split())
    args = tuple(shlex.split(section["args"]))
    names = {image for image, _ in images}
    for arg in args:
        for m in _PLACEHOLDER.finditer(arg):
            if m.group(1) not in names:
                raise ManifestError(f"{where}: args use {{{m.group(1)}}} but images lacks it")
    return Config(name, section["description"], args, STATUS[expect], timeout, images)


def _image(where: str, spec: str) -> tuple[str, int]:
    name, _, size = spec.partition(":")
    m = _SIZE.match(size)
    if not name.isidentifier() or not m:
        raise ManifestError(f"{where}: images: '{spec}' is not NAME:SIZE (e.g. nvm:1M)")
    return name, int(m.group(1)) << {"": 0, "K": 10, "M": 20, "G": 30}[m.group(2)]
