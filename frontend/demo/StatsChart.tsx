/** The operations view: `/api/v1/ws/stats` sampled over time, one small chart per series. */
import { useEffect, useState, type ReactNode } from "react";

/** How often the stats are sampled, and how many samples the charts keep (5 minutes). */
const SAMPLE_MS = 2000;
const SAMPLES = 150;

interface Stats {
  readonly connected_users: number;
  readonly total_connections: number;
  readonly messages_sent: number;
}

interface Sample {
  readonly at: number;
  readonly users: number;
  readonly connections: number;
  /** Messages sent per minute since the previous sample. */
  readonly perMinute: number;
}

function next(samples: readonly Sample[], stats: Stats, at: number, previous: Stats | undefined): Sample[] {
  const last = samples.at(-1);
  const perMinute = previous && last ? ((stats.messages_sent - previous.messages_sent) * 60_000) / (at - last.at) : 0;
  const sample = { at, users: stats.connected_users, connections: stats.total_connections, perMinute: Math.max(0, perMinute) };
  return [...samples, sample].slice(-SAMPLES);
}

function Sparkline({ label, values, color }: { label: string; values: readonly number[]; color: string }): ReactNode {
  const width = 240;
  const height = 48;
  const max = Math.max(1, ...values);
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  const points = values.map((v, i) => `${(i * step).toFixed(1)},${(height - (v / max) * (height - 4) - 2).toFixed(1)}`);
  const current = values.at(-1) ?? 0;
  return (
    <figure style={{ margin: "8px 0" }} aria-label={label}>
      <figcaption style={{ display: "flex", justifyContent: "space-between", font: "13px system-ui, sans-serif" }}>
        <span>{label}</span>
        <strong data-testid={`stat-${label}`}>{Number.isInteger(current) ? current : current.toFixed(1)}</strong>
      </figcaption>
      <svg width={width} height={height} style={{ background: "white", border: "1px solid #e5e7eb" }}>
        <polyline points={points.join(" ")} fill="none" stroke={color} strokeWidth={2} />
      </svg>
    </figure>
  );
}

export function StatsChart({ url = "/api/v1/ws/stats" }: { url?: string }): ReactNode {
  const [samples, setSamples] = useState<readonly Sample[]>([]);
  const [error, setError] = useState<string>();

  useEffect(() => {
    let previous: Stats | undefined;
    let stopped = false;
    const sample = async (): Promise<void> => {
      try {
        const response = await fetch(url);
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        const stats = (await response.json()) as Stats;
        if (stopped) return;
        const at = Date.now();
        const before = previous;
        setSamples((current) => next(current, stats, at, before));
        previous = stats;
        setError(undefined);
      } catch (failure) {
        if (!stopped) setError(String(failure));
      }
    };
    void sample();
    const timer = setInterval(() => void sample(), SAMPLE_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [url]);

  return (
    <section style={{ font: "14px system-ui, sans-serif" }}>
      <h2 style={{ margin: "0 0 8px" }}>Operations</h2>
      {error === undefined ? null : <p role="note">stats unavailable: {error}</p>}
      <Sparkline label="connections" values={samples.map((s) => s.connections)} color="#2563eb" />
      <Sparkline label="users" values={samples.map((s) => s.users)} color="#059669" />
      <Sparkline label="messages per minute" values={samples.map((s) => s.perMinute)} color="#d97706" />
    </section>
  );
}
