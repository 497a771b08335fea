// HTTP publishing over keep-alive connections: up to `publishers` requests in flight, one per
// connection, as a service with several workers publishes.
import http from "node:http";

/** How big a notification's payload is as JSON, as in real traffic (a title, a sentence, a link). */
export const PAYLOAD_BYTES = 200;

export class Publisher {
  constructor(httpUrl, serviceKey, publishers = 1) {
    this.url = new URL(httpUrl);
    this.agent = new http.Agent({ keepAlive: true, maxSockets: publishers });
    this.headers = { authorization: `Bearer ${serviceKey}`, "content-type": "application/json" };
    this.failures = 0;
  }

  /** POST a JSON body; resolves with the parsed answer, counting every non-2xx answer as a failure. */
  post(path, body) {
    const payload = JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const request = http.request({
        host: this.url.hostname, port: this.url.port, path, method: "POST", agent: this.agent,
        headers: { ...this.headers, "content-length": Buffer.byteLength(payload) },
      }, (response) => {
        const chunks = [];
        response.on("data", (chunk) => chunks.push(chunk));
        response.on("end", () => {
          if (response.statusCode < 200 || response.statusCode >= 300) this.failures += 1;
          const text = Buffer.concat(chunks).toString();
          resolve(text ? JSON.parse(text) : null);
        });
      });
      request.on("error", reject);
      request.end(payload);
    });
  }

  close() {
    this.agent.destroy();
  }
}

const ACTION_URL = "https://app.hailango.example/lessons/review";

/** A notification whose payload is PAYLOAD_BYTES of JSON (for a short text), the title filling up. */
export function notification(text) {
  const payload = { title: "", message: text, level: "info", action_url: ACTION_URL };
  payload.title = "Lesson reminder ".repeat(16).slice(0, Math.max(1, PAYLOAD_BYTES - JSON.stringify(payload).length));
  return { type: "notification", payload };
}
