"""`python -m codegen [--check]`: regenerate generated/, or fail when it has drifted."""

from __future__ import annotations

import argparse
import difflib
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

from .asyncapi import generate_asyncapi
from .python import generate_python
from .schemas import ENTRY_SCHEMA, load_protocol, write_unions
from .typescript import generate_typescript

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = PROJECT_ROOT / "schemas"
GENERATED = PROJECT_ROOT / "generated"


def generate(out_dir: Path) -> None:
    """Write the Python, TypeScript and AsyncAPI outputs under out_dir."""
    protocol = load_protocol(SCHEMAS)
    version = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"]["version"]
    generate_python(protocol, out_dir / "python", PROJECT_ROOT)
    generate_typescript(protocol, out_dir / "typescript", PROJECT_ROOT)
    generate_asyncapi(protocol, out_dir / "asyncapi", version)


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


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m codegen", description=__doc__)
    parser.add_argument("--check", action="store_true",
                        help="regenerate into a temporary folder and fail if generated/ differs")
    args = parser.parse_args()
    # The entry schema's unions list the files of schemas/server and schemas/client: `make codegen`
    # writes them, `--check` fails when they differ (load_protocol names the file).
    if not args.check and write_unions(SCHEMAS):
        print(f"schemas/{ENTRY_SCHEMA}: unions rewritten from the files of schemas/server and schemas/client.")
    with tempfile.TemporaryDirectory(prefix="notifyhub-codegen-") as tmp:
        fresh = Path(tmp) / "generated"
        generate(fresh)
        type_check(fresh / "typescript")
        if args.check:
            diff = drift(fresh, GENERATED)
            if diff:
                sys.stdout.writelines(diff)
                print("\ngenerated/ is out of date with schemas/: run `make codegen`.", file=sys.stderr)
                return 1
            print("generated/ matches schemas/.")
            return 0
        shutil.rmtree(GENERATED, ignore_errors=True)
        shutil.copytree(fresh, GENERATED, ignore=shutil.ignore_patterns("__pycache__"))
    print(f"generated/ written from {SCHEMAS.relative_to(PROJECT_ROOT)}/.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
