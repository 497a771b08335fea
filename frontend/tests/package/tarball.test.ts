/**
 * The npm package as an app gets it: what `npm pack` puts in the tarball, and a fresh app outside
 * the repository that installs the tarball, type-checks and builds with vite against it.
 */
import { existsSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repository } from "../support/hub.js";
import { PROTOCOL_VERSION } from "../../src/types.js";
import { packAndInstall, typeCheck, viteBuild, writeApp, type PackedApp } from "../support/packedApp.js";

/** The pages whose TypeScript blocks are complete modules the app type-checks: the guide, the package's README and the project's. */
const PAGES = {
  guide: join(repository, "docs", "client-and-hooks.md"),
  readme: join(repository, "frontend", "README.md"),
  projectReadme: join(repository, "README.md"),
};

/** Pack, install, tsc twice and a vite build: seconds each, bounded by packedApp's step timeout. */
const SETUP_TIMEOUT_MS = 300_000;

/** A string of ajv's generated code, in no other module of the package. */
const VALIDATOR_MARKER = "must be equal to one of the allowed values";

/** An app using the client, the hooks and the generated types; `@ts-expect-error` proves they are not `any`. */
const APP = {
  "index.html": '<!doctype html><html><body><div id="root"></div><script type="module" src="/src/main.tsx"></script></body></html>\n',
  "src/main.tsx": `import { useState } from "react";
import { createRoot } from "react-dom/client";
import { PROTOCOL_VERSION, createClient, type MessageHandler, type NotificationPayload } from "@hailango/notifyhub-client";
import { WebSocketProvider, useNotification, useOCRProgress, useWebSocket } from "@hailango/notifyhub-client/react";

const onProgress: MessageHandler<"ocr_progress"> = (payload, message) => {
  console.log(message.seq, payload.processed_pages / payload.total_pages);
};

function Toasts() {
  const { state, connected } = useWebSocket();
  const [last, setLast] = useState<NotificationPayload>();
  useNotification((payload) => setLast(payload));
  useOCRProgress(onProgress);
  // @ts-expect-error a notification has no pages
  useNotification((payload) => console.log(payload.pages));
  return <p>{connected ? last?.title : state} (protocol {PROTOCOL_VERSION})</p>;
}

const client = createClient({ url: "ws://127.0.0.1:9/api/v1/ws", validateFrames: location.hostname === "localhost" });
createRoot(document.getElementById("root")!).render(
  <WebSocketProvider client={client} token="a-token">
    <Toasts />
  </WebSocketProvider>,
);
`,
  "src/sw.ts": `import { handleNotifyhubPush, type PushMessage } from "@hailango/notifyhub-client/service-worker";

const wording = (message: PushMessage) =>
  message.type === "book_ready" && !("payload_omitted" in message) ? { title: message.payload.title } : undefined;

// @ts-expect-error a book_ready payload has no due_count
const misread = (message: PushMessage) => (message.type === "book_ready" && !("payload_omitted" in message) ? message.payload.due_count : 0);

export const stop: () => void = handleNotifyhubPush({ notificationFor: wording, openOtherOrigins: false });
console.log(misread);
`,
  "tsconfig.json": tsconfig({ module: "ESNext", moduleResolution: "bundler" }),
  "tsconfig.nodenext.json": tsconfig({ module: "NodeNext", moduleResolution: "NodeNext" }),
};

function tsconfig(resolution: { module: string; moduleResolution: string }): string {
  const compilerOptions = {
    ...resolution,
    target: "ES2022",
    lib: ["ES2022", "DOM", "DOM.Iterable"],
    jsx: "react-jsx",
    strict: true,
    exactOptionalPropertyTypes: true,
    noEmit: true,
    skipLibCheck: false, // the package's declarations are checked too
    types: [],
  };
  return JSON.stringify({ compilerOptions, include: ["src"] }, null, 2);
}

