import { localDay, vnDay } from '../../../../protocol/tickets.ts';
import { useActorRef, useSelector } from '@xstate/react';
import QRCode from 'qrcode';
import { useEffect, useMemo, useState } from 'react';
import { fromPromise } from 'xstate';
import type { ScanReceived } from '../../../../contract/domains/scans.ts';
import type { IdReaderStatus } from '../../../../contract/domains/chip.ts';
import type { MrzData } from '../../../../drivers/id/types.ts';
import type { SubmitResult } from '../../../../contract/domains/submission.ts';
import { unwrap } from '../../../../contract/errors.ts';
import {
  applyIdFacts,
  feeFor,
  FORMS,
  formFor,
  isActive,
  parseDmy,
  validateForm,
  type FormSchema,
  type IdFacts,
} from '../../../../contract/forms/index.ts';
import { cccdConsistency } from '../../../../drivers/id/cccd.ts';
import { submissionMachine, type SubmitParams } from '../../../../workflows/submission.ts';
import { ErrorSummary, FormEngine } from '../../forms/FormEngine.dom.tsx';
import { useI18n, useKiosk } from '../../kiosk-context.tsx';
import { NotPrinted } from '../../ui/NotPrinted.tsx';
import { useNav } from '../../nav.tsx';
import type { RouteProps } from '../../nav.tsx';
import { CameraScanner } from '../../scan/CameraScanner.dom.tsx';
import { useScanStream } from '../../scan/useScanStream.dom.ts';
import { Icon } from '../../ui/icons.tsx';
import { BackButton, Screen } from '../../ui/Screen.tsx';
import { formIdWarnings, scanNoteWarnings } from './id-notes.ts';
import { Papers } from './Papers.tsx';
import { DossierNotify } from './DossierNotify.tsx';
import { ATTACHMENT_LIMITS } from '../../../../protocol/attachments.ts';
import './submit.css';

export const formatVnd = (n: number): string => `${n.toLocaleString('vi-VN').replace(/,/g, '.')} đ`;

type Notice = { tone: 'ok' | 'warn'; lines: string[] } | null;

