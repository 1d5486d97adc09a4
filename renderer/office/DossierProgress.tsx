import { useEffect, useState, type FormEvent } from 'react';
import { DossierStatusChanged, OFFICER_DOSSIER_STATUSES } from '../../protocol/dossiers.ts';
import type { MessageKey } from '../i18n/index.ts';
import { api, ApiError } from './api.ts';

type T = (key: MessageKey, params?: Record<string, string | number>) => string;

const STATUS_KEY: Record<(typeof OFFICER_DOSSIER_STATUSES)[number], MessageKey> = {
  4: 'counter.dossier.status4',
  5: 'counter.dossier.status5',
  6: 'counter.dossier.status6',
  9: 'counter.dossier.status9',
  10: 'counter.dossier.status10',
  3: 'counter.dossier.status3',
  8: 'counter.dossier.status8',
};

/**
 * "Cập nhật hồ sơ" on the counter app: the officer records a dossier's progress (docs/phone.md);
 * central writes the timeline and tells a citizen who opted in at submission.
 */
export function DossierProgress({ t, code: given }: { t: T; code: string | null }) {
  const [code, setCode] = useState(given ?? '');
  const [status, setStatus] = useState<(typeof OFFICER_DOSSIER_STATUSES)[number]>(4);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  useEffect(() => {
    if (given) setCode(given);
  }, [given]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const ref = code.trim();
    if (!ref) return;
    setBusy(true);
    setMessage(null);
    try {
      const r = await api(DossierStatusChanged, 'POST', `/v1/officer/dossiers/${encodeURIComponent(ref)}/status`, {
        status,
      });
      const label = t(STATUS_KEY[status]);
      setMessage({
        ok: true,
        text: r.changed
          ? t('counter.dossier.done', { code: r.dossierCode, status: label })
          : t('counter.dossier.same', { code: r.dossierCode, status: label }),
      });
    } catch (err) {
      const code = err instanceof ApiError ? err.code : 'INTERNAL';
      setMessage({
        ok: false,
        text:
          code === 'NOT_FOUND'
            ? t('counter.dossier.notFound', { code: ref })
            : code === 'CONFLICT'
              ? t('counter.dossier.closed')
              : code === 'OFFLINE'
                ? t('counter.error.offline')
                : t('counter.dossier.failed'),
      });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="office-dossier" aria-labelledby="dossier-progress-title">
      <h2 id="dossier-progress-title">{t('counter.dossier.title')}</h2>
      <form onSubmit={(e) => void submit(e)} className="office-dossier-form">
        <label>
          {t('counter.current.dossier')}
          <input
            type="text"
            value={code}
            onChange={(e) => setCode(e.currentTarget.value)}
            maxLength={60}
            autoComplete="off"
            data-testid="dossier-progress-code"
          />
        </label>
        <label>
          {t('counter.dossier.status')}
          <select
            value={status}
            onChange={(e) => setStatus(Number(e.currentTarget.value) as (typeof OFFICER_DOSSIER_STATUSES)[number])}
            data-testid="dossier-progress-status"
          >
            {OFFICER_DOSSIER_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(STATUS_KEY[s])}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={busy || !code.trim()} data-testid="dossier-progress-save">
          {t('counter.dossier.save')}
        </button>
      </form>
      {message && (
        <p role={message.ok ? 'status' : 'alert'} className={message.ok ? 'office-notice' : 'office-error'}>
          {message.text}
        </p>
      )}
      <p className="office-hint">{t('counter.dossier.hint')}</p>
    </section>
  );
}
