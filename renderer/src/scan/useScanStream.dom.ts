import { useEffect, useRef } from 'react';
import type { ScanReceived } from '../../../contract/domains/scans.ts';
import type { KioskApi } from '../api/client.dom.ts';
import { useKiosk } from '../kiosk-context.tsx';
import { DEFAULT_WEDGE, WedgeDetector } from './wedge.ts';

type Field = HTMLInputElement | HTMLTextAreaElement;
const isField = (el: Element | null): el is Field =>
  el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement;

/**
 * Puts back what a scan typed into a focused field. React tracks input values through the
 * native setter, so set it that way and announce an input event.
 */
function restore(field: Field, value: string): void {
  if (field.value === value) return;
  const proto = field instanceof HTMLInputElement ? HTMLInputElement.prototype : HTMLTextAreaElement.prototype;
  Object.getOwnPropertyDescriptor(proto, 'value')?.set?.call(field, value);
  field.dispatchEvent(new Event('input', { bubbles: true }));
}

/**
 * One keyboard-wedge listener for the whole page, however many components want scans (each
 * would otherwise submit the same burst). Keys are never blocked while a person types: only
 * the Enter that closes a scanner burst is swallowed, and the burst's characters are taken
 * back out of the focused field.
 */
let wedge: { api: KioskApi; users: number; detach(): void } | null = null;

function attachWedge(api: KioskApi): () => void {
  if (wedge && wedge.api !== api) {
    wedge.detach();
    wedge = null;
  }
  if (!wedge) {
    const detector = new WedgeDetector(DEFAULT_WEDGE);
    let snapshot: { field: Field; value: string } | null = null;
    const onKeyDown = (e: KeyboardEvent) => {
      const step = detector.feed({
        key: e.key,
        time: e.timeStamp,
        repeat: e.repeat,
        modified: e.ctrlKey || e.altKey || e.metaKey || e.isComposing,
      });
      if (step.type === 'start') {
        const active = document.activeElement;
        snapshot = isField(active) ? { field: active, value: active.value } : null;
      } else if (step.type === 'scan') {
        e.preventDefault();
        e.stopPropagation();
        if (snapshot) restore(snapshot.field, snapshot.value);
        snapshot = null;
        // The answer comes back to every subscriber as a `scan.received` event.
        void api.call('scans.submit', { text: step.text, source: 'hid' });
      }
    };
    window.addEventListener('keydown', onKeyDown, true);
    wedge = { api, users: 0, detach: () => window.removeEventListener('keydown', onKeyDown, true) };
  }
  const current = wedge;
  current.users++;
  return () => {
    current.users--;
    if (current.users === 0 && wedge === current) {
      current.detach();
      wedge = null;
    }
  };
}

/**
 * Every classified scan, whatever read it (serial scanner, keyboard wedge, camera, sim), as it
 * arrives. `cb` may change between renders without resubscribing.
 */
export function useScanStream(cb: (scan: ScanReceived) => void): void {
  const { api } = useKiosk();
  const latest = useRef(cb);
  latest.current = cb;
  useEffect(() => {
    const detachWedge = attachWedge(api);
    const off = api.on('scan.received', (scan) => latest.current(scan));
    return () => {
      off();
      detachWedge();
    };
  }, [api]);
}
