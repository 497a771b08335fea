// The operations console: reads /api/v1/console/* with the key the operator typed (kept in this
// tab's sessionStorage only), draws the hub's time series as SVG, looks users up, disconnects
// them, and sends messages through the service API with a form built from /openapi.json.

const API = "/api/v1/console";
const KEY_STORAGE = "notifyhub-console-key";
const COLORS = ["#2563eb", "#dc2626", "#16a34a", "#d97706", "#7c3aed", "#0891b2", "#db2777", "#65a30d"];
const SVG = "http://www.w3.org/2000/svg";

const $ = (id) => document.getElementById(id);
let key = sessionStorage.getItem(KEY_STORAGE) ?? "";
let refreshTimer;
let closeNames = {};
let lastSeries;

// Requests

class Refused extends Error {
  constructor(status, body) {
    super(body?.detail ?? `the hub answered ${status}`);
    this.status = status;
    this.body = body;
  }
}

async function call(path, options = {}) {
  const response = await fetch(path, {
    ...options,
    headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json", ...options.headers },
  });
  const body = await response.json().catch(() => null);
  if (!response.ok) throw new Refused(response.status, body);
  return body;
}

// Log in and out

async function open() {
  try {
    await refresh();
  } catch (error) {
    showLoginError(error.status === 401 ? "The hub refused this key (401)." : error.message);
    return;
  }
  sessionStorage.setItem(KEY_STORAGE, key);
  $("login-error").hidden = true;
  $("login").hidden = true;
  $("logout").hidden = false;
  $("console").hidden = false;
  await Promise.all([loadSendForm(), loadCloseNames()]);
}

function showLoginError(text) {
  $("login-error").textContent = text;
  $("login-error").hidden = false;
}

function logout() {
  clearTimeout(refreshTimer);
  sessionStorage.removeItem(KEY_STORAGE);
  key = "";
  $("console").hidden = true;
  $("login").hidden = false;
  $("logout").hidden = true;
}

// Hubs and series, refreshed at the sampling interval

async function refresh() {
  clearTimeout(refreshTimer);
  const [hubs, series] = await Promise.all([call(`${API}/hubs`), call(`${API}/series`)]);
  showHubs(hubs);
  showSeries(series);
  refreshTimer = setTimeout(() => refresh().catch(() => undefined), Math.max(1, series.sample_seconds) * 1000);
}

function showHubs(hubs) {
  $("totals").textContent = `${hubs.connected_users} users, ${hubs.total_connections} connections on ` +
    `${hubs.hubs.length} hub(s) (${hubs.backend} backend)`;
  $("hub-rows").replaceChildren(...hubs.hubs.map((hub) => row([
    hub.hub_id + (hub.hub_id === hubs.this_hub ? " (this hub)" : ""),
    hub.connections, hub.users, new Date(hub.seen * 1000).toLocaleTimeString(),
  ], ["id"])));
}

function showSeries(series) {
  lastSeries = series;
  const select = $("series-of");
  const choices = ["summed", ...Object.keys(series.hubs)];
  if (select.options.length !== choices.length) {
    const chosen = select.value || "summed";
    select.replaceChildren(...choices.map((choice) => new Option(
      choice === "summed" ? `all hubs (sum)` : `hub ${choice}`, choice)));
    select.value = choices.includes(chosen) ? chosen : "summed";
  }
  $("sampling").textContent = `one sample every ${series.sample_seconds} s, the last ${series.window_seconds / 60} min`;
  drawSeries();
}

