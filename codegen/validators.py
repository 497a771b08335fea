"""TypeScript validators: every message type's schema compiled to standalone code by ajv
(`codegen/validators.mjs`), so a client checks whole frames with no validator library at run time.

The string formats check the same grammars as the Python models (`codegen/templates/formats.py`).
"""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
from pathlib import Path

from .schemas import Protocol
from .typescript import HEADER

FORMATS_TEMPLATE = Path(__file__).resolve().parent / "templates" / "formats.py"

TYPES = '''
/** One problem ajv found: where (a JSON pointer into the frame) and what. */
export interface ValidationError {
  readonly instancePath: string;
  readonly keyword: string;
  readonly message?: string;
  readonly params: Readonly<Record<string, unknown>>;
}

/** Whether a frame is valid against its type's schema; the problems are left in `errors`. */
export interface FrameValidator {
  (frame: unknown): boolean;
  errors?: readonly ValidationError[] | null;
}
'''


def _format_patterns() -> dict[str, str]:
    spec = importlib.util.spec_from_file_location("notifyhub_codegen_formats", FORMATS_TEMPLATE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return {"uuid": module.UUID_PATTERN, "date-time": module.DATE_TIME_PATTERN, "uri": module.URI_PATTERN}


def _table(name: str, doc: str, prefix: str, types) -> str:
    rows = "".join(f"  {t.name}: {prefix}{t.name},\n" for t in types)
    return f"\n/** {doc} */\nexport const {name}: Readonly<Record<string, FrameValidator>> = {{\n{rows}}};\n"


def generate_validators(protocol: Protocol, out_dir: Path, project_root: Path) -> None:
    """Write `validators.ts`: `SERVER_MESSAGE_VALIDATORS` and `CLIENT_FRAME_VALIDATORS`, by type."""
    out_dir.mkdir(parents=True, exist_ok=True)
    exports = {**{f"server_{t.name}": t.path for t in protocol.server_types},
               **{f"client_{t.name}": t.path for t in protocol.client_types}}
    request = json.dumps({"exports": exports, "formats": _format_patterns()})
    code = out_dir / "validators.ts"
    command = ["node", str(project_root / "codegen" / "validators.mjs"), str(protocol.root), str(code)]
    result = subprocess.run(command, cwd=project_root, input=request, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"ajv could not compile the validators:\n{result.stderr}")
    # ajv's code is plain JavaScript: typed by the declarations below, not checked line by line.
    header = HEADER + "// @ts-nocheck\n"
    tables = (_table("SERVER_MESSAGE_VALIDATORS", "A validator for each message type the hub sends, by `type`.",
                     "server_", protocol.server_types)
              + _table("CLIENT_FRAME_VALIDATORS", "A validator for each frame type a client sends, by `type`.",
                       "client_", protocol.client_types))
    code.write_text(header + _private(code.read_text(encoding="utf-8")) + "\n" + TYPES + tables, encoding="utf-8")


def _private(ajv_code: str) -> str:
    """ajv's code with its per-type validators no longer exported: only the typed tables are, so
    the declarations compiled from this unchecked code expose nothing untyped."""
    return re.sub(r"^export (const \w+ = validate\d+;)$", r"\1", ajv_code, flags=re.MULTILINE)
