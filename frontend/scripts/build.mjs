/**
 * The package build: `dist/` holds the JavaScript, declarations and source maps of src/ and of
 * the generated protocol it imports, and the TypeScript sources the maps point to.
 *
 *   dist/index.js, dist/react/index.js, dist/validators.js   the entry points
 *   dist/generated/*.js                                     generated/typescript, compiled
 *   dist/src/**.ts(x), dist/src/generated/*.ts              the sources (maps: "src/index.ts")
 *
 * src/ imports the generated code from the repository (`../../generated/typescript/...`), a path
 * outside the package. The build copies src/ and generated/typescript into dist/src, pointing
 * those imports at dist/src/generated, and compiles that copy, so every path in the package
 * (imports, declarations, maps) stays inside it.
 *
 *   node scripts/build.mjs [out-dir]
 *
 * builds into out-dir instead of dist/, a directory inside the package (where the compile finds
 * the package's `"type": "module"` and react): the browser tests build their own copy under
 * test-results/, so that a concurrent `npm pack` cannot remove the files they serve.
 */
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const PACKAGE = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const SOURCES = join(PACKAGE, "src");
const GENERATED = resolve(PACKAGE, "..", "generated", "typescript");
const DIST = process.argv[2] === undefined ? join(PACKAGE, "dist") : resolve(process.argv[2]);
const STAGED = join(DIST, "src");
const STAGED_GENERATED = join(STAGED, "generated");

/**
 * A relative module specifier: of an `import`/`export ... from` statement (at the start of a
 * line) or of a dynamic `import()`. Strings elsewhere (log messages) are left alone.
 */
const RELATIVE_IMPORT = /(^(?:import|export)\s[^;]*?\bfrom\s+|\bimport\(\s*)(["'])(\.\.?\/[^"']+)\2/gm;

/** Every file under dir, as absolute paths. */
function filesUnder(dir) {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

function inside(dir, path) {
  return path === dir || path.startsWith(dir + sep);
}

/**
 * The specifier `specifier` of the file at `from` (in src/), as seen from `to` (its copy).
 * Throws when it leaves src/ for anything but the generated protocol: the package would not have it.
 */
function restage(specifier, from, to) {
  const target = resolve(dirname(from), specifier);
  if (inside(SOURCES, target)) return specifier;
  if (!inside(GENERATED, target)) {
    throw new Error(`${relative(PACKAGE, from)} imports ${specifier}, outside src/ and generated/typescript`);
  }
  const staged = relative(dirname(to), join(STAGED_GENERATED, relative(GENERATED, target))).split(sep).join("/");
  return staged.startsWith(".") ? staged : `./${staged}`;
}

function stageSources() {
  mkdirSync(STAGED_GENERATED, { recursive: true });
  for (const from of filesUnder(SOURCES)) {
    const to = join(STAGED, relative(SOURCES, from));
    const text = readFileSync(from, "utf8").replace(
      RELATIVE_IMPORT,
      (_, keyword, quote, specifier) => `${keyword}${quote}${restage(specifier, from, to)}${quote}`,
    );
    mkdirSync(dirname(to), { recursive: true });
    writeFileSync(to, text);
  }
  cpSync(GENERATED, STAGED_GENERATED, { recursive: true });
}

/** tsconfig.build.json pointed at DIST, for the length of the compile. */
function writeProject() {
  const project = join(DIST, "tsconfig.build.json");
  const compilerOptions = { rootDir: STAGED, outDir: DIST };
  writeFileSync(project, JSON.stringify({ extends: join(PACKAGE, "tsconfig.build.json"), compilerOptions, include: [STAGED] }));
  return project;
}

if (!inside(PACKAGE, DIST) || DIST === PACKAGE) throw new Error(`${DIST}: the output directory must be inside ${PACKAGE}`);
rmSync(DIST, { recursive: true, force: true });
stageSources();
const project = writeProject();
try {
  execFileSync(process.execPath, [join(PACKAGE, "..", "node_modules", "typescript", "bin", "tsc"), "-p", project], {
    cwd: PACKAGE,
    stdio: "inherit",
  });
} finally {
  rmSync(project);
}
