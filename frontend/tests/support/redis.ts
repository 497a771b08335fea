/**
 * Redis for the real-hub tests, through the Python suite's helpers (tests/support/redis_server.py),
 * so both suites find Redis and isolate themselves the same way: a key prefix of their own, whose
 * keys are deleted afterwards.
 */
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { promisify } from "node:util";
import { hubAvailable, repository } from "./hub.js";

export const REDIS_URL = process.env.NOTIFYHUB_TEST_REDIS_URL ?? "redis://127.0.0.1:6379/0";
const PYTHON = join(repository, ".venv", "bin", "python");

async function python(code: string, ...args: string[]): Promise<void> {
  await promisify(execFile)(PYTHON, ["-c", code, ...args], { cwd: repository, timeout: 20_000 });
}

/** Whether Redis answers a PING at REDIS_URL (false without the Python environment). */
export async function redisAnswers(): Promise<boolean> {
  if (!hubAvailable) return false;
  try {
    await python("import sys; from tests.support.redis_server import answers; sys.exit(0 if answers(sys.argv[1]) else 1)", REDIS_URL);
    return true;
  } catch {
    return false;
  }
}

/** Under CI (or NOTIFYHUB_REQUIRE_REDIS=1, which `.ci/run` sets) Redis tests must run, not skip. */
export const redisRequired = Boolean(process.env.CI) || process.env.NOTIFYHUB_REQUIRE_REDIS === "1";

/** A key prefix no other test run uses. */
export function uniquePrefix(): string {
  return `notifyhub-test-${randomUUID().replaceAll("-", "").slice(0, 12)}`;
}

/** Delete every key under `prefix`. */
export async function deletePrefix(prefix: string): Promise<void> {
  await python("import sys; from tests.support.redis_server import delete_prefix; delete_prefix(sys.argv[1], sys.argv[2])", REDIS_URL, prefix);
}
