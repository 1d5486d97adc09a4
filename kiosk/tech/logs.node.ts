import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { logDir } from '../core/log.node.ts';

export const LEVELS = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 } as const;
export type LevelName = keyof typeof LEVELS;
const NAMES = Object.fromEntries(Object.entries(LEVELS).map(([k, v]) => [v, k])) as Record<number, LevelName>;

export interface LogEntry {
  time: string;
  level: LevelName;
  msg: string;
  /** The rest of the record (module, codes, ids) as compact JSON, for display and grep. */
  fields: string;
}

export interface LogQuery {
  /** Minimum level. */
  level?: LevelName;
  /** ISO time or a duration back from now: `15m`, `2h`, `1d`. */
  since?: string;
  /** Case-insensitive text anywhere in the record. */
  grep?: string;
  /** Newest entries kept (default 200). */
  limit?: number;
}

/** `15m` (or `15M`: the on-screen code pad types capitals) → ms; an ISO time → that instant; undefined when neither. */
export function parseSince(since: string, now: Date): number | undefined {
  const m = /^(\d+)\s*(s|m|h|d)$/.exec(since.trim().toLowerCase());
  if (m)
    return (
      now.getTime() - Number(m[1]) * { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 's' | 'm' | 'h' | 'd']
    );
  const at = Date.parse(since);
  return Number.isNaN(at) ? undefined : at;
}

/** The rotated files, oldest first (pino-roll numbers them; mtime orders across days). */
export function logFiles(dataDir: string): string[] {
  const dir = logDir(dataDir);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /^kiosk.*\.log$/.test(f))
    .map((f) => join(dir, f))
    .map((f) => ({ f, t: statSync(f).mtimeMs, n: Number(/\.(\d+)\.log$/.exec(f)?.[1] ?? 0) }))
    .sort((a, b) => a.t - b.t || a.n - b.n)
    .map((x) => x.f);
}

/** Reads and filters the kiosk's logs, newest last. Lines that are not pino JSON are skipped. */
export function readLogs(dataDir: string, query: LogQuery = {}, now = new Date()): LogEntry[] {
  const min = LEVELS[query.level ?? 'trace'];
  const since = query.since ? parseSince(query.since, now) : undefined;
  if (query.since && since === undefined)
    throw new RangeError(`since: "${query.since}" is neither a time nor a duration like 15m`);
  const needle = query.grep?.toLowerCase();
  const limit = query.limit ?? 200;
  const out: LogEntry[] = [];
  for (const file of logFiles(dataDir)) {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (!line) continue;
      let rec: Record<string, unknown>;
      try {
        rec = JSON.parse(line) as Record<string, unknown>;
      } catch {
        continue;
      }
      const level = typeof rec.level === 'number' ? rec.level : 30;
      if (level < min) continue;
      const time = typeof rec.time === 'number' ? rec.time : 0;
      if (since !== undefined && time < since) continue;
      if (needle && !line.toLowerCase().includes(needle)) continue;
      const rest: Record<string, unknown> = { ...rec };
      for (const k of ['level', 'time', 'msg', 'pid', 'hostname']) delete rest[k];
      const msg = rec.msg;
      out.push({
        time: new Date(time).toISOString(),
        level: NAMES[level] ?? 'info',
        msg: typeof msg === 'string' ? msg : '',
        fields: Object.keys(rest).length ? JSON.stringify(rest) : '',
      });
      if (out.length > limit * 4) out.splice(0, out.length - limit);
    }
  }
  return out.slice(-limit);
}
