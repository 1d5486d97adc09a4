import { useEffect, useRef, useState } from 'react';
import type { CatalogFields, ProcedureSummary } from '../../../../contract/domains/catalog.ts';
import type { ProcedureLevel } from '../../../../protocol/catalog.ts';
import { TextField } from '../../keyboard/TextField.dom.tsx';
import { useI18n, useKiosk } from '../../kiosk-context.tsx';
import { useNav } from '../../nav.tsx';
import { Screen } from '../../ui/Screen.tsx';
import './procedures.css';

const PAGE = 20;
const LEVELS: readonly ProcedureLevel[] = ['xa', 'tinh', 'bo'];

/** One result: a large button with the name, field, level and the in-person time limit. */
export function ProcedureRow({ p }: { p: ProcedureSummary }) {
  const { t } = useI18n();
  const nav = useNav();
  return (
    <li>
      <button
        type="button"
        className="proc-row"
        onClick={() => nav.go('procedure', { code: p.code })}
        data-testid="procedure-row"
        data-code={p.code}
      >
        <span className="proc-row-name">{p.name}</span>
        <span className="proc-row-meta">
          {p.fieldName} · {t(`procedures.level.${p.level}`)} · {p.timeLimit}
        </span>
        {p.submittableHere && <span className="proc-badge">✓ {t('procedures.submittable')}</span>}
      </button>
    </li>
  );
}

/**
 * "Tra cứu thủ tục": search as you type on the on-screen keyboard (left), results or browsing
 * by field and level (right). Every keystroke asks the kiosk core, which answers from its
 * offline copy of the catalog; a late answer for an older query is dropped.
 */
export function Procedures() {
  const { api } = useKiosk();
  const { t } = useI18n();
  const [query, setQuery] = useState('');
  const [level, setLevel] = useState<ProcedureLevel | undefined>(undefined);
  const [fieldId, setFieldId] = useState<string | undefined>(undefined);
  const [fields, setFields] = useState<CatalogFields | null>(null);
  const [results, setResults] = useState<{ query: string; total: number; items: ProcedureSummary[] } | null>(null);
  const [browse, setBrowse] = useState<{ total: number; items: ProcedureSummary[] } | null>(null);
  const asked = useRef(0);

  // A kiosk on its first minutes may not have the catalog yet: ask again until it has.
  useEffect(() => {
    if (fields && fields.total > 0) return;
    const ask = () => void api.call('catalog.fields', {}).then((r) => r.ok && setFields(r.value));
    if (!fields) ask();
    const timer = setInterval(ask, 2_000);
    return () => clearInterval(timer);
  }, [api, fields]);

  useEffect(() => {
    const q = query.trim();
    if (!q) {
      setResults(null);
      return;
    }
    const n = ++asked.current;
    void api.call('catalog.search', { query: q, level, fieldId, limit: 30 }).then((r) => {
      if (r.ok && n === asked.current) setResults({ query: q, total: r.value.total, items: r.value.items });
    });
  }, [api, query, level, fieldId]);

  useEffect(() => {
    if (!fieldId && !level) {
      setBrowse(null);
      return;
    }
    void api.call('catalog.browse', { fieldId, level, offset: 0, limit: PAGE }).then((r) => r.ok && setBrowse(r.value));
  }, [api, fieldId, level]);

  const more = () => {
    if (!browse) return;
    void api
      .call('catalog.browse', { fieldId, level, offset: browse.items.length, limit: PAGE })
      .then((r) => r.ok && setBrowse({ total: r.value.total, items: [...browse.items, ...r.value.items] }));
  };

  const fieldName = fields?.fields.find((f) => f.id === fieldId)?.name ?? '';
  const searching = query.trim() !== '';

  return (
    <Screen title={t('procedures.title')} instructions={t('procedures.instructions')} testId="procedures">
      <div className="proc-layout">
        <section className="proc-search" aria-label={t('procedures.search')}>
          <TextField
            kind="text"
            label={t('procedures.search')}
            value={query}
            onChange={setQuery}
            autoOpen
            placeholder={t('procedures.searchPlaceholder')}
            testId="procedure-search"
            defaultMethod="plain"
          />
        </section>
        <section className="proc-list" aria-live="polite" aria-label={t('procedures.fields')}>
          <div className="proc-levels" role="radiogroup" aria-label={t('procedures.level')}>
            {[undefined, ...LEVELS].map((l) => (
              <button
                key={l ?? 'all'}
                type="button"
                role="radio"
                aria-checked={level === l}
                className="proc-chip"
                onClick={() => setLevel(l)}
                data-testid={`level-${l ?? 'all'}`}
              >
                {t(l ? `procedures.level.${l}` : 'procedures.level.all')}
              </button>
            ))}
          </div>
          {fields && fields.total === 0 && <p className="proc-message">{t('procedures.empty')}</p>}
          {searching && results && (
            <>
              <p className="proc-count" data-testid="procedure-count" data-query={results.query}>
                {results.total > results.items.length
                  ? t('procedures.resultsShown', { count: results.total, shown: results.items.length })
                  : t('procedures.results', { count: results.total })}
              </p>
              {results.total === 0 ? (
                <p className="proc-message">{t('procedures.noResults', { query: results.query })}</p>
              ) : (
                <ul className="proc-rows" data-testid="procedure-results">
                  {results.items.map((p) => (
                    <ProcedureRow key={p.code} p={p} />
                  ))}
                </ul>
              )}
            </>
          )}
          {!searching && !fieldId && fields && (
            <>
              <ul className="proc-fields" data-testid="procedure-fields">
                {fields.fields.map((f) => (
                  <li key={f.id}>
                    <button
                      type="button"
                      className="proc-field"
                      onClick={() => setFieldId(f.id)}
                      data-testid={`field-${f.id}`}
                    >
                      <span>{f.name}</span>
                      <span className="proc-field-count">{t('procedures.count', { count: f.count })}</span>
                    </button>
                  </li>
                ))}
              </ul>
              {fields.receivedAt && (
                <p className="proc-age">
                  {t('procedures.catalogAge', {
                    date: new Date(fields.receivedAt).toLocaleDateString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh' }),
                  })}
                </p>
              )}
            </>
          )}
          {!searching && fieldId && (
            <>
              <button
                type="button"
                className="button button-secondary"
                onClick={() => setFieldId(undefined)}
                data-testid="all-fields"
              >
                {t('procedures.allFields')}
              </button>
              <h2 className="proc-heading">{t('procedures.inField', { field: fieldName })}</h2>
              {browse && (
                <>
                  <ul className="proc-rows" data-testid="procedure-browse">
                    {browse.items.map((p) => (
                      <ProcedureRow key={p.code} p={p} />
                    ))}
                  </ul>
                  {browse.items.length < browse.total && (
                    <button type="button" className="button button-secondary" onClick={more}>
                      {t('procedures.more')}
                    </button>
                  )}
                </>
              )}
            </>
          )}
        </section>
      </div>
    </Screen>
  );
}
