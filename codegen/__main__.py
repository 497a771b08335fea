"""`python -m codegen [--check | --release [--major]]`: regenerate generated/; or fail when it has
drifted or schemas/ break the released protocol; or record schemas/ as the next released version."""

from __future__ import annotations

import argparse
import difflib
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from .asyncapi import generate_asyncapi
from .changelog import render_changelog
from .package_version import package_version_problems, set_package_version
from .python import PACKAGE, generate_python
from .release import LOCK_FILE, RELEASE_COMMAND, Review, read_lock, record_release, review, summary
from .schemas import ENTRY_SCHEMA, load_protocol, write_unions
from .typescript import generate_typescript
from .validators import generate_validators
from .versions import declared_version

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = PROJECT_ROOT / "schemas"
GENERATED = PROJECT_ROOT / "generated"
LOCK = PROJECT_ROOT / LOCK_FILE
CHANGELOG = "protocol-changelog.md"


def generate(out_dir: Path) -> None:
    """Write the Python, TypeScript and AsyncAPI outputs and the protocol changelog under out_dir.

    Raises SystemExit when no released protocol is recorded.
    """
    protocol = load_protocol(SCHEMAS)
    lock = read_lock(LOCK)
    if lock is None:
        raise SystemExit(f"{LOCK_FILE} is missing: record the released protocol with `{RELEASE_COMMAND}`.")
    generate_python(protocol, out_dir / "python", PROJECT_ROOT)
    generate_typescript(protocol, out_dir / "typescript", PROJECT_ROOT)
    generate_validators(protocol, out_dir / "typescript", PROJECT_ROOT)
    generate_asyncapi(protocol, out_dir / "asyncapi", str(declared_version(protocol.entry)))
    # The hub serves this document (/api/v1/asyncapi.json): a copy in the Python package goes
    # wherever the package is installed.
    shutil.copyfile(out_dir / "asyncapi" / "asyncapi.json", out_dir / "python" / PACKAGE / "asyncapi.json")
    changelog = render_changelog(lock, review(SCHEMAS, lock), protocol.entry)
    (out_dir / CHANGELOG).write_text(changelog, encoding="utf-8")


def _files(root: Path) -> dict[str, Path]:
    return {
        p.relative_to(root).as_posix(): p
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def drift(expected_root: Path, actual_root: Path) -> list[str]:
    """A unified diff of every file that differs between the two trees."""
    expected, actual = _files(expected_root), _files(actual_root)
    lines: list[str] = []
    for name in sorted(expected.keys() | actual.keys()):
        want = expected[name].read_text().splitlines(keepends=True) if name in expected else []
        have = actual[name].read_text().splitlines(keepends=True) if name in actual else []
        if want != have:
            lines += difflib.unified_diff(have, want, f"generated/{name}", f"regenerated/{name}")
    return lines


def type_check(typescript_dir: Path) -> None:
    tsc = PROJECT_ROOT / "node_modules" / ".bin" / "tsc"
    files = [str(p) for p in sorted(typescript_dir.glob("*.ts"))]
    command = [str(tsc), "--strict", "--noEmit", "--target", "es2022", "--module", "nodenext",
               "--moduleResolution", "nodenext", *files]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"tsc --strict rejected the generated TypeScript:\n{result.stdout}")


def report(found: Review) -> None:
    """Each change since the released protocol, by kind, and whether schemas/ may be released."""
    if not found.changes:
        print(f"schemas/ are the released protocol {found.released}.")
        return
    print(f"schemas/ (declaring {found.declared}) against the released protocol {found.released}:")
    for kind, changes in summary(found.changes).items():
        print(f"  {kind}:")
        for change in changes:
            print(f"    {change.pointer}: {change.what}")
    for problem in found.problems():
        print(f"refused: {problem}", file=sys.stderr)


def check(fresh: Path) -> int:
    """1 when generated/ differs from fresh, schemas/ break the released protocol, or the npm
    package's version does not follow the protocol's; else 0."""
    diff = drift(fresh, GENERATED)
    if diff:
        sys.stdout.writelines(diff)
    found = review(SCHEMAS, read_lock(LOCK))
    report(found)
    if diff:
        print("generated/ is out of date with schemas/: run `make codegen`.", file=sys.stderr)
    package_problems = package_version_problems(PROJECT_ROOT, found.declared)
    for problem in package_problems:
        print(f"refused: {problem}", file=sys.stderr)
    if diff or found.problems() or package_problems:
        return 1
    print("generated/ matches schemas/.")
    return 0


def release(major: bool) -> int:
    """Record schemas/ as the next released version, then regenerate generated/ for it."""
    write_unions_from_files()
    try:
        released = record_release(SCHEMAS, LOCK, major)
    except ValueError as refusal:
        report(review(SCHEMAS, read_lock(LOCK)))
        print(f"nothing released: {refusal}", file=sys.stderr)
        return 1
    if released is None:
        print("schemas/ are the released protocol already: nothing to release.")
        return 0
    print(f"released protocol {released.version} ({len(released.changes)} change(s)) into {LOCK_FILE}.")
    print(f"the npm package is now version {set_package_version(PROJECT_ROOT, released.version)}.")
    return write_generated()


def write_unions_from_files() -> None:
    """The entry schema's unions list the files of schemas/server and schemas/client: `make
    codegen` writes them; `--check` fails when they differ (load_protocol names the file)."""
    if write_unions(SCHEMAS):
        print(f"schemas/{ENTRY_SCHEMA}: unions rewritten from the files of schemas/server and schemas/client.")


def write_generated() -> int:
    write_unions_from_files()
    with tempfile.TemporaryDirectory(prefix="notifyhub-codegen-") as tmp:
        fresh = Path(tmp) / "generated"
        generate(fresh)
        type_check(fresh / "typescript")
        shutil.rmtree(GENERATED, ignore_errors=True)
        shutil.copytree(fresh, GENERATED, ignore=shutil.ignore_patterns("__pycache__"))
    print(f"generated/ written from {SCHEMAS.relative_to(PROJECT_ROOT)}/.")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m codegen", description=__doc__)
    action = parser.add_mutually_exclusive_group()
    action.add_argument("--check", action="store_true",
                        help="fail if generated/ differs from what schemas/ produce, or if schemas/ make "
                             "a breaking change without a new major version")
    action.add_argument("--release", action="store_true",
                        help=f"record schemas/ in {LOCK_FILE} as the next version (minor for compatible "
                             "changes) and regenerate")
    parser.add_argument("--major", action="store_true",
                        help="with --release: release a new major version (required for breaking changes)")
    args = parser.parse_args()
    if args.major and not args.release:
        parser.error("--major goes with --release")
    if args.release:
        return release(args.major)
    if not args.check:
        return write_generated()
    with tempfile.TemporaryDirectory(prefix="notifyhub-codegen-") as tmp:
        fresh = Path(tmp) / "generated"
        generate(fresh)
        type_check(fresh / "typescript")
        return check(fresh)


if __name__ == "__main__":
    sys.exit(main())
