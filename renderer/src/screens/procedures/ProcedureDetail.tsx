import { useEffect, useState } from 'react';
import type { CallOutput } from '../../../../contract/api.ts';
import { useI18n, useKiosk } from '../../kiosk-context.tsx';
import { useNav } from '../../nav.tsx';
import type { RouteProps } from '../../nav.tsx';
import { Screen } from '../../ui/Screen.tsx';
import { PrintFeedback, type PrintState } from './PrintFeedback.tsx';
import './procedures.css';

type Detail = CallOutput<'catalog.get'>;

/** One procedure in full: documents, time limits and fees per channel, exemptions verbatim, where. */
export function ProcedureDetail({ params }: RouteProps) {
  const { api } = useKiosk();
  const { t, tError } = useI18n();
  const nav = useNav();
  const code = typeof params.code === 'string' ? params.code : '';
  const [detail, setDetail] = useState<Detail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [print, setPrint] = useState<PrintState>({ kind: 'idle' });

  useEffect(() => {
    void api.call('catalog.get', { code }).then((r) => (r.ok ? setDetail(r.value) : setError(r.error.code)));
  }, [api, code]);

  const doPrint = async () => {
    setPrint({ kind: 'printing' });
    const r = await api.call('catalog.printChecklist', { code });
    setPrint(r.ok ? { kind: 'done', outcome: r.value } : { kind: 'error', code: r.error.code });
  };

  const p = detail?.procedure;
  const actions = p && (
    <>
      {detail.submittableHere && (
        <button
          type="button"
          className="button button-secondary"
          onClick={() => nav.go('submit', { procedureCode: p.code })}
          data-testid="procedure-submit"
        >
          {t('procedure.submitHere')}
        </button>
      )}
      <button
        type="button"
        className="button button-primary"
        onClick={() => void doPrint()}
        disabled={print.kind === 'printing'}
        data-testid="procedure-print"
      >
        {print.kind === 'printing' ? t('procedure.printing') : t('procedure.print')}
      </button>
    </>
  );

  return (
    <Screen
      title={t('procedure.title')}
      instructions={t('procedure.instructions')}
      actions={actions}
      testId="procedure-detail"
    >
      {error && (
        <p className="proc-message" role="alert">
          {error === 'NOT_FOUND' ? t('procedure.notFound') : tError(error)}
        </p>
      )}
      {!p && !error && <p>{t('procedures.loading')}</p>}
      {p && (
        // The guide scrolls inside its own region (reachable by keyboard too); back/home and the actions stay in view.
        <div className="scroll-region" tabIndex={0} role="region" aria-label={p.name}>
          <PrintFeedback
            state={print}
            printedText={t('procedure.printed')}
            onClose={() => setPrint({ kind: 'idle' })}
          />
          <h2 className="proc-name" data-testid="procedure-name" data-speak>
            {p.name}
          </h2>
          {p.sample && (
            <p className="proc-sample" data-testid="procedure-sample" data-speak>
              {t('procedure.sample')}
            </p>
          )}
          <div className="proc-detail">
            <div>
              <section className="proc-card" aria-labelledby="proc-docs">
                <h2 id="proc-docs">{t('procedure.documents')}</h2>
                {p.cases.map((c, ci) => (
                  <div key={ci}>
                    {c.name && <h3 className="proc-case">{t('procedure.case', { name: c.name })}</h3>}
                    <ol className="proc-docs" data-testid="procedure-documents">
                      {c.documents.map((d, di) => (
                        <li key={di}>
                          <span className="proc-doc-name">{d.name}</span>
                          <span className="proc-doc-count">
                            {[
                              d.originals ? t('procedure.originals', { count: d.originals }) : '',
                              d.copies ? t('procedure.copies', { count: d.copies }) : '',
                            ]
                              .filter(Boolean)
                              .join(', ') || t('procedure.showOnly')}
                          </span>
                          {d.template && (
                            <span className="proc-doc-note">{t('procedure.template', { name: d.template })}</span>
                          )}
                          {d.note && <span className="proc-doc-note">{d.note}</span>}
                        </li>
                      ))}
                    </ol>
                  </div>
                ))}
              </section>
              <section className="proc-card" aria-labelledby="proc-steps">
                <h2 id="proc-steps">{t('procedure.steps')}</h2>
                <ol className="proc-docs">
                  {p.steps.map((s, i) => (
                    <li key={i}>{s}</li>
                  ))}
                </ol>
              </section>
            </div>
            <div>
              <section className="proc-card" aria-labelledby="proc-channels">
                <h2 id="proc-channels">{t('procedure.channels')}</h2>
                <table className="proc-channels" data-testid="procedure-channels">
                  <thead>
                    <tr>
                      <th scope="col">{t('procedure.channel')}</th>
                      <th scope="col">{t('procedure.timeLimit')}</th>
                      <th scope="col">{t('procedure.fee')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {p.channels.map((c) => (
                      <tr key={c.kind}>
                        <th scope="row">{t(`procedure.channel.${c.kind}`)}</th>
                        {/* data-label: in portrait large text each row stacks, each value under its column's name. */}
                        <td data-label={t('procedure.timeLimit')}>{c.timeLimit}</td>
                        <td data-label={t('procedure.fee')}>{c.fee}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </section>
              {p.feeExemptions.length > 0 && (
                <section
                  className="proc-card proc-exemptions"
                  aria-labelledby="proc-exempt"
                  data-testid="procedure-exemptions"
                >
                  <h2 id="proc-exempt">{t('procedure.exemptions')}</h2>
                  {p.feeExemptions.map((e, i) => (
                    <p key={i}>{e}</p>
                  ))}
                </section>
              )}
              <section className="proc-card" aria-labelledby="proc-where">
                <h2 id="proc-where">{t('procedure.where')}</h2>
                <p>{p.whereToSubmit}</p>
                {detail.submittableHere && <p className="proc-submit-hint">✓ {t('procedure.submitHint')}</p>}
                <dl className="proc-facts">
                  <dt>{t('procedure.code')}</dt>
                  <dd>{p.code}</dd>
                  <dt>{t('procedure.field')}</dt>
                  <dd>{detail.fieldName}</dd>
                  <dt>{t('procedure.levelLabel')}</dt>
                  <dd>{t(`procedures.level.${p.level}`)}</dd>
                  <dt>{t('procedure.agency')}</dt>
                  <dd>{p.agency}</dd>
                  <dt>{t('procedure.result')}</dt>
                  <dd>{p.result}</dd>
                </dl>
              </section>
              <section className="proc-card" aria-labelledby="proc-who">
                <h2 id="proc-who">{t('procedure.applicants')}</h2>
                {p.applicants.map((a, i) => (
                  <p key={i}>{a}</p>
                ))}
                {p.requirements.length > 0 && (
                  <>
                    <h2>{t('procedure.requirements')}</h2>
                    {p.requirements.map((a, i) => (
                      <p key={i}>{a}</p>
                    ))}
                  </>
                )}
                <h2>{t('procedure.legal')}</h2>
                {p.legalBasis.map((a, i) => (
                  <p key={i}>{a}</p>
                ))}
              </section>
            </div>
          </div>
        </div>
      )}
    </Screen>
  );
}
