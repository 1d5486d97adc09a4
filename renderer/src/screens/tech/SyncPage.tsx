import { localDateTime } from '../../../../protocol/tickets.ts';
import { useState } from 'react';
import { useI18n, useKiosk } from '../../kiosk-context.tsx';
import { useCall } from './useCall.dom.ts';

/** Outbox health: counts, parked entries with central's reasons, retry and export (H3's sync calls). */
export function SyncPage() {
  const { api } = useKiosk();
  const { t } = useI18n();
  const detail = useCall('sync.detail', {});
  const parked = useCall('sync.entries', { status: 'parked', limit: 100 });
  const [note, setNote] = useState<string | null>(null);
  const reload = () => {
    void detail.reload();
    void parked.reload();
  };
  const retry = async (input: { id: number } | { all: true }) => {
    const r = await api.call('sync.retry', input);
    setNote(r.ok ? `${t('tech.sync.retry')}: ${r.value.retried}` : t('tech.error', { message: r.error.message }));
    reload();
  };
  const exportParked = async () => {
    const r = await api.call('sync.export', {});
    if (!r.ok) return setNote(t('tech.error', { message: r.error.message }));
    // Offered as a download: the technician saves it to a USB stick from the browser's dialog.
    const a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob([r.value.json], { type: 'application/json' }));
    a.download = r.value.fileName;
    a.click();
    setNote(t('tech.sync.exported', { count: r.value.count }));
  };
  const d = detail.value;
  return (
    <div className="tech-page" data-testid="tech-sync-page">
      <div className="tech-toolbar">
        <button type="button" className="button button-secondary" onClick={reload}>
          {t('tech.refresh')}
        </button>
        <button
          type="button"
          className="button button-secondary"
          onClick={() => void api.call('sync.now', {}).then(reload)}
        >
          {t('tech.sync.now')}
        </button>
        <button
          type="button"
          className="button button-secondary"
          onClick={() => void retry({ all: true })}
          disabled={!parked.value?.entries.length}
        >
          {t('tech.sync.retryAll')}
        </button>
        <button type="button" className="button button-secondary" onClick={() => void exportParked()}>
          {t('tech.sync.export')}
        </button>
      </div>
      {(detail.error || parked.error) && (
        <p className="tech-message tech-message-error" role="alert">
          ⚠ {t('tech.error', { message: detail.error ?? parked.error ?? '' })}
        </p>
      )}
      {note && <p role="status">{note}</p>}
      {d && (
        <section className="tech-card">
          <p data-testid="sync-counts">{t('tech.sync.counts', { pending: d.pending, parked: d.parked })}</p>
          <p>{t('tech.sync.last', { at: d.lastSuccessAt ? localDateTime(new Date(d.lastSuccessAt), true) : '—' })}</p>
          <p>
            {d.phase} · {d.centralUrl} · {d.deviceId ?? '—'}
            {d.lastError ? ` · ${d.lastError}` : ''}
          </p>
        </section>
      )}
      <section className="tech-card">
        <h2>{t('tech.sync.parked')}</h2>
        {parked.value?.entries.length === 0 && <p>{t('tech.sync.none')}</p>}
        <ul className="tech-list" data-testid="sync-parked">
          {parked.value?.entries.map((e) => (
            <li key={e.id}>
              <span>
                #{e.id} {e.kind} · {e.attempts}× · {e.lastError ?? ''}
              </span>
              <button type="button" className="button button-secondary" onClick={() => void retry({ id: e.id })}>
                {t('tech.sync.retry')}
              </button>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
