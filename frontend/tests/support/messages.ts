/** Server messages for tests, built on the generated types so a schema change breaks them at compile time. */
import type {
  ConnectionEstablishedPayload,
  MessageOf,
  PayloadOf,
  ServerMessageType,
} from "../../src/types.js";

let ids = 0;

export function message<T extends ServerMessageType>(
  type: T,
  payload: PayloadOf<T>,
  extra: { seq?: number } = {},
): MessageOf<T> {
  ids += 1;
  return { type, id: `00000000-0000-4000-8000-${String(ids).padStart(12, "0")}`, timestamp: "2026-11-28T19:34:26.123456Z", payload, ...extra } as MessageOf<T>;
}

export function established(overrides: Partial<ConnectionEstablishedPayload> = {}): MessageOf<"connection_established"> {
  return message("connection_established", {
    connection_id: "c0000000-0000-4000-8000-000000000001",
    user_id: "a0000000-0000-4000-8000-000000000001",
    server_time: "2026-11-28T19:34:26Z",
    ping_interval_seconds: 54,
    idle_timeout_seconds: 60,
    max_message_bytes: 524288,
    token_expires_at: "2026-11-28T20:34:26Z",
    epoch: "epoch-1",
    last_seq: 0,
    recovered: false,
    acked_seq: 0,
    read_seq: 0,
    ...overrides,
  });
}

export const ocrProgress: PayloadOf<"ocr_progress"> = {
  book_id: "b7e2a0c4-1d3f-4e5a-8b9c-0d1e2f3a4b5c",
  total_pages: 120,
  processed_pages: 45,
  progress: 37.5,
  status: "processing",
};

export const bookReady: PayloadOf<"book_ready"> = {
  book_id: "b7e2a0c4-1d3f-4e5a-8b9c-0d1e2f3a4b5c",
  title: "Le Petit Prince",
  total_pages: 120,
};

export const notification: PayloadOf<"notification"> = {
  title: "Streak",
  message: "Seven days in a row",
  level: "success",
};