function drawSeries() {
  const series = lastSeries;
  const points = $("series-of").value === "summed" || !series.hubs[$("series-of").value]
    ? series.summed : series.hubs[$("series-of").value];
  const times = points.map((p) => p.t);
  const keyed = (pick) => {
    const names = [...new Set(points.flatMap((p) => Object.keys(pick(p))))].sort();
    return names.map((name) => ({ name, values: points.map((p) => pick(p)[name] ?? 0) }));
  };
  chart($("chart-messages"), times, keyed((p) => p.messages_per_second), "/s");
  chart($("chart-latency"), times, [
    { name: "p50", values: points.map((p) => p.latency_p50_ms) },
    { name: "p99", values: points.map((p) => p.latency_p99_ms) },
  ], "ms");
  const closes = keyed((p) => p.closes).map((line) => ({ ...line, name: `${line.name} ${closeNames[line.name] ?? ""}` }));
  chart($("chart-closes"), times, closes, "");
  chart($("chart-connections"), times, [
    { name: "connections", values: points.map((p) => p.connections) },
    { name: "users", values: points.map((p) => p.users) },
  ], "");
  $("fallbacks-note").textContent = series.fallbacks_configured ? "" : "not configured: no fallback channel (webhook, Web Push) is set";
  chart($("chart-fallbacks"), times, [
    { name: "sent", values: points.map((p) => p.fallbacks_sent) },
    { name: "failed", values: points.map((p) => p.fallbacks_failed) },
  ], "");
}

async function loadCloseNames() {
  const document_ = await (await fetch("/api/v1/asyncapi.json")).json();
  const codes = document_.components.schemas.CloseCode["x-codes"];
  closeNames = Object.fromEntries(codes.map((code) => [String(code.code), code.name.toLowerCase().replaceAll("_", " ")]));
}

// Charts: plain SVG with a time axis and a value axis

const WIDTH = 440, HEIGHT = 170, LEFT = 58, RIGHT = 8, TOP = 8, BOTTOM = 22;

function niceMax(value) {
  if (!(value > 0)) return 1;
  const step = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 2.5, 5, 10].map((m) => m * step).find((m) => m >= value);
}

function el(name, attributes = {}, text) {
  const node = document.createElementNS(SVG, name);
  for (const [attribute, value] of Object.entries(attributes)) node.setAttribute(attribute, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

function timeLabel(t) {
  return new Date(t * 1000).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });
}

function chart(container, times, lines, unit) {
  const caption = container.parentElement?.querySelector("figcaption")?.textContent ?? "";
  const svg = el("svg", { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, width: "100%", role: "img", "aria-label": caption });
  const top = niceMax(Math.max(0, ...lines.flatMap((line) => line.values.filter((v) => v !== null))));
  const [t0, t1] = times.length > 1 ? [times[0], times[times.length - 1]] : [(times[0] ?? Date.now() / 1000) - 60, times[0] ?? Date.now() / 1000];
  const x = (t) => LEFT + ((t - t0) / (t1 - t0)) * (WIDTH - LEFT - RIGHT);
  const y = (v) => TOP + (1 - v / top) * (HEIGHT - TOP - BOTTOM);
  for (let i = 0; i <= 4; i++) {
    const value = (top * i) / 4;
    svg.append(el("line", { class: "grid", x1: LEFT, x2: WIDTH - RIGHT, y1: y(value), y2: y(value) }));
    svg.append(el("text", { x: LEFT - 4, y: y(value) + 3, "text-anchor": "end" }, `${+value.toPrecision(3)}${unit}`));
  }
  let previous = "";
  for (let i = 0; i <= 3; i++) {
    const t = t0 + ((t1 - t0) * i) / 3;
    const label = timeLabel(t);
    if (label === previous) continue; // a window of a few seconds: one label per second
    previous = label;
    svg.append(el("text", { x: x(t), y: HEIGHT - 6, "text-anchor": ["start", "middle", "middle", "end"][i] }, label));
  }
  svg.append(el("line", { class: "axis", x1: LEFT, x2: LEFT, y1: TOP, y2: HEIGHT - BOTTOM }));
  svg.append(el("line", { class: "axis", x1: LEFT, x2: WIDTH - RIGHT, y1: HEIGHT - BOTTOM, y2: HEIGHT - BOTTOM }));
  lines.forEach((line, index) => {
    const path = line.values.map((v, i) => (v === null ? null : `${x(times[i]).toFixed(1)},${y(v).toFixed(1)}`));
    const segments = path.join(" ").split(/\s*null\s*/).filter(Boolean);
    for (const segment of segments) {
      const points = segment.trim().split(" ");
      if (points.length === 1) {
        const [cx, cy] = points[0].split(",");
        svg.append(el("circle", { cx, cy, r: 2, fill: COLORS[index % COLORS.length] }));
      } else {
        svg.append(el("polyline", { points: segment.trim(), fill: "none", stroke: COLORS[index % COLORS.length], "stroke-width": 1.5 }));
      }
    }
  });
  const legend = document.createElement("div");
  legend.className = "legend";
  for (const [index, line] of lines.entries()) {
    const item = document.createElement("span");
    const swatch = document.createElement("i");
    swatch.style.background = COLORS[index % COLORS.length];
    item.append(swatch, line.name);
    legend.append(item);
  }
  if (lines.length === 0) legend.textContent = "nothing in this window";
  container.replaceChildren(svg, legend);
}

