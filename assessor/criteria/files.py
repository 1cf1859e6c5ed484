"""A version's files: read from and written to the criteria/ folder layout, and the main file
of a criteria version.

    reference/*.csv, reference/README.md     one reference version (all of them)
    factory/GZ-F-2024.yaml + cases/*.yaml    one criteria version: its set and the worked
                                             cases that name it (`criteria: GZ-F-2024`)

Names inside a version keep the folder (`factory/GZ-F-2024.yaml`, `cases/f01_….yaml`); a
reference version's names are bare (`carriers.csv`). Bytes are kept exactly, so that an export
writes back what was imported.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

SUBJECT_FOLDERS = ("factory", "park")
CASES = "cases/"
_ID = re.compile(r"^id:\s*(\S+)\s*$", re.M)
_CASE_CRITERIA = re.compile(r"^criteria:\s*(\S+)\s*$", re.M)


def read_text(path: Path) -> str:
    return path.read_bytes().decode("utf-8")


def reference_files(root: Path) -> dict[str, str]:
    folder = Path(root) / "reference"
    return {p.name: read_text(p) for p in sorted(folder.iterdir())
            if p.is_file() and p.suffix in (".csv", ".md")}


def criteria_files(root: Path) -> dict[str, dict[str, str]]:
    """Each criteria set's files by its id: the set and the cases that name it."""
    root = Path(root)
    sets: dict[str, dict[str, str]] = {}
    for folder in SUBJECT_FOLDERS:
        for path in sorted((root / folder).glob("*.yaml")):
            text = read_text(path)
            found = _ID.search(text)
            key = found.group(1).strip("'\"") if found else path.stem
            sets[key] = {f"{folder}/{path.name}": text}
    for path in sorted((root / "cases").glob("*.yaml")):
        text = read_text(path)
        found = _CASE_CRITERIA.search(text)
        key = found.group(1).strip("'\"") if found else None
        if key in sets:
            sets[key][f"{CASES}{path.name}"] = text
    return sets


def main_file(files: dict[str, str]) -> tuple[str, str]:
    """The criteria set's own file of a criteria version: (name, text)."""
    for name, text in files.items():
        if not name.startswith(CASES):
            return name, text
    raise KeyError("no criteria set file")


def cases(files: dict[str, str]) -> dict[str, str]:
    return {name: text for name, text in files.items() if name.startswith(CASES)}


def case_name(text: str) -> str:
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError:
        return ""
    return str(raw.get("name", "")) if isinstance(raw, dict) else ""


def write(files: dict[str, str], target: Path, *, reference: bool) -> list[Path]:
    """Write a version's files under `target` (a criteria/ folder), exactly as stored."""
    written = []
    for name, text in files.items():
        path = Path(target) / ("reference" if reference else "") / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
        written.append(path)
    return written


def renamed(files: dict[str, str], old_key: str, new_key: str, label: str) -> dict[str, str]:
    """A criteria version's files for a new version `new_key` (label `label`): the set's id and
    version lines changed in place (comments and everything else kept) and its cases renamed
    to name it."""
    name, text = main_file(files)
    text = _ID.sub(f"id: {new_key}", text, count=1)
    text = re.sub(r"^version:.*$", f'version: "{label}"', text, count=1, flags=re.M)
    out = {f"{name.split('/', 1)[0]}/{new_key}.yaml": text}
    for case, case_text in cases(files).items():
        out[case] = _CASE_CRITERIA.sub(f"criteria: {new_key}", case_text, count=1)
    return out
