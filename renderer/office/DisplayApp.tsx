import { useCallback, useEffect, useRef, useState } from 'react';
import { z } from 'zod';
import { DisplayCall, DisplayStateResponse } from '../../protocol/counter.ts';
import { localTime } from '../../protocol/tickets.ts';
import { translate } from '../i18n/index.ts';
import { api } from './api.ts';

/**
 * The waiting-room display (office TV), served by central at /display?office=ID: live over
 * Server-Sent Events, and every new call or recall announced — chime and Vietnamese speech, one
 * WAV from central — strictly one after another. Calls made before the page opened are shown,
 * not announced. Needs Chromium started with --autoplay-policy=no-user-gesture-required
 * (docs/central.md); otherwise a button asks for one tap to turn sound on.
 */

const LARGE = 3;
const t = (key: Parameters<typeof translate>[1], params?: Record<string, string | number>) =>
  translate('vi', key, params);
const hhmm = (iso: string) => localTime(new Date(iso));

class AnnouncementQueue {
  private readonly queue: string[] = [];
  private playing = false;
  played = 0;
  constructor(
    private readonly audio: HTMLAudioElement,
    private readonly onChange: () => void,
    private readonly onBlocked: () => void,
  ) {
    audio.addEventListener('ended', () => this.done());
    audio.addEventListener('error', () => this.done());
  }
  push(url: string) {
    this.queue.push(url);
    if (!this.playing) this.next();
  }
  get pending() {
    return this.queue.length + (this.playing ? 1 : 0);
  }
  resume() {
    if (!this.playing) this.next();
  }
  private done() {
    this.playing = false;
    this.played++;
    this.onChange();
    this.next();
  }
  private next() {
    const url = this.queue.shift();
    if (!url) return;
    this.playing = true;
    this.audio.src = url;
    this.onChange();
    this.audio.play().catch((err: unknown) => {
      // Autoplay refused: keep it at the head of the queue until someone taps "turn sound on".
      if ((err as Error).name === 'NotAllowedError') {
        this.playing = false;
        this.queue.unshift(url);
        this.onBlocked();
      } else this.done();
    });
  }
}

export function DisplayApp({ office }: { office: string }) {
  const [state, setState] = useState<DisplayStateResponse | null>(null);
  const [blocked, setBlocked] = useState(false);
  const [, setTick] = useState(0);
  const lastSeq = useRef<number | null>(null);
  const queue = useRef<AnnouncementQueue | null>(null);
  const audioRef = useRef<HTMLAudioElement>(null);

  useEffect(() => {
    queue.current = new AnnouncementQueue(
      audioRef.current!,
      () => setTick((n) => n + 1),
      () => setBlocked(true),
    );
  }, []);

  const reload = useCallback(async () => {
    const s = await api(DisplayStateResponse, 'GET', `/display/state?office=${encodeURIComponent(office)}`).catch(
      () => null,
    );
    if (!s) return;
    const newest = s.calls[0]?.seq ?? 0;
    if (lastSeq.current !== null) {
      // Oldest first, so the room hears them in the order they were made.
      for (const c of [...s.calls].reverse()) if (c.seq > lastSeq.current) queue.current?.push(c.audioUrl);
    }
    lastSeq.current = Math.max(lastSeq.current ?? 0, newest);
    setState(s);
  }, [office]);

  // A call arrives with the event itself: shown and queued for announcement at once, then the
  // whole state (waiting counts, earlier calls) is read again.
  const pushed = useCallback((data: string) => {
    const parsed = z.object({ call: DisplayCall }).safeParse(JSON.parse(data));
    if (parsed.success && lastSeq.current !== null && parsed.data.call.seq > lastSeq.current) {
      const call = parsed.data.call;
      lastSeq.current = call.seq;
      queue.current?.push(call.audioUrl);
      setState(
        (s) =>
          s && {
            ...s,
            calls: [
              call,
              ...s.calls.map((c) =>
                c.counter === call.counter || c.number === call.number ? { ...c, current: false } : c,
              ),
            ],
          },
      );
    }
  }, []);

  useEffect(() => {
    void reload();
    const events = new EventSource(`/display/events?office=${encodeURIComponent(office)}`);
    events.addEventListener('changed', () => void reload());
    events.addEventListener('call', (e) => {
      pushed((e as MessageEvent<string>).data);
      void reload();
    });
    // After a reconnect (central restarted), catch up on what was missed.
    events.addEventListener('hello', () => void reload());
    return () => events.close();
  }, [office, reload, pushed]);

  useEffect(() => {
    if (state) document.title = `${t('display.title')} — ${state.office}`;
  }, [state]);

  const current = state?.calls.filter((c) => c.current).slice(0, LARGE) ?? [];
  const before = state?.calls.filter((c) => !current.includes(c)).slice(0, 8) ?? [];
  return (
    <main
      className="display"
      data-last-seq={state?.calls[0]?.seq ?? 0}
      data-announced={queue.current?.played ?? 0}
      data-pending={queue.current?.pending ?? 0}
    >
      <h1>{state?.office ?? ''}</h1>
      <section aria-labelledby="now" className="display-now">
        <h2 id="now">{t('display.nowCalling')}</h2>
        <ul aria-live="polite">
          {current.length === 0 && <li className="display-none">{t('display.none')}</li>}
          {current.map((c, i) => (
            <li key={c.callId} className={`display-call${i === 0 ? ' is-newest' : ''}`} data-number={c.number}>
              <span className="display-number">{c.number}</span>
              <span className="display-arrow" aria-hidden="true">
                →
              </span>
              <span className="display-counter">{c.counter}</span>
              <span className="display-service">
                {c.service}
                {c.kind === 'recall' ? ` · ${t('display.recall')}` : ''}
              </span>
            </li>
          ))}
        </ul>
      </section>
      <section className="display-side">
        <h2>{t('display.calledBefore')}</h2>
        <ul className="display-earlier">
          {before.length === 0 && <li>—</li>}
          {before.map((c) => (
            <li key={c.callId}>
              <b>{c.number}</b> → {c.counter} <small>{hhmm(c.at)}</small>
            </li>
          ))}
        </ul>
        <h2>{t('display.waiting')}</h2>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('display.service')}</th>
              <th scope="col">{t('display.prefix')}</th>
              <th scope="col">{t('display.count')}</th>
            </tr>
          </thead>
          <tbody>
            {state?.waiting.map((w) => (
              <tr key={w.prefix}>
                <td>{w.service}</td>
                <td className="display-prefix">{w.prefix}</td>
                <td className="display-count">{w.count}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {blocked && (
          <button
            type="button"
            className="display-sound"
            onClick={() => {
              setBlocked(false);
              queue.current?.resume();
            }}
          >
            {t('display.enableSound')}
          </button>
        )}
      </section>
      <audio ref={audioRef} preload="auto" />
    </main>
  );
}
