import { useEffect, useRef, useState } from 'react';
import type { ScanResult } from '../../../drivers/id/index.ts';
import { useI18n, useKiosk } from '../kiosk-context.tsx';
import type { DecodeReply, DecodeRequest } from './qr.worker.dom.ts';

/** 640×480 is what the decoder was measured on; ~8 frames a second is plenty for a held code. */
const FRAME_W = 640;
const FRAME_H = 480;
const FRAME_INTERVAL_MS = 120;
/** The same code seen again within this time is the same scan, not a new one. */
const REPEAT_MS = 3_000;

type CameraState = 'starting' | 'scanning' | 'read' | 'denied' | 'unavailable';

export interface CameraScannerProps {
  /** Called with the kiosk's classification of each new code read (also pushed as `scan.received`). */
  onScan(result: ScanResult): void;
}

/**
 * Reads QR codes from the kiosk camera. Frames are grabbed on the page and decoded in a Worker
 * (zxing-wasm) so the UI never waits on the decoder; one frame is in flight at a time.
 */
export function CameraScanner({ onScan }: CameraScannerProps) {
  const { api } = useKiosk();
  const { t } = useI18n();
  const video = useRef<HTMLVideoElement>(null);
  const [state, setState] = useState<CameraState>('starting');
  const latest = useRef(onScan);
  latest.current = onScan;

  useEffect(() => {
    let stopped = false;
    let stream: MediaStream | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let nextId = 1;
    let inFlight = false;
    let lastText = '';
    let lastAt = 0;
    const worker = new Worker(new URL('./qr.worker.dom.ts', import.meta.url), { type: 'module' });
    const canvas = document.createElement('canvas');
    const ctx = canvas.getContext('2d', { willReadFrequently: true });

    const grab = () => {
      timer = undefined;
      if (stopped) return;
      const v = video.current;
      if (!inFlight && ctx && v && v.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA && v.videoWidth > 0) {
        // Scaled to at most 640 wide with the camera's own aspect ratio: a squashed code reads worse.
        const scale = Math.min(1, FRAME_W / v.videoWidth);
        const width = Math.round(v.videoWidth * scale);
        const height = Math.round(v.videoHeight * scale);
        if (canvas.width !== width || canvas.height !== height) Object.assign(canvas, { width, height });
        ctx.drawImage(v, 0, 0, width, height);
        const { data } = ctx.getImageData(0, 0, width, height);
        inFlight = true;
        const request: DecodeRequest = { id: nextId++, width, height, pixels: data.buffer };
        worker.postMessage(request, [data.buffer]);
      }
      timer = setTimeout(grab, FRAME_INTERVAL_MS);
    };

    worker.onmessage = (e: MessageEvent<DecodeReply>) => {
      inFlight = false;
      if (stopped || !('text' in e.data) || e.data.text === null) return;
      const text = e.data.text;
      const now = performance.now();
      if (text === lastText && now - lastAt < REPEAT_MS) return;
      lastText = text;
      lastAt = now;
      void api.call('scans.submit', { text, source: 'camera' }).then((r) => {
        if (stopped || !r.ok) return;
        setState('read');
        latest.current(r.value);
      });
    };
    worker.onerror = () => {
      inFlight = false;
    };

    if (!navigator.mediaDevices?.getUserMedia) {
      setState('unavailable');
    } else {
      navigator.mediaDevices
        .getUserMedia({ video: { width: { ideal: FRAME_W }, height: { ideal: FRAME_H } }, audio: false })
        .then(async (s) => {
          stream = s;
          if (stopped) return s.getTracks().forEach((track) => track.stop());
          const v = video.current;
          if (!v) return;
          v.srcObject = s;
          await v.play().catch(() => undefined);
          setState('scanning');
          grab();
        })
        .catch((err: unknown) => setState((err as DOMException)?.name === 'NotFoundError' ? 'unavailable' : 'denied'));
    }

    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      worker.terminate();
      stream?.getTracks().forEach((track) => track.stop());
    };
  }, [api]);

  const message = {
    starting: t('scan.camera.starting'),
    scanning: t('scan.camera.scanning'),
    read: t('scan.camera.read'),
    denied: t('scan.camera.denied'),
    unavailable: t('scan.camera.unavailable'),
  }[state];
  return (
    <figure className="camera-scanner" data-testid="camera-scanner" data-state={state} style={{ margin: 0 }}>
      <video
        ref={video}
        className="camera-scanner-video"
        muted
        playsInline
        aria-label={t('scan.camera.label')}
        style={{
          display: 'block',
          width: '100%',
          maxWidth: FRAME_W,
          aspectRatio: `${FRAME_W} / ${FRAME_H}`,
          background: '#000',
          border: '4px solid currentColor',
          borderRadius: 12,
        }}
      />
      <figcaption className="camera-scanner-status" role="status" aria-live="polite">
        {message}
      </figcaption>
    </figure>
  );
}
