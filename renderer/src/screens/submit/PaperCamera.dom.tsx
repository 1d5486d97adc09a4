import { useEffect, useRef, useState } from 'react';
import { useI18n } from '../../kiosk-context.tsx';

/**
 * The kiosk camera as a source of pages: the live picture and "Chụp" (take). The frame goes to
 * the kiosk core as a JPEG (`capture.photo`), which cleans it like a scan: grey, straightened,
 * cut to the paper, contrast. No perspective correction yet (docs/submission.md).
 */
export function PaperCamera({ onShot, busy }: { onShot: (dataUrl: string) => void; busy: boolean }) {
  const { t } = useI18n();
  const video = useRef<HTMLVideoElement>(null);
  const [state, setState] = useState<'starting' | 'live' | 'unavailable'>('starting');
  useEffect(() => {
    let stream: MediaStream | undefined;
    let stopped = false;
    if (!navigator.mediaDevices?.getUserMedia) {
      setState('unavailable');
      return;
    }
    navigator.mediaDevices
      .getUserMedia({ video: { width: { ideal: 1920 }, height: { ideal: 1920 } }, audio: false })
      .then(async (s) => {
        stream = s;
        if (stopped) return s.getTracks().forEach((track) => track.stop());
        if (!video.current) return;
        video.current.srcObject = s;
        await video.current.play().catch(() => undefined);
        setState('live');
      })
      .catch(() => setState('unavailable'));
    return () => {
      stopped = true;
      stream?.getTracks().forEach((track) => track.stop());
    };
  }, []);

  const shoot = () => {
    const v = video.current;
    if (!v || !v.videoWidth) return;
    const canvas = document.createElement('canvas');
    canvas.width = v.videoWidth;
    canvas.height = v.videoHeight;
    canvas.getContext('2d')!.drawImage(v, 0, 0);
    onShot(canvas.toDataURL('image/jpeg', 0.92));
  };

  return (
    <div className="paper-camera" data-testid="paper-camera" data-state={state}>
      <video ref={video} muted playsInline aria-label={t('submit.docs.cameraLabel')} />
      {state === 'unavailable' && <p role="status">{t('submit.docs.cameraUnavailable')}</p>}
      <button
        type="button"
        className="button button-primary button-huge"
        onClick={shoot}
        disabled={busy || state !== 'live'}
        data-testid="papers-shoot"
      >
        {t('submit.docs.shoot')}
      </button>
    </div>
  );
}