/** Nộp hồ sơ: workflows/submission.ts on screen, with one form engine for every procedure. */
export function Submit({ params }: RouteProps) {
  const { api } = useKiosk();
  const { t, lang } = useI18n();
  const nav = useNav();
  const initialCode =
    typeof params.procedureCode === 'string' && formFor(params.procedureCode) ? params.procedureCode : null;
  const machine = useMemo(
    () =>
      submissionMachine.provide({
        guards: {
          complete: ({ context }) => {
            const form = context.procedureCode ? formFor(context.procedureCode) : undefined;
            return !!form && validateForm(form, context.values, localDay(new Date())).length === 0;
          },
        },
        actors: {
          submit: fromPromise<SubmitResult, SubmitParams>(({ input }) =>
            unwrap(api.call('submission.submit', { ...input, consent: true })),
          ),
        },
      }),
    [api],
  );
  const actor = useActorRef(machine, { input: { procedureCode: initialCode } });
  const state = useSelector(actor, (s) => s.value as string);
  const c = useSelector(actor, (s) => s.context);
  const send = actor.send;
  const [scanOpen, setScanOpen] = useState(false);
  const [notice, setNotice] = useState<Notice>(null);
  // The chip reader, when this kiosk has one: placing the card is then the first way to fill the form.
  const [chip, setChip] = useState<IdReaderStatus | null>(null);
  const [chipBusy, setChipBusy] = useState(false);
  useEffect(() => {
    void api.call('chip.status', {}).then((r) => r.ok && setChip(r.value));
    return api.on('chip.status', setChip);
  }, [api]);
  const chipConfigured = chip !== null && (chip.kind === 'pcsc' || chip.kind === 'sim');
  // "Nhắn tin về hồ sơ" is offered when the office offers Zalo or SMS (docs/phone.md).
  const [notifyChannels, setNotifyChannels] = useState<Array<'zalo' | 'sms'>>([]);
  useEffect(() => {
    void api.call('tickets.options', {}).then((r) => r.ok && setNotifyChannels(r.value.notifyChannels ?? []));
  }, [api]);

  useEffect(() => {
    if (state === 'left') nav.back();
    if (state === 'finished') nav.home();
  }, [state, nav]);

  const form = c.procedureCode ? formFor(c.procedureCode) : undefined;

  /** The back of the card gave the access key: read the chip; only a verified chip fills the form from it. */
  const readChip = async (mrz: MrzData, fallback: () => void) => {
    if (!form) return;
    const yymmdd = (iso: string) => iso.slice(2, 4) + iso.slice(5, 7) + iso.slice(8, 10);
    setChipBusy(true);
    setNotice({ tone: 'ok', lines: [t('chip.reading')] });
    const r = await api.call('chip.read', {
      documentNumber: mrz.documentNumber.replace(/</g, '').slice(0, 9),
      birthDate: yymmdd(mrz.birthDate),
      expiryDate: mrz.expiryDate ? yymmdd(mrz.expiryDate) : '991231',
    });
    setChipBusy(false);
    if (!r.ok) return setNotice({ tone: 'warn', lines: [t('submit.scan.bad')] });
    const read = r.value;
    if (!read.ok) {
      // No card: the MRZ still fills as before (not verified). Any other failure fills nothing from this card.
      if (read.code === 'NO_CARD') return fallback();
      return setNotice({ tone: 'warn', lines: [read.message[lang]] });
    }
    const p = read.person;
    const facts: IdFacts = {
      fullName: p.fullName,
      idNumber: p.id,
      birthDate: p.birthDate,
      ...(p.sex ? { sex: p.sex } : {}),
      address: p.placeOfResidence,
    };
    const { values, filled } = applyIdFacts(form, c.values, facts);
    send({ type: 'FILL', values, filled, source: 'chip-verified' });
    setScanOpen(false);
    setNotice({ tone: 'ok', lines: [t('submit.scan.filled')] });
  };

  useScanStream((scan: ScanReceived) => {
    if (state !== 'filling' || !form || chipBusy) return;
    const r = scan.result;
    if (r.kind === 'mrz' && chipConfigured) {
      void readChip(r.mrz, () => {
        const facts: IdFacts = {
          fullName: `${r.mrz.surname} ${r.mrz.givenNames}`.trim(),
          birthDate: r.mrz.birthDate,
          ...(r.mrz.personalId ? { idNumber: r.mrz.personalId } : {}),
          ...(r.mrz.sex ? { sex: r.mrz.sex } : {}),
        };
        const { values, filled } = applyIdFacts(form, c.values, facts);
        send({ type: 'FILL', values, filled, source: 'mrz' });
        setNotice({ tone: 'warn', lines: [t('chip.noCard'), t('submit.scan.mrzName')] });
      });
      return;
    }
    let facts: IdFacts | null = null;
    const lines: string[] = [];
    if (r.kind === 'cccd')
      facts = {
        fullName: r.cccd.fullName,
        idNumber: r.cccd.id,
        birthDate: r.cccd.birthDate,
        sex: r.cccd.sex,
        address: r.cccd.address,
      };
    else if (r.kind === 'mrz') {
      facts = {
        fullName: `${r.mrz.surname} ${r.mrz.givenNames}`.trim(),
        birthDate: r.mrz.birthDate,
        ...(r.mrz.personalId ? { idNumber: r.mrz.personalId } : {}),
        ...(r.mrz.sex ? { sex: r.mrz.sex } : {}),
      };
      lines.push(t('submit.scan.mrzName'));
    } else if (r.kind === 'error' && (r.attempted === 'cccd' || r.attempted === 'mrz')) {
      setNotice({ tone: 'warn', lines: [r.error.message[lang] || t('submit.scan.bad')] });
      return;
    } else {
      setNotice({ tone: 'warn', lines: [t('submit.scan.notCard')] });
      return;
    }
    const { values, filled } = applyIdFacts(form, c.values, facts);
    send({ type: 'FILL', values, filled, source: r.kind === 'cccd' ? 'qr' : 'mrz' });
    setScanOpen(false);
    // The card's own inconsistencies are said kindly, never refused; the ones the form checks
    // live (ID number against birth date and sex) are said there, once.
    const notes = scanNoteWarnings(r.warnings);
    setNotice({
      tone: notes.length ? 'warn' : 'ok',
      lines: [t('submit.scan.filled'), ...lines, ...notes.map((w) => w.message[lang])],
    });
  });

  const back = { onBack: () => send({ type: 'BACK' }), backTestId: 'submit-back' };

  if (state === 'choosing' || state === 'start' || !form) {
    return (
      <Screen title={t('submit.title')} instructions={t('submit.choose.instructions')} testId="submit-choose">
        <ul className="procedure-list">
          {FORMS.map((f) => (
            <li key={f.procedureCode}>
              <button
                type="button"
                className="procedure-choice"
                onClick={() => send({ type: 'CHOOSE', procedureCode: f.procedureCode })}
                data-testid={`procedure-${f.procedureCode}`}
              >
                <span className="procedure-name">{f.name[lang]}</span>
                <span className="procedure-meta">
                  {f.field[lang]} ·{' '}
                  {f.fee === 0 ? t('submit.choose.free') : t('submit.choose.fee', { fee: formatVnd(f.fee) })} ·{' '}
                  {f.processingDays === 0
                    ? t('submit.choose.sameDay')
                    : t('submit.choose.days', { days: f.processingDays })}
                </span>
              </button>
            </li>
          ))}
        </ul>
      </Screen>
    );
  }

  const errors = c.showErrors ? validateForm(form, c.values, localDay(new Date())) : [];

  if (state === 'filling') {
    return (
      <Screen
        title={form.name[lang]}
        instructions={t('submit.fill.instructions')}
        {...back}
        testId="submit-fill"
        actions={
          <>
            <button
              type="button"
              className="button button-primary button-huge"
              onClick={() =>
                send({
                  type: 'REVIEW',
                  docs: (form.attachments ?? []).map((a) => ({
                    id: a.id,
                    optional: a.optional,
                    maxPages: Math.min(
                      a.maxPages ?? ATTACHMENT_LIMITS.maxPagesPerDocument,
                      ATTACHMENT_LIMITS.maxPagesPerDocument,
                    ),
                  })),
                })
              }
              data-testid="submit-review"
            >
              {t('submit.review.button')}
            </button>
          </>
        }
      >
        {chipConfigured && (
          <div className="chip-panel" data-testid="chip-panel" data-card={chip.card ? 'yes' : 'no'}>
            <p className="lead-text">{t('chip.place')}</p>
          </div>
        )}
        {c.identitySource === 'chip-verified' && (
          <p className="chip-verified" data-testid="chip-verified" role="status">
            ✓ {t('chip.verified')}
          </p>
        )}
        <div className="scan-bar">
          {chipConfigured && <p>{t('chip.qrFallback')}</p>}
          <button
            type="button"
            className={`button ${chipConfigured ? 'button-secondary' : 'button-primary button-huge'}`}
            onClick={() => setScanOpen((o) => !o)}
            aria-expanded={scanOpen}
            data-testid="scan-cccd"
          >
            <Icon name="dossier" size={48} />
            {t('submit.scan.button')}
          </button>
          {scanOpen && (
            <div className="scan-panel" data-testid="scan-panel">
              <p>{t('submit.scan.waiting')}</p>
              <CameraScanner onScan={() => undefined} />
            </div>
          )}
        </div>
        {notice && <NoticeBox notice={notice} />}
        <ConsistencyNote form={form} values={c.values} />
        <ErrorSummary schema={form} errors={errors} />
        <FormEngine
          schema={form}
          values={c.values}
          errors={errors}
          scanned={c.scanned}
          onChange={(field, value) => send({ type: 'SET', field, value })}
        />
      </Screen>
    );
  }

  if (state === 'documents') return <Papers form={form} c={c} send={send} />;

  if (state === 'notifying')
    return (
      <DossierNotify
        channels={c.notifyChannels}
        onOptIn={(channel, phone) => send({ type: 'OPT_IN', channel, phone })}
        onSkip={() => send({ type: 'SKIP' })}
        onBack={() => send({ type: 'BACK' })}
      />
    );

  if (state === 'reviewing' || state === 'submitting' || state === 'failed') {
    const fee = feeFor(form, c.values);
    const busy = state === 'submitting';
    return (
      <Screen
        title={t('submit.review.title')}
        instructions={t('submit.review.instructions')}
        onBack={null}
        testId="submit-review-screen"
        actions={
          <>
            <button
              type="button"
              className="button button-secondary"
              onClick={() => send({ type: 'EDIT' })}
              disabled={busy}
              data-testid="submit-edit"
            >
              {t('submit.review.edit')}
            </button>
            <button
              type="button"
              className="button button-primary button-huge"
              onClick={() => send(state === 'failed' ? { type: 'RETRY' } : { type: 'SUBMIT', notifyChannels })}
              disabled={busy || !c.consent}
              data-testid="submit-send"
            >
              {state === 'failed' ? t('submit.retry') : t('submit.send')}
            </button>
          </>
        }
      >
        <ReviewList form={form} values={c.values} />
        <div className="review-facts">
          <p>
            <strong>{t('submit.review.fee')}:</strong> {fee === 0 ? t('submit.choose.free') : formatVnd(fee)}
            {form.feeNote && <span className="review-fee-note"> — {form.feeNote[lang]}</span>}
          </p>
          {c.docs.length > 0 && (
            <>
              <h2>{t('submit.review.attached')}</h2>
              <ul className="review-papers" data-testid="review-papers">
                {c.docs.map((d) => {
                  const name = form.attachments?.find((a) => a.id === d.id)?.title[lang] ?? d.id;
                  const n = c.pages[d.id]?.length ?? 0;
                  return (
                    <li key={d.id}>
                      {n
                        ? t('submit.review.attachedPages', { doc: name, count: n })
                        : t('submit.review.skipped', { doc: name })}
                    </li>
                  );
                })}
              </ul>
            </>
          )}
          <h2>{t('submit.review.documents')}</h2>
          <ul>
            {form.documents.map((d) => (
              <li key={d.vi}>{d[lang]}</li>
            ))}
          </ul>
        </div>
        <label className="consent" data-testid="consent">
          <input
            type="checkbox"
            checked={c.consent}
            onChange={(e) => send({ type: 'CONSENT', value: e.currentTarget.checked })}
            disabled={busy}
            data-testid="consent-box"
          />
          <span>{t('submit.consent.label')}</span>
        </label>
        {!c.consent && <p className="consent-needed">{t('submit.consent.needed')}</p>}
        {busy && (
          <p className="lead-text" role="status">
            {t('submit.sending')}
          </p>
        )}
        {state === 'failed' && c.error && (
          <p className="submit-error" role="alert">
            ⚠ {t('submit.failed')} {c.error.code === 'BAD_INPUT' ? t('error.BAD_INPUT') : ''}
          </p>
        )}
      </Screen>
    );
  }

  // Left or finished: the effect above is taking the citizen away; nothing of this flow to draw.
  if (state === 'left' || state === 'finished' || !c.result) return null;

  // done
  const r = c.result;
  return (
    <Screen
      title={r.accepted ? t('submit.done.title') : t('submit.done.provisionalTitle')}
      onBack={null}
      testId="submit-done"
      actions={
        <>
          {r.accepted && r.dossierCode && r.fee > 0 && (
            <button
              type="button"
              className="button button-primary"
              onClick={() => nav.go('payment', { ref: r.dossierCode })}
              data-testid="submit-pay"
            >
              {t('submit.done.pay')}
            </button>
          )}
          <button
            type="button"
            className="button button-secondary"
            onClick={() => nav.go('rating', { dossierCode: r.dossierCode ?? undefined, context: 'submission' })}
            data-testid="submit-rate"
          >
            {t('submit.done.rate')}
          </button>
          <button
            type="button"
            className="button button-primary button-huge"
            onClick={() => send({ type: 'DONE' })}
            data-testid="submit-finish"
          >
            {t('submit.done.finish')}
          </button>
        </>
      }
    >
      {r.accepted ? (
        <div
          className="receipt-card receipt-final"
          data-testid="receipt-final"
          tabIndex={0}
          role="region"
          aria-label={t('submit.done.title')}
        >
          <p className="lead-text" data-speak>
            ✓ {t('submit.done.final')}
          </p>
          <dl data-speak>
            <dt>{t('submit.done.code')}</dt>
            <dd data-testid="dossier-code">{r.dossierCode}</dd>
            <dt>{t('submit.done.appointment')}</dt>
            <dd>{r.appointmentDate ? vnDay(r.appointmentDate) : ''}</dd>
            <dt>{t('submit.review.fee')}</dt>
            <dd>{r.fee === 0 ? t('submit.choose.free') : formatVnd(r.fee)}</dd>
          </dl>
        </div>
      ) : (
        <div
          className="receipt-card receipt-provisional"
          data-testid="receipt-provisional"
          tabIndex={0}
          role="region"
          aria-label={t('submit.done.provisionalTitle')}
        >
          <p className="lead-text" data-speak>
            ⏳ {t('submit.done.provisional')}
          </p>
          <dl data-speak>
            <dt>{t('submit.done.provisionalNo')}</dt>
            <dd data-testid="provisional-no">{r.provisionalNo}</dd>
          </dl>
          <ProvisionalQr value={r.provisionalNo} label={t('submit.done.provisionalQr', { no: r.provisionalNo })} />
          <p>{t('submit.done.provisionalHint')}</p>
        </div>
      )}
      {!r.print.printed && (
        <NotPrinted
          outcome={r.print}
          why={`⚠ ${t('submit.done.printFailed')}`}
          alt={r.dossierCode ?? r.provisionalNo}
        />
      )}
    </Screen>
  );
}