// A user

async function lookUp(userId) {
  $("user-error").hidden = true;
  try {
    showUser(await call(`${API}/users/${encodeURIComponent(userId)}`));
  } catch (error) {
    $("user").hidden = true;
    $("user-error").textContent = error.status === 422 ? "Not a user id (a UUID)." : error.message;
    $("user-error").hidden = false;
  }
}

function showUser(user) {
  $("user").hidden = false;
  $("user").dataset.userId = user.user_id;
  $("presence").textContent = user.online
    ? `online: ${user.connections.length} connection(s)` : "offline: no open connection";
  $("connection-rows").replaceChildren(...user.connections.map((c) => row([c.connection_id, c.hub_id], ["id", "id"])));
  const stream = user.stream;
  $("cursors").textContent = stream === null ? "no stream yet (never sent a message)"
    : `stream ${stream.epoch}: last seq ${stream.last_seq}, acknowledged up to ${stream.acked_seq}, read up to ${stream.read_seq}`;
  $("message-rows").replaceChildren(...user.messages.slice().reverse().map((m) => row([
    m.seq, m.type, m.id, m.timestamp ? new Date(m.timestamp).toLocaleString() : "",
    m.seq <= stream.read_seq ? "read" : m.seq <= stream.acked_seq ? "acknowledged" : "not acknowledged",
  ], ["", "", "id"])));
  $("send-users").value = user.user_id;
}

async function disconnect() {
  const userId = $("user").dataset.userId;
  try {
    const answer = await call(`${API}/users/${userId}/disconnect`, { method: "POST" });
    $("disconnect-result").textContent = `closed with 4501: ${answer.connections} connection(s)`;
    await lookUp(userId);
  } catch (error) {
    $("disconnect-result").textContent = error.message;
  }
}

function row(cells, classes = []) {
  const tr = document.createElement("tr");
  cells.forEach((cell, index) => {
    const td = document.createElement("td");
    td.textContent = String(cell);
    if (classes[index]) td.className = classes[index];
    tr.append(td);
  });
  return tr;
}

// Sending: a form per message type, from the OpenAPI document's schemas

let drafts = {};
let schemas = {};

const resolve = (schema) => (schema?.$ref ? schemas[schema.$ref.split("/").pop()] : schema);

async function loadSendForm() {
  const openapi = await (await fetch("/openapi.json")).json();
  schemas = openapi.components.schemas;
  const mapping = schemas.PublishRequest.properties.message.discriminator.mapping;
  drafts = Object.fromEntries(Object.entries(mapping).map(([type, ref]) => [type, resolve({ $ref: ref })]));
  $("send-type").replaceChildren(...Object.keys(drafts).map((type) => new Option(type, type)));
  buildFields();
}

