/**
 * The package as an app gets it: `npm pack` (which builds it), then a fresh app in a temporary
 * directory outside the repository that installs the tarball with npm and builds against it.
 *
 * The app installs only the tarball from npm (`--offline`: the package has no dependencies, so
 * nothing is fetched); react, react-dom and their types are linked from this repository's
 * node_modules, and tsc and vite are this repository's, so the whole run takes seconds.
 */
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { repository } from "./hub.js";

const run = promisify(execFile);

export const PACKAGE_NAME = "@hailango/notifyhub-client";
export const FRONTEND = join(repository, "frontend");
const NODE_MODULES = join(repository, "node_modules");

/** Seconds any one step (pack, install, tsc, vite build) may take. */
const STEP_TIMEOUT_MS = 120_000;

/** What the app links from this repository instead of installing. */
const LINKED = ["react", "react-dom", "@types/react", "@types/react-dom"];

export interface PackedApp {
  /** The app's directory (a temporary directory; the caller removes it). */
  readonly root: string;
  /** The package as npm installed it: `<root>/node_modules/@hailango/notifyhub-client`. */
  readonly installed: string;
  /** The files npm put in the tarball, relative to the package root. */
  readonly packed: readonly string[];
}

async function step(command: string, args: readonly string[], cwd: string): Promise<string> {
  try {
    const { stdout } = await run(command, args, { cwd, timeout: STEP_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const { stdout = "", stderr = "" } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(" ")} failed in ${cwd}:\n${stdout}\n${stderr}`, { cause: error });
  }
}

/** Pack the package into a new temporary directory and install the tarball into an app there. */
export async function packAndInstall(): Promise<PackedApp> {
  const root = mkdtempSync(join(tmpdir(), "notifyhub-packed-app-"));
  const [pack] = JSON.parse(await step("npm", ["pack", "--json", "--pack-destination", root], FRONTEND)) as [
    { filename: string; files: { path: string }[] },
  ];
  writeFileSync(
    join(root, "package.json"),
    JSON.stringify({ name: "packed-app", private: true, type: "module", dependencies: { [PACKAGE_NAME]: `file:./${pack.filename}` } }),
  );
  await step("npm", ["install", "--offline", "--no-audit", "--no-fund", "--no-package-lock"], root);
  for (const name of LINKED) {
    mkdirSync(dirname(join(root, "node_modules", name)), { recursive: true });
    symlinkSync(join(NODE_MODULES, name), join(root, "node_modules", name), "dir");
  }
  return { root, installed: join(root, "node_modules", PACKAGE_NAME), packed: pack.files.map((f) => f.path) };
}

/** Write the app's files (paths relative to its root). */
export function writeApp(root: string, files: Readonly<Record<string, string>>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

/** `tsc -p <project>` from this repository; throws with the compiler's output when it reports errors. */
export async function typeCheck(root: string, project: string): Promise<void> {
  await step(process.execPath, [join(NODE_MODULES, "typescript", "bin", "tsc"), "-p", project], root);
}

/** `vite build` from this repository, in the app; returns the built files under dist/ and their text. */
export async function viteBuild(root: string): Promise<Map<string, string>> {
  await step(process.execPath, [join(NODE_MODULES, "vite", "bin", "vite.js"), "build", "--logLevel", "warn"], root);
  const dist = join(root, "dist");
  const files = new Map<string, string>();
  for (const entry of readdirSync(dist, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) {
      const path = join(entry.parentPath, entry.name);
      files.set(path.slice(dist.length + 1), readFileSync(path, "utf8"));
    }
  }
  return files;
}
