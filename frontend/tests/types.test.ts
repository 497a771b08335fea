/**
 * The type-level test: payloads are narrowed by the message type, so misusing a field fails
 * `tsc`. It runs the real compiler on two fixtures, one that must pass and one whose marked lines
 * must fail with the marked error codes (and no other line may fail).
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";

const here = dirname(fileURLToPath(import.meta.url));
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
const project = join(here, "types", "tsconfig.json");
const fixtures = join(here, "types", "fixtures");

interface Diagnostic {
  readonly file: string;
  readonly line: number;
  readonly code: string;
  readonly text: string;
}

let exitCode: number;
let diagnostics: Diagnostic[];

beforeAll(async () => {
  const run = await promisify(execFile)(process.execPath, [tsc, "--noEmit", "--pretty", "false", "-p", project], {
    cwd: join(here, ".."),
  }).then(
    ({ stdout }) => ({ code: 0, stdout }),
    (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
  );
  exitCode = run.code;
  // e.g. tests/types/fixtures/misuse.ts(7,44): error TS2339: Property 'title' does not exist on type ...
  diagnostics = [...run.stdout.matchAll(/^(.+?)\((\d+),\d+\): error (TS\d+): (.*)$/gm)].map((match) => ({
    file: relative(fixtures, join(here, "..", match[1]!)),
    line: Number(match[2]),
    code: match[3]!,
    text: match[4]!,
  }));
  if (diagnostics.length === 0 && exitCode !== 0) throw new Error(`tsc failed without diagnostics:\n${run.stdout}`);
}, 120_000);

function expectedErrors(file: string): { line: number; code: string }[] {
  return readFileSync(join(fixtures, file), "utf8")
    .split("\n")
    .flatMap((text, index) => {
      const match = /\/\/ expect-error (TS\d+)/.exec(text);
      return match ? [{ line: index + 1, code: match[1]! }] : [];
    });
}

describe("payload types", () => {
  it("reject a misused payload field (tsc exits non-zero)", () => {
    // A developer who reads `title` off an OCR progress payload finds out at compile time.
    expect(exitCode).not.toBe(0);
    expect(diagnostics).toContainEqual(
      expect.objectContaining({
        file: "misuse.ts",
        code: "TS2339",
        text: "Property 'title' does not exist on type 'OcrProgressPayload'.",
      }),
    );
  });

  it("fail exactly the marked lines of misuse.ts", () => {
    const actual = diagnostics.filter((d) => d.file === "misuse.ts").map(({ line, code }) => ({ line, code }));
    expect(actual).toEqual(expectedErrors("misuse.ts"));
  });

  it("accept correct usage", () => {
    // Correct code, including both WebSocket constructors, compiles cleanly.
    expect(diagnostics.filter((d) => d.file !== "misuse.ts")).toEqual([]);
  });
});