/** The provisional number as a QR, the same as on the paper: the kiosk's home screen reads it. */
function ProvisionalQr({ value, label }: { value: string; label: string }) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    void QRCode.toDataURL(value, { errorCorrectionLevel: 'M', margin: 2, width: 240 }).then(setSrc);
  }, [value]);
  return src ? (
    <img src={src} alt={label} width={240} height={240} data-testid="provisional-qr" data-value={value} />
  ) : null;
}

function NoticeBox({ notice }: { notice: NonNullable<Notice> }) {
  const { t } = useI18n();
  return (
    <div className={`scan-notice scan-notice-${notice.tone}`} role="status" data-testid="scan-notice" data-speak>
      {notice.tone === 'warn' && <strong>ℹ {t('submit.check.title')}: </strong>}
      {notice.lines.map((l) => (
        <p key={l}>{l}</p>
      ))}
    </div>
  );
}

/** The ID number and the birth date/sex typed or corrected by hand should agree; a gentle note when they do not. */
function ConsistencyNote({ form, values }: { form: FormSchema; values: Record<string, string> }) {
  const { t, lang } = useI18n();
  if (!form.sections.some((s) => s.fields.some((f) => f.id === 'applicantId'))) return null;
  const warnings = formIdWarnings(values);
  if (!warnings.length) return null;
  return (
    <div className="scan-notice scan-notice-warn" role="status" data-testid="id-consistency">
      <strong>ℹ {t('submit.check.title')}: </strong>
      {warnings.map((w) => (
        <p key={w.code}>{w.message[lang]}</p>
      ))}
    </div>
  );
}

function ReviewList({ form, values }: { form: FormSchema; values: Record<string, string> }) {
  const { lang } = useI18n();
  return (
    <div className="review-list" data-testid="review-list">
      {form.sections.map((s) => (
        <section key={s.id}>
          <h2>{s.title[lang]}</h2>
          <dl>
            {s.fields
              .filter((f) => isActive(f, values) && (values[f.id] ?? '') !== '')
              .map((f) => (
                <div key={f.id} className="review-row">
                  <dt>{f.label[lang]}</dt>
                  <dd>
                    {f.type === 'choice'
                      ? (f.options?.find((o) => o.value === values[f.id])?.label[lang] ?? values[f.id])
                      : values[f.id]}
                  </dd>
                </div>
              ))}
          </dl>
        </section>
      ))}
    </div>
  );
}