/** Each ```ts / ```tsx block of the pages, as a module of the app: `src/<page>/block-<n>.<ts|tsx>`. */
function pageBlocks(): Record<string, string> {
  return Object.fromEntries(Object.entries(PAGES).flatMap(([page, path]) => {
    const blocks = [...readFileSync(path, "utf8").matchAll(/^```(tsx?)\n([\s\S]*?)^```$/gm)];
    return blocks.map(([, language, code], index) => [`src/${page}/block-${index + 1}.${language}`, code!]);
  }));
}

let app: PackedApp;

beforeAll(async () => {
  app = await packAndInstall();
  writeApp(app.root, { ...APP, ...pageBlocks() });
}, SETUP_TIMEOUT_MS);

afterAll(() => {
  if (app !== undefined) rmSync(app.root, { recursive: true, force: true });
});

/** Every file of the installed package, relative to its root. */
function installedFiles(): string[] {
  return readdirSync(app.installed, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(app.installed, join(entry.parentPath, entry.name)).split(sep).join("/"));
}

function inPackage(path: string): boolean {
  return path.startsWith(app.installed + sep) && existsSync(path);
}

function manifest(): Record<string, unknown> & { exports: Record<string, string | Record<string, string>> } {
  return JSON.parse(readFileSync(join(app.installed, "package.json"), "utf8"));
}