function buildFields() {
  const payload = resolve(drafts[$("send-type").value].properties.payload);
  const required = new Set(payload.required ?? []);
  const fields = Object.entries(payload.properties).map(([name, property]) => field(name, resolve(property), required.has(name)));
  $("payload-fields").replaceChildren(Object.assign(document.createElement("legend"), { textContent: "payload" }), ...fields);
}

function field(name, schema, required) {
  const pointer = `/message/payload/${name}`;
  const label = document.createElement("label");
  let input;
  if (schema.enum) {
    input = document.createElement("select");
    input.append(...(required ? [] : [new Option("", "")]), ...schema.enum.map((value) => new Option(value, value)));
  } else if (schema.type === "object" || schema.type === "array") {
    input = document.createElement("textarea");
    input.placeholder = "JSON";
  } else {
    input = document.createElement("input");
    input.type = schema.type === "boolean" ? "checkbox" : "text";
  }
  input.name = name;
  input.setAttribute("aria-label", name);
  input.setAttribute("aria-required", String(required));
  input.dataset.pointer = pointer;
  input.dataset.kind = schema.type ?? "string";
  if (schema.format) input.placeholder = schema.format;
  label.append(`${name}${required ? " *" : ""} `, input);
  label.title = schema.description ?? "";
  const error = Object.assign(document.createElement("span"), { className: "field-error", id: `error-${name}` });
  error.dataset.errorFor = pointer;
  input.setAttribute("aria-describedby", error.id);
  label.append(error);
  return label;
}

function fieldValue(input) {
  const text = input.value;
  switch (input.dataset.kind) {
    case "boolean": return input.checked;
    case "integer": case "number": return text.trim() !== "" && Number.isFinite(Number(text)) ? Number(text) : text;
    case "object": case "array": try { return JSON.parse(text); } catch { return text; }
    default: return text;
  }
}

async function send() {
  for (const error of document.querySelectorAll("[data-error-for]")) error.textContent = "";
  const payload = {};
  for (const input of $("payload-fields").querySelectorAll("[data-pointer]")) {
    if (input.value !== "" || input.dataset.kind === "boolean") payload[input.name] = fieldValue(input);
  }
  const userIds = $("send-users").value.split(",").map((id) => id.trim()).filter(Boolean);
  const body = { user_ids: userIds, message: { type: $("send-type").value, payload } };
  // Through the service API itself, validated as any service's request is.
  try {
    const answer = await call("/api/v1/messages", { method: "POST", body: JSON.stringify(body) });
    $("send-result").textContent = `sent: ${answer.type} ${answer.id} reached ${answer.connections} connection(s)`;
    if ($("user").dataset.userId && userIds.includes($("user").dataset.userId)) await lookUp($("user").dataset.userId);
  } catch (error) {
    if (error.status === 401) {
      $("send-result").textContent = "Sending needs a service key (the service API refused this key).";
      return;
    }
    const unplaced = [];
    for (const problem of error.body?.errors ?? []) {
      const place = document.querySelector(`[data-error-for="${problem.pointer}"]`)
        ?? document.querySelector(`[data-error-for="${problem.pointer.replace(/\/\d+$/, "")}"]`);
      if (place) place.textContent = problem.message;
      else unplaced.push(`${problem.pointer}: ${problem.message}`);
    }
    $("send-result").textContent = `refused (${error.status}): ${[error.message, ...unplaced].join("; ")}`;
  }
}

// Wiring

$("login").addEventListener("submit", (event) => {
  event.preventDefault();
  key = $("key").value;
  open();
});
$("logout").addEventListener("click", logout);
$("series-of").addEventListener("change", drawSeries);
$("lookup").addEventListener("submit", (event) => {
  event.preventDefault();
  lookUp($("user-id").value.trim());
});
$("disconnect").addEventListener("click", disconnect);
$("send-type").addEventListener("change", buildFields);
$("send").addEventListener("submit", (event) => {
  event.preventDefault();
  send();
});
if (key) open();
