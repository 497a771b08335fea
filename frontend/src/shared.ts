/**
 * The shared client, for apps that want one connection without passing a client around.
 * Prefer `createClient` where you can: a module-level instance outlives tests and hides its
 * lifecycle. Tests, and apps talking to two hubs, create their own.
 */
import { createClient, type NotifyhubClient } from "./client.js";
import type { ClientOptions } from "./options.js";

let shared: NotifyhubClient | undefined;

/**
 * The shared client, created by the first call with that call's `options` (later calls' options
 * are ignored). Creating it opens nothing; call `connect()`.
 */
export function getWebSocketClient(options: ClientOptions = {}): NotifyhubClient {
  shared ??= createClient(options);
  return shared;
}
