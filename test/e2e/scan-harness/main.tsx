/**
 * A page for test/e2e/scan.spec.ts: the real CameraScanner and useScanStream, built by Vite
 * like the kiosk renderer, with the kiosk API replaced by an in-page stand-in that classifies
 * with the same pure classifier and pushes `scan.received` the way the kiosk core does.
 */
import { createRoot } from 'react-dom/client';
import { useState } from 'react';
import { classifyScan, type ScanResult } from '../../../drivers/id/index.ts';
import type { ScanReceived } from '../../../contract/domains/scans.ts';
import type { KioskApi } from '../../../renderer/src/api/client.dom.ts';
import { KioskProvider } from '../../../renderer/src/kiosk-context.tsx';
import { CameraScanner } from '../../../renderer/src/scan/CameraScanner.dom.tsx';
import { useScanStream } from '../../../renderer/src/scan/useScanStream.dom.ts';

declare global {
  interface Window {
    harness: { submits: Array<{ text: string; source: string }>; stream: ScanReceived[]; camera: ScanResult[] };
  }
}
window.harness = { submits: [], stream: [], camera: [] };

const listeners = new Set<(payload: ScanReceived) => void>();
const api = {
  async call(name: string, input: { text: string; source: 'hid' | 'camera' }) {
    if (name !== 'scans.submit') return { ok: false, error: { code: 'UNKNOWN_CALL', message: name } };
    window.harness.submits.push(input);
    const result = classifyScan(input.text, input.source);
    const event: ScanReceived = { source: input.source, at: new Date().toISOString(), result };
    setTimeout(() => listeners.forEach((l) => l(event)));
    return { ok: true, value: result };
  },
  on(event: string, listener: (payload: ScanReceived) => void) {
    if (event !== 'scan.received') return () => undefined;
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
} as unknown as KioskApi;

const info = {
  version: 'test',
  kioskId: 'K',
  kioskName: 'K',
  officeName: 'O',
  defaultLang: 'vi' as const,
  languages: ['vi' as const, 'en' as const],
  textSize: 'normal' as const,
  toneStyle: 'old' as const,
  timeouts: { idleWarningMs: 600_000, warningMs: 30_000, attractMs: 600_000 },
  startedAt: new Date().toISOString(),
};

function Page() {
  const [camera, setCamera] = useState(location.hash === '#camera');
  const [last, setLast] = useState('');
  useScanStream((scan) => {
    window.harness.stream.push(scan);
    setLast(`${scan.source}:${scan.result.kind}`);
  });
  return (
    <main>
      <label>
        Họ tên <input data-testid="name" />
      </label>
      <p data-testid="last">{last}</p>
      <button type="button" onClick={() => setCamera(!camera)}>
        camera
      </button>
      {camera && <CameraScanner onScan={(r) => window.harness.camera.push(r)} />}
    </main>
  );
}

createRoot(document.getElementById('root')!).render(
  <KioskProvider api={api} info={info}>
    <Page />
  </KioskProvider>,
);
