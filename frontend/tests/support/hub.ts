/**
 * A real notifyhub for Node tests: `notifyhub serve` as a child process on a free port, tokens
 * from `notifyhub token`, messages through `POST /api/v1/messages`.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

export const repository = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
export const NOTIFYHUB = join(repository, ".venv", "bin", "notifyhub");
export const hubAvailable = existsSync(NOTIFYHUB);

const SECRET = "frontend-tests-secret-0123456789abcdef";
export const SERVICE_KEY = "frontend-tests-service-key";
const ENV = {
  ...process.env,
  NOTIFYHUB_JWT_SECRET: SECRET,
  NOTIFYHUB_SERVICE_KEYS: SERVICE_KEY,
  NOTIFYHUB_BACKEND: "memory",
  NOTIFYHUB_SHUTDOWN_TIMEOUT_SECONDS: "2",
};

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

export class Hub {
  #process: ChildProcess | undefined;
  #output = "";

  /** `env`: NOTIFYHUB_* settings over the tests' defaults (e.g. the Redis backend). */
  constructor(
    readonly port: number,
    readonly env: Readonly<Record<string, string>> = {},
  ) {}

  get base(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get wsUrl(): string {
    return `ws://127.0.0.1:${this.port}/api/v1/ws`;
  }

  /** What the hub printed, for failure messages. */
  get output(): string {
    return this.#output;
  }

  /** Start the process and wait until `/healthz` answers. */
  async start(): Promise<void> {
    const child = spawn(NOTIFYHUB, ["serve", "--host", "127.0.0.1", "--port", String(this.port), "--log-level", "warning"], {
      env: { ...ENV, ...this.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.#process = child;
    child.stdout?.on("data", (chunk: Buffer) => (this.#output += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (this.#output += chunk.toString()));
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`notifyhub exited with ${child.exitCode}:\n${this.#output}`);
      try {
        if ((await fetch(`${this.base}/healthz`)).ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`notifyhub did not answer /healthz within 20 s:\n${this.#output}`);
  }

  /** SIGTERM (the hub closes every connection with 1012) and wait for the exit; SIGKILL after 10 s. */
  async stop(): Promise<void> {
    const child = this.#process;
    this.#process = undefined;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    await exited;
    clearTimeout(timer);
  }

  /** POST /api/v1/messages; returns the response body. */
  async publish(body: Record<string, unknown>): Promise<{ id: string; connections: number }> {
    const response = await fetch(`${this.base}/api/v1/messages`, {
      method: "POST",
      headers: { Authorization: `Bearer ${SERVICE_KEY}`, "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    const answer = (await response.json()) as { id: string; connections: number };
    if (response.status !== 202) throw new Error(`publish answered ${response.status}: ${JSON.stringify(answer)}`);
    return answer;
  }
}

/** A signed client token from the hub's own CLI. */
export async function mintToken(userId: string, ttlSeconds = 3600): Promise<string> {
  const { stdout } = await promisify(execFile)(
    NOTIFYHUB,
    ["token", "--user-id", userId, "--email", `${userId.slice(0, 8)}@example.com`, "--ttl", String(ttlSeconds)],
    { env: ENV },
  );
  return stdout.trim();
}