describe("the packed package", () => {
  it("is publishable: not private, a version of this protocol, a license, engines, react as an optional peer range", () => {
    // `npm publish` refuses a private package; an app's npm checks engines and peers.
    const pkg = manifest();
    expect(pkg.private).toBeUndefined();
    expect(pkg.name).toBe("@hailango/notifyhub-client");
    const [major, minor] = PROTOCOL_VERSION.split(".");
    expect(pkg.version).toMatch(new RegExp(`^${major}\\.${minor}\\.\\d+$`));
    expect(pkg.license).toEqual(expect.any(String));
    expect(pkg.engines).toEqual({ node: expect.stringMatching(/^>=\d+/) });
    expect(pkg.peerDependencies).toEqual({ react: expect.stringMatching(/^\^18\.[\d.]+ \|\| \^19\./) });
    expect(pkg.peerDependenciesMeta).toEqual({ react: { optional: true } });
    expect(pkg.dependencies).toBeUndefined(); // the validators are ajv's standalone code: no ajv at run time
  });

  it("holds the entry points at dist/ and the generated protocol inside the package, nothing else of the repository", () => {
    // An app imports dist/index.js, not dist/frontend/src/index.js; tests and demo stay home.
    expect(app.packed).toEqual(expect.arrayContaining([
      "dist/index.js", "dist/index.d.ts", "dist/react/index.js", "dist/react/index.d.ts",
      "dist/validators.js", "dist/serviceWorker.js", "dist/serviceWorker.d.ts",
      "dist/generated/protocol.js", "dist/generated/messages.d.ts",
      "dist/src/index.ts", "dist/src/generated/validators.ts",
    ]));
    expect(app.packed.filter((path) => !path.startsWith("dist/")).sort()).toEqual(["README.md", "package.json"]);
    expect(app.packed.filter((path) => /^dist\/(frontend|tests|demo|examples)\//.test(path))).toEqual([]);
    expect(installedFiles().sort()).toEqual([...app.packed].sort());
  });

  it("resolves every export's types and code to a file in the package", () => {
    const targets = Object.values(manifest().exports).flatMap((target) =>
      typeof target === "string" ? [target] : Object.values(target),
    );
    expect(targets).toContain("./dist/validators.d.ts");
    expect(targets).toContain("./dist/serviceWorker.d.ts");
    for (const target of targets) expect(inPackage(resolve(app.installed, target)), target).toBe(true);
  });

  it("has a source map for every .js and .d.ts, each of whose sources is a file in the package", () => {
    // A debugger or an editor's "go to definition" opens the TypeScript source, not a 404.
    const files = installedFiles();
    const code = files.filter((path) => path.endsWith(".js") || path.endsWith(".d.ts"));
    expect(code.length).toBeGreaterThan(40);
    for (const path of code) {
      const text = readFileSync(join(app.installed, path), "utf8");
      const url = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(text)?.[1];
      expect(url, `${path} names its map`).toBeDefined();
      const mapPath = resolve(dirname(join(app.installed, path)), url!);
      expect(inPackage(mapPath), `${path} -> ${url}`).toBe(true);
      const map = JSON.parse(readFileSync(mapPath, "utf8")) as { sources: string[]; sourceRoot?: string };
      expect(map.sources.length, mapPath).toBeGreaterThan(0);
      for (const source of map.sources) {
        const sourcePath = resolve(dirname(mapPath), map.sourceRoot ?? "", source);
        expect(inPackage(sourcePath), `${path}: ${source}`).toBe(true);
      }
    }
  });

  it("imports only files of its own, apart from react", () => {
    // No `../../generated/typescript` left over from the repository's layout.
    const specifier = /(?:^(?:import|export)\s[^;]*?\bfrom\s+|\bimport\(\s*)["']([^"']+)["']/gm;
    let checked = 0;
    for (const path of installedFiles().filter((p) => /\.(js|d\.ts)$/.test(p))) {
      const text = readFileSync(join(app.installed, path), "utf8");
      for (const [, imported] of text.matchAll(specifier)) {
        checked += 1;
        if (!imported!.startsWith(".")) {
          expect(imported, path).toMatch(/^react(\/jsx-runtime)?$/);
          continue;
        }
        const target = resolve(dirname(join(app.installed, path)), imported!.replace(/\.js$/, path.endsWith(".d.ts") ? ".d.ts" : ".js"));
        expect(inPackage(target), `${path} imports ${imported}`).toBe(true);
      }
    }
    expect(checked).toBeGreaterThan(50);
  });
});

describe("an app installing the tarball", () => {
  it("type-checks the client, the hooks, the service worker entry, the generated types and the documented examples, resolving as bundlers and as Node do", async () => {
    // The declarations are complete and strict-clean; a misuse of a payload is an error, not `any`;
    // every example in docs/client-and-hooks.md, frontend/README.md and README.md compiles as written.
    expect(Object.keys(pageBlocks()).filter((path) => path.startsWith("src/guide/")).length).toBeGreaterThanOrEqual(6);
    expect(Object.keys(pageBlocks())).toContain("src/readme/block-1.tsx");
    expect(Object.keys(pageBlocks())).toContain("src/projectReadme/block-1.tsx");
    await typeCheck(app.root, "tsconfig.json");
    await typeCheck(app.root, "tsconfig.nodenext.json");
  }, SETUP_TIMEOUT_MS);

  it("builds with vite, the generated validators in a chunk of their own that the entry only imports on demand", async () => {
    // An app without validateFrames does not download the validators (about 100 KB).
    const built = await viteBuild(app.root);
    const html = built.get("index.html")!;
    const entryName = /src="\.?\/?(assets\/[^"]+\.js)"/.exec(html)?.[1];
    const entry = built.get(entryName!)!;
    expect(entry).toContain("notifyhub: cannot load the frame validators"); // the client is in it
    expect(entry).not.toContain(VALIDATOR_MARKER);
    const validatorChunks = [...built].filter(([name, text]) => name !== entryName && text.includes(VALIDATOR_MARKER));
    expect(validatorChunks).toHaveLength(1);
    const [chunkName] = validatorChunks[0]!;
    expect(entry).toMatch(new RegExp(`import\\([^)]*${chunkName.split("/").pop()!.replace(/[.]/g, "\\.")}`));
    expect(html).not.toContain(chunkName);
  }, SETUP_TIMEOUT_MS);
});
