/**
 * What a page of HaiLanGo does with notifyhub: OCR progress as progress bars, book-ready and
 * notification toasts, an unread badge that every tab clears together, and the connection state.
 * Render it inside the provider:
 *
 *   <WebSocketProvider url="wss://hub.example/api/v1/ws" getToken={fetchToken}>
 *     <WebSocketExample />
 *   </WebSocketProvider>
 */
import { useCallback, useEffect, useState, type CSSProperties, type ReactNode } from "react";
import type { ConnectionState, NotificationLevel, PayloadOf } from "../src/index.js";
import { useBookReady, useNotification, useOCRProgress, useReadState, useWebSocket } from "../src/react/index.js";

/** How long a toast stays, in ms. */
const TOAST_MS = 6000;

interface Toast {
  readonly id: string;
  readonly level: NotificationLevel;
  readonly title: string;
  readonly text: string;
  readonly href: string | undefined;
}

const BADGE_COLORS: Record<ConnectionState, string> = {
  idle: "#6b7280",
  connecting: "#d97706",
  open: "#059669",
  reconnecting: "#d97706",
  closed: "#dc2626",
};

const TOAST_COLORS: Record<NotificationLevel, string> = {
  info: "#2563eb",
  success: "#059669",
  warning: "#d97706",
  error: "#dc2626",
};

export function ConnectionBadge(): ReactNode {
  const { state } = useWebSocket();
  const style: CSSProperties = {
    display: "inline-block",
    padding: "2px 10px",
    borderRadius: 999,
    color: "white",
    background: BADGE_COLORS[state],
    font: "600 13px system-ui, sans-serif",
  };
  return (
    <span role="status" aria-label="connection state" data-state={state} style={style}>
      {state}
    </span>
  );
}

/** Messages not read on any of the user's tabs; "Mark all read" clears the badge on all of them. */
export function UnreadBadge(): ReactNode {
  const { unread, markRead } = useReadState();
  return (
    <span style={{ marginLeft: "auto", display: "inline-flex", gap: 8, alignItems: "center" }}>
      <span aria-label="unread messages">{unread} unread</span>
      <button type="button" disabled={unread === 0} onClick={() => markRead()}>
        Mark all read
      </button>
    </span>
  );
}

export function OcrProgressBar({ progress }: { progress: PayloadOf<"ocr_progress"> }): ReactNode {
  const label = `${progress.processed_pages} / ${progress.total_pages} pages`;
  return (
    <div style={{ margin: "8px 0", font: "14px system-ui, sans-serif" }}>
      <div style={{ display: "flex", justifyContent: "space-between" }}>
        <span>Book {progress.book_id.slice(0, 8)} · {progress.status}</span>
        <span>{label}</span>
      </div>
      <progress
        aria-label={`OCR progress of book ${progress.book_id}`}
        max={100}
        value={progress.progress}
        style={{ width: "100%", height: 14 }}
      />
      {progress.message === undefined ? null : <small>{progress.message}</small>}
    </div>
  );
}

function ToastView({ toast, dismiss }: { toast: Toast; dismiss: (id: string) => void }): ReactNode {
  useEffect(() => {
    const timer = setTimeout(() => dismiss(toast.id), TOAST_MS);
    return () => clearTimeout(timer);
  }, [toast.id, dismiss]);
  return (
    <div
      role="alert"
      style={{
        borderLeft: `4px solid ${TOAST_COLORS[toast.level]}`,
        background: "white",
        boxShadow: "0 2px 8px rgb(0 0 0 / 0.15)",
        padding: "8px 12px",
        marginTop: 8,
        font: "14px system-ui, sans-serif",
      }}
    >
      <strong>{toast.title}</strong>
      <div>{toast.href === undefined ? toast.text : <a href={toast.href}>{toast.text}</a>}</div>
    </div>
  );
}

export function WebSocketExample(): ReactNode {
  const [books, setBooks] = useState<ReadonlyMap<string, PayloadOf<"ocr_progress">>>(new Map());
  const [toasts, setToasts] = useState<readonly Toast[]>([]);
  const dismiss = useCallback((id: string) => setToasts((current) => current.filter((t) => t.id !== id)), []);

  useOCRProgress((progress) => setBooks((current) => new Map(current).set(progress.book_id, progress)));
  useBookReady((book, message) =>
    setToasts((current) => [
      ...current,
      { id: message.id, level: "success", title: "Book ready", text: `${book.title} (${book.total_pages} pages)`, href: book.url },
    ]),
  );
  useNotification((note, message) =>
    setToasts((current) => [
      ...current,
      { id: message.id, level: note.level, title: note.title, text: note.message, href: note.action_url },
    ]),
  );

  return (
    <section style={{ maxWidth: 520, font: "14px system-ui, sans-serif" }}>
      <header style={{ display: "flex", alignItems: "center", gap: 12 }}>
        <h2 style={{ margin: 0 }}>Notifications</h2>
        <ConnectionBadge />
        <UnreadBadge />
      </header>
      {books.size === 0 ? <p>No book is being processed.</p> : null}
      {[...books.values()].map((progress) => (
        <OcrProgressBar key={progress.book_id} progress={progress} />
      ))}
      <div aria-live="polite">
        {toasts.map((toast) => (
          <ToastView key={toast.id} toast={toast} dismiss={dismiss} />
        ))}
      </div>
    </section>
  );
}
