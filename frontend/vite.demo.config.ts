/**
 * The demo page (demo/). `npm run demo` builds it into demo/dist and serves it with `/api` (HTTP
 * and WebSocket) proxied to the hub at NOTIFYHUB_URL (default http://127.0.0.1:8080), so the page,
 * its WebSocket, the auth-check and the stats share one origin. The built files use relative
 * paths (`base: "./"`), so the hub serves the same demo/dist at /demo/ (`make demo`, or
 * NOTIFYHUB_DEMO_DIR; the hub redirects /demo to /demo/ so those paths resolve).
 */
import { defineConfig } from "vite";

const hub = process.env.NOTIFYHUB_URL ?? "http://127.0.0.1:8080";
const proxy = { "/api": { target: hub, ws: true, changeOrigin: false } };

export default defineConfig({
  root: "demo",
  base: "./",
  build: { outDir: "dist", emptyOutDir: true },
  server: { proxy },
  preview: { proxy },
});
