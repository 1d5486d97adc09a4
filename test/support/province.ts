import { getOfficeConfig, upsertOffice } from '../../central/admin.node.ts';
import type { CentralStore } from '../../central/store/store.node.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnReady, type RunningProcess } from './appliance.ts';

/** One attachments directory for every instance of a test run, as a province shares one. */
const sharedAttachments = join(tmpdir(), `onestop-province-attachments-${process.pid}`);

/**
 * Several central instances on one database, as a province runs them (issue 18): each a real
 * `central/main.node.ts` process on its own loopback port.
 */
export async function startInstance(db: string, args: string[] = [], timeoutMs = 60_000): Promise<RunningProcess> {
  return spawnReady(
    'central/main.node.ts',
    ['--port', '0', '--db', db, '--attachments-dir', sharedAttachments, ...args],
    {},
    /central listening on (http:\/\/\S+)/,
    timeoutMs,
  );
}

/**
 * Tests run at any hour and issue as fast as the machine lets them: the office takes tickets all
 * day, every day, with no closed or special days and no daily cap (a fast machine issued past the
 * demo's cap of 120 and got 409 DAILY_CAP_REACHED).
 */
export async function openAllDay(store: CentralStore, officeId: string): Promise<void> {
  const office = (await getOfficeConfig(store, officeId))!.config;
  const allDay = [{ open: '00:00', close: '23:59' }];
  const { closedDays: _closed, specialDays: _special, ...rest } = office;
  await upsertOffice(store, {
    ...rest,
    openingHours: { '1': allDay, '2': allDay, '3': allDay, '4': allDay, '5': allDay, '6': allDay, '7': allDay },
    areas: office.areas.map((a) => ({
      ...a,
      services: a.services.map(({ openingHours: _hours, ...s }) => ({ ...s, dailyCap: null })),
    })),
  });
}

export interface SseEvent {
  readonly event: string;
  readonly data: string;
}

/** A Server-Sent Events client (what a display's EventSource does): every event, as it arrives. */
export async function openSse(url: string): Promise<{
  events: SseEvent[];
  next(pred: (e: SseEvent) => boolean, timeoutMs?: number): Promise<SseEvent>;
  close(): void;
}> {
  const ctrl = new AbortController();
  const res = await fetch(url, { signal: ctrl.signal, headers: { accept: 'text/event-stream' } });
  if (res.status !== 200 || !res.body) throw new Error(`SSE ${url}: ${res.status}`);
  const events: SseEvent[] = [];
  const waiters = new Set<() => void>();
  void (async () => {
    const decoder = new TextDecoder();
    let buf = '';
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buf += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, end);
          buf = buf.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1] ?? '';
          if (event) events.push({ event, data });
          for (const w of waiters) w();
        }
      }
    } catch {
      // aborted
    }
  })();
  return {
    events,
    next(pred, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        let seen = 0;
        const check = () => {
          for (; seen < events.length; seen++)
            if (pred(events[seen]!)) {
              clearTimeout(timer);
              waiters.delete(check);
              resolve(events[seen]!);
              return;
            }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching SSE event in ${timeoutMs} ms; got ${events.map((e) => e.event).join(', ')}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close: () => ctrl.abort(),
  };
}
