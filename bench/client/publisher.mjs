// HTTP publishing over one keep-alive connection, one request at a time (so order is send order).
import http from "node:http";

export class Publisher {
  constructor(httpUrl, serviceKey) {
    this.url = new URL(httpUrl);
    this.agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
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

export function notification(text) {
  return { type: "notification", payload: { title: "t", message: text, level: "info" } };
}
