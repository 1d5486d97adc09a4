import { localDateTime } from '../../../../protocol/tickets.ts';
import { useState } from 'react';
import type { ScanReceived } from '../../../../contract/domains/scans.ts';
import { useI18n, useKiosk } from '../../kiosk-context.tsx';
import { CameraScanner } from '../../scan/CameraScanner.dom.tsx';
import { useScanStream } from '../../scan/useScanStream.dom.ts';
import { TextField } from '../../keyboard/TextField.dom.tsx';
import { useCall } from './useCall.dom.ts';

const PRINT_MODES = ['text', 'glyphs', 'raster', 'codepage'] as const;
const yesNo = (t: (k: 'tech.yes' | 'tech.no') => string, v: boolean) => (v ? t('tech.yes') : t('tech.no'));
const uptime = (s: number) => `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;

/** Printer, scanner, camera, ports, network, central and clock: what a technician checks first. */
export function Diagnostics() {
  const { api } = useKiosk();
  const { t } = useI18n();
  const { value: d, error, reload, loading } = useCall('tech.diagnostics', {});
  const [codePage, setCodePage] = useState('');
  const [printed, setPrinted] = useState<Record<string, string>>({});
  const [scans, setScans] = useState<ScanReceived[]>([]);
  const [camera, setCamera] = useState(false);
  const [beat, setBeat] = useState<string | null>(null);
  useScanStream((scan) => setScans((s) => [scan, ...s].slice(0, 8)));

  const printMode = async (mode: (typeof PRINT_MODES)[number]) => {
    const cp = Number(codePage);
    const r = await api.call('tech.printModeTest', {
      mode,
      ...(mode === 'codepage' && codePage !== '' && Number.isInteger(cp) ? { codePage: cp } : {}),
    });
    setPrinted((p) => ({
      ...p,
      [mode]: r.ok
        ? t('tech.diag.printed', { mode, mm: Math.round(r.value.lengthMm) })
        : t('tech.error', { message: `${r.error.code}: ${r.error.message}` }),
    }));
    void reload();
  };

  return (
    <div className="tech-page" data-testid="tech-diagnostics-page">
      <div className="tech-toolbar">
        <button type="button" className="button button-secondary" onClick={() => void reload()} disabled={loading}>
          {t('tech.refresh')}
        </button>
      </div>
      {error && (
        <p className="tech-message tech-message-error" role="alert">
          ⚠ {t('tech.error', { message: error })}
        </p>
      )}
      {d && (
        <>
          <p>
            {t('tech.diag.version', { version: d.version, uptime: uptime(d.uptimeS) })} · {d.kioskId}
          </p>
          <section className="tech-card" aria-labelledby="diag-printer">
            <h2 id="diag-printer">{t('tech.diag.printer')}</h2>
            <p data-testid="diag-printer-state">
              {t('tech.diag.printerState', {
                state: d.printer.state,
                online: yesNo(t, d.printer.online),
                paperOut: yesNo(t, d.printer.paperOut),
                paperNearEnd: yesNo(t, d.printer.paperNearEnd),
                coverOpen: yesNo(t, d.printer.coverOpen),
              })}
              {d.printer.lastError ? ` — ${d.printer.lastError}` : ''}
            </p>
            <p>{t('tech.diag.printTests')}</p>
            {/* The same test page in every mode: the technician keeps the one this printer gets right. */}
            <div className="tech-side-by-side">
              {PRINT_MODES.map((mode) => (
                <div key={mode}>
                  <button
                    type="button"
                    className="button button-primary"
                    onClick={() => void printMode(mode)}
                    data-testid={`print-${mode}`}
                  >
                    {t(`tech.diag.${mode}`)}
                  </button>
                  <p role="status">{printed[mode]}</p>
                </div>
              ))}
            </div>
            <TextField
              kind="number"
              label={t('tech.diag.codepageNumber')}
              value={codePage}
              onChange={(v) => setCodePage(v.replace(/\D/g, '').slice(0, 3))}
              placeholder="52"
              testId="print-codepage-number"
            />
          </section>
          <section className="tech-card" aria-labelledby="diag-scanner">
            <h2 id="diag-scanner">{t('tech.diag.scanner')}</h2>
            <p>
              {d.scanner.uri} — {d.scanner.state}
              {d.scanner.detail ? ` (${d.scanner.detail})` : ''}
            </p>
            <p>{t('tech.diag.scanHint')}</p>
            <ul data-testid="diag-scans" aria-live="polite">
              {scans.length === 0 && <li>{t('tech.diag.noScans')}</li>}
              {scans.map((s) => (
                <li key={s.at + s.result.kind}>
                  {t('tech.diag.scanSeen', {
                    time: new Date(s.at).toLocaleTimeString('vi-VN'),
                    source: s.source,
                    kind: s.result.kind,
                  })}
                </li>
              ))}
            </ul>
            <button type="button" className="button button-secondary" onClick={() => setCamera((c) => !c)}>
              {camera ? t('tech.diag.cameraStop') : t('tech.diag.cameraStart')}
            </button>
            {camera && (
              <div className="tech-camera">
                <CameraScanner onScan={() => undefined} />
              </div>
            )}
          </section>
          <section className="tech-card" aria-labelledby="diag-idreader">
            <h2 id="diag-idreader">{t('tech.diag.idReader')}</h2>
            <p data-testid="diag-idreader">
              {t('tech.diag.idReaderState', {
                uri: d.idReader.uri,
                state: d.idReader.state,
                readers: d.idReader.readers.length ? d.idReader.readers.join(', ') : t('tech.diag.idReaderNone'),
                card: yesNo(t, d.idReader.card),
                csca: d.idReader.cscaCount,
              })}
              {d.idReader.detail ? ` (${d.idReader.detail})` : ''}
            </p>
          </section>
          <section className="tech-card" aria-labelledby="diag-docscanner">
            <h2 id="diag-docscanner">{t('tech.diag.docScanner')}</h2>
            <p data-testid="diag-docscanner">
              {t('tech.diag.docScannerState', {
                kind: d.docScanner.kind,
                state: t(`tech.diag.docScanner.${d.docScanner.state}`),
                device: d.docScanner.device ?? '—',
              })}
              {d.docScanner.lastError ? ` (${d.docScanner.lastError})` : ''}
            </p>
          </section>
          <section className="tech-card" aria-labelledby="diag-central">
            <h2 id="diag-central">{t('tech.diag.central')}</h2>
            <p data-testid="diag-central">
              {d.central.url}:{' '}
              {d.central.reachable
                ? `✓ ${t('tech.diag.reachable', { ms: d.central.latencyMs ?? 0 })}`
                : `✗ ${t('tech.diag.unreachable', { error: d.central.error ?? '' })}`}
            </p>
            {d.central.clockSkewMs !== null && (
              <p data-testid="diag-clock">
                {Math.abs(d.central.clockSkewMs) > 30_000
                  ? `⚠ ${t('tech.diag.clockBad', { seconds: Math.round(d.central.clockSkewMs / 1000) })}`
                  : t('tech.diag.clock', { seconds: Math.round(d.central.clockSkewMs / 1000) })}
              </p>
            )}
            <p data-testid="diag-storage">
              {d.storage.full
                ? `✗ ${t('tech.diag.storageFull', { mb: Math.floor((d.storage.freeBytes ?? 0) / 1_048_576) })}`
                : `✓ ${t('tech.diag.storage', { mb: Math.floor((d.storage.freeBytes ?? 0) / 1_048_576) })}`}
              {d.log.ok ? '' : ` — ${t('tech.diag.logDown', { dropped: d.log.dropped })}`}
            </p>
            <p>
              {t('tech.diag.heartbeat', {
                at: d.heartbeat.lastOkAt ? localDateTime(new Date(d.heartbeat.lastOkAt), true) : '—',
              })}
              {d.heartbeat.lastError ? ` — ${d.heartbeat.lastError}` : ''}
            </p>
            <button
              type="button"
              className="button button-secondary"
              onClick={() =>
                void api.call('tech.heartbeat', {}).then((r) => setBeat(r.ok ? r.value.message : r.error.message))
              }
              data-testid="heartbeat-now"
            >
              {t('tech.diag.heartbeatNow')}
            </button>
            {beat && <p role="status">{beat}</p>}
          </section>
          <section className="tech-card" aria-labelledby="diag-ports">
            <h2 id="diag-ports">{t('tech.diag.ports')}</h2>
            <ul data-testid="diag-ports">
              {d.serialPorts.length === 0 && <li>—</li>}
              {d.serialPorts.map((p) => (
                <li key={p.path}>
                  {p.path}{' '}
                  {p.manufacturer
                    ? `(${p.manufacturer}${p.vendorId ? ` ${p.vendorId}:${p.productId ?? ''}` : ''})`
                    : ''}
                </li>
              ))}
            </ul>
            <h2>{t('tech.diag.network')}</h2>
            <ul>
              {d.network.length === 0 && <li>—</li>}
              {d.network.map((n) => (
                <li key={n.name + n.address}>
                  {n.name}: {n.address} ({n.family})
                </li>
              ))}
            </ul>
          </section>
        </>
      )}
    </div>
  );
}
