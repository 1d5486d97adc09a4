import { localTime } from '../../../../protocol/tickets.ts';
import { useState } from 'react';
import type { LogEntry } from '../../../../contract/domains/tech.ts';
import { TextField } from '../../keyboard/TextField.dom.tsx';
import { useI18n } from '../../kiosk-context.tsx';
import { useCall } from './useCall.dom.ts';

type Level = LogEntry['level'];
const LEVELS: Level[] = ['debug', 'info', 'warn', 'error'];

/** The kiosk's own logs (pino, rotated in the data directory), newest first, filtered on the kiosk. */
export function LogsPage() {
  const { t } = useI18n();
  const [level, setLevel] = useState<Level | ''>('');
  const [grep, setGrep] = useState('');
  const [since, setSince] = useState('');
  const [query, setQuery] = useState<{ level?: Level; grep?: string; since?: string }>({});
  const logs = useCall('tech.logs', { ...query, limit: 300 });
  return (
    <div className="tech-page" data-testid="tech-logs-page">
      <form
        className="tech-toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          setQuery({ ...(level ? { level } : {}), ...(grep ? { grep } : {}), ...(since ? { since } : {}) });
          void logs.reload();
        }}
      >
        <label className="tech-field">
          <span>{t('tech.logs.level')}</span>
          <select value={level} onChange={(e) => setLevel(e.target.value as Level | '')} data-testid="logs-level">
            <option value="">{t('tech.logs.all')}</option>
            {LEVELS.map((l) => (
              <option key={l} value={l}>
                {l}
              </option>
            ))}
          </select>
        </label>
        {/* No physical keyboard at a kiosk: both filters open the on-screen keyboard. */}
        <TextField
          kind="text"
          defaultMethod="plain"
          label={t('tech.logs.grep')}
          value={grep}
          onChange={setGrep}
          testId="logs-grep"
        />
        <TextField
          kind="code"
          label={t('tech.logs.since')}
          value={since}
          onChange={setSince}
          placeholder="15m, 2h, 1d"
          testId="logs-since"
        />
        <button type="submit" className="button button-primary" data-testid="logs-apply">
          {t('tech.logs.apply')}
        </button>
      </form>
      {logs.error && (
        <p className="tech-message tech-message-error" role="alert">
          ⚠ {t('tech.error', { message: logs.error })}
        </p>
      )}
      {logs.value?.entries.length === 0 && <p>{t('tech.logs.empty')}</p>}
      <ol className="tech-logs" data-testid="logs-list">
        {[...(logs.value?.entries ?? [])].reverse().map((e, i) => (
          <li key={`${e.time}-${i}`} className={`log-${e.level}`}>
            <span className="log-time">{localTime(new Date(e.time), true)}</span>{' '}
            <strong className="log-level">{e.level.toUpperCase()}</strong> {e.msg}{' '}
            <span className="log-fields">{e.fields}</span>
          </li>
        ))}
      </ol>
    </div>
  );
}
