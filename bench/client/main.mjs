// The load client: one JSON command per stdin line, one JSON answer per stdout line.
// Commands: {"op": "config" | "open" | "broadcast" | "targeted" | "inProcess" | "replay" | "close" |
// "floodStart" | "floodStop", ...}. Commands run one at a time; a flood goes on in the background
// between floodStart and floodStop, while the commands after floodStart run.
import { createInterface } from "node:readline";
import { Operations } from "./operations.mjs";

const operations = new Operations();
const lines = createInterface({ input: process.stdin });

for await (const line of lines) {
  const { op, ...args } = JSON.parse(line);
  let answer;
  try {
    if (op === "exit") break;
    if (typeof operations[op] !== "function") throw new Error(`unknown op ${op}`);
    answer = await operations[op](args);
  } catch (error) {
    answer = { error: String(error?.stack ?? error) };
  }
  process.stdout.write(`${JSON.stringify(answer)}\n`);
}
await operations.close();
process.exit(0);
