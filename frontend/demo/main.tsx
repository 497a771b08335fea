/**
 * The demo page: the provider, the example component and the operations view, against the hub
 * this page is served with (Vite proxies `/api` to it; see vite.demo.config.ts).
 *
 * The token comes from the page's hash, `#token=<jwt>` (a hash never reaches a server or a log),
 * or from the form. `make demo` prints the page's URL with a token.
 */
import { StrictMode, useState, type FormEvent, type ReactNode } from "react";
import { createRoot } from "react-dom/client";
import { WebSocketExample } from "../examples/WebSocketExample.js";
import { WebSocketProvider } from "../src/react/index.js";
import { GenericMessages } from "./GenericMessages.js";
import { StatsChart } from "./StatsChart.js";

/** The types WebSocketExample renders itself; every other type a service sends is shown generically. */
const RENDERED_BY_THE_EXAMPLE: ReadonlySet<string> = new Set(["ocr_progress", "book_ready", "notification"]);

function tokenFromHash(): string | undefined {
  return new URLSearchParams(location.hash.slice(1)).get("token") ?? undefined;
}

function TokenForm({ onToken }: { onToken: (token: string) => void }): ReactNode {
  const submit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    const token = String(new FormData(event.currentTarget).get("token") ?? "").trim();
    if (token === "") return;
    location.hash = new URLSearchParams({ token }).toString();
    onToken(token);
  };
  return (
    <form onSubmit={submit} style={{ font: "14px system-ui, sans-serif" }}>
      <label>
        Token (<code>make demo</code> and <code>make run</code> print one): <input name="token" size={60} />
      </label>{" "}
      <button type="submit">Connect</button>
    </form>
  );
}

function Demo(): ReactNode {
  const [token, setToken] = useState(tokenFromHash);
  return (
    <main style={{ display: "flex", gap: 32, padding: 24, flexWrap: "wrap", alignItems: "flex-start" }}>
      <div style={{ flex: "1 1 420px" }}>
        <h1 style={{ font: "700 20px system-ui, sans-serif" }}>notifyhub demo</h1>
        {token === undefined ? (
          <TokenForm onToken={setToken} />
        ) : (
          <WebSocketProvider token={token} options={{ validateFrames: true }}>
            <WebSocketExample />
            <GenericMessages renderedElsewhere={RENDERED_BY_THE_EXAMPLE} />
          </WebSocketProvider>
        )}
      </div>
      <StatsChart />
    </main>
  );
}

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <Demo />
  </StrictMode>,
);
