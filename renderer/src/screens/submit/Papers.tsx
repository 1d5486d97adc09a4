import { useState } from 'react';
import type { AttachmentSpec, FormSchema } from '../../../../contract/forms/index.ts';
import type { SubmissionContext, SubmissionEvent } from '../../../../workflows/submission.ts';
import { useI18n, useKiosk } from '../../kiosk-context.tsx';
import { Screen } from '../../ui/Screen.tsx';
import { PaperCamera } from './PaperCamera.dom.tsx';

/**
 * The papers step (issue 16): one screen per document the procedure asks to digitise. A captured
 * page is shown large with "Chụp lại" (deleted on the kiosk at once, then scanned again) and
 * "Dùng ảnh này"; accepted pages are listed as thumbnails; "Tiếp tục" needs a page unless the
 * paper is optional ("Bỏ qua").
 */
export function Papers({
  form,
  c,
  send,
}: {
  form: FormSchema;
  c: SubmissionContext;
  send: (e: SubmissionEvent) => void;
}) {
  const { api } = useKiosk();
  const { t, tError, lang } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Thumbnails of accepted pages (this screen's memory only; the kiosk keeps the pages encrypted).
  const [thumbs, setThumbs] = useState<Record<string, string>>({});
  const [camera, setCamera] = useState(false);
  const [lastSource, setLastSource] = useState<'scanner' | 'camera'>('scanner');
  const step = c.docs[c.docIndex];
  const spec: AttachmentSpec | undefined = form.attachments?.find((a) => a.id === step?.id);
  if (!step || !spec) return null;
  const pages = c.pages[step.id] ?? [];
  const title = t('submit.docs.title', { n: c.docIndex + 1, total: c.docs.length });

  const scan = async (photo?: string) => {
    setBusy(true);
    setError(null);
    const r = photo ? await api.call('capture.photo', { image: photo }) : await api.call('capture.scan', {});
    setBusy(false);
    setCamera(false);
    if (!r.ok) return setError(tError(r.error.code));
    setThumbs((m) => ({ ...m, [r.value.pageId]: r.value.preview }));
    setLastSource(r.value.source);
    send({ type: 'CAPTURED', page: { pageId: r.value.pageId, preview: r.value.preview } });
  };
  const retake = async () => {
    if (c.pending) await api.call('capture.discard', { pageId: c.pending.pageId });
    send({ type: 'RETAKE' });
    // A camera page is taken again with the camera; a scanned one is scanned again.
    if (lastSource === 'camera') setCamera(true);
    else await scan();
  };
  const remove = async (pageId: string) => {
    await api.call('capture.discard', { pageId });
    send({ type: 'REMOVE_PAGE', pageId });
  };

  if (c.pending) {
    const n = pages.length + 1;
    return (
      <Screen
        title={`${title}: ${spec.title[lang]}`}
        instructions={t('submit.docs.check', { n })}
        onBack={null}
        testId="submit-page-check"
        actions={
          <>
            <button
              type="button"
              className="button button-secondary button-huge"
              onClick={() => void retake()}
              disabled={busy}
              data-testid="page-retake"
            >
              {t('submit.docs.retake')}
            </button>
            <button
              type="button"
              className="button button-primary button-huge"
              onClick={() => send({ type: 'USE' })}
              disabled={busy}
              data-testid="page-use"
            >
              {t('submit.docs.use')}
            </button>
          </>
        }
      >
        <figure
          className="page-check"
          tabIndex={0}
          role="region"
          aria-label={t('submit.docs.pageAlt', { n, doc: spec.title[lang] })}
        >
          <img
            src={c.pending.preview}
            alt={t('submit.docs.pageAlt', { n, doc: spec.title[lang] })}
            data-testid="page-preview"
            data-page-id={c.pending.pageId}
          />
        </figure>
        {busy && (
          <p className="lead-text" role="status">
            {t('submit.docs.scanning')}
          </p>
        )}
        {error && (
          <p className="submit-error" role="alert" data-testid="page-error">
            ⚠ {error}
          </p>
        )}
      </Screen>
    );
  }

  const full = pages.length >= step.maxPages;
  return (
    <Screen
      title={`${title}: ${spec.title[lang]}`}
      instructions={t('submit.docs.instructions')}
      onBack={() => send({ type: 'BACK' })}
      backTestId="submit-back"
      testId="submit-papers"
      actions={
        <>
          {step.optional && pages.length === 0 ? (
            <button
              type="button"
              className="button button-secondary"
              onClick={() => send({ type: 'SKIP' })}
              disabled={busy}
              data-testid="papers-skip"
            >
              {t('submit.docs.skip')}
            </button>
          ) : (
            <button
              type="button"
              className="button button-secondary"
              onClick={() => send({ type: 'NEXT' })}
              disabled={busy || pages.length === 0}
              data-testid="papers-next"
            >
              {t('submit.docs.next')}
            </button>
          )}
          <button
            type="button"
            className="button button-primary button-huge"
            onClick={() => void scan()}
            disabled={busy || full}
            data-testid="papers-scan"
          >
            {pages.length ? t('submit.docs.scanMore') : t('submit.docs.scan')}
          </button>
        </>
      }
    >
      <p className={`paper-need ${step.optional ? 'paper-optional' : 'paper-required'}`} data-testid="paper-need">
        {step.optional ? t('submit.docs.optional') : t('submit.docs.required')} ·{' '}
        {t('submit.docs.limit', { max: step.maxPages })}
      </p>
      {camera ? (
        <PaperCamera busy={busy} onShot={(image) => void scan(image)} />
      ) : (
        <button
          type="button"
          className="button button-secondary"
          onClick={() => setCamera(true)}
          disabled={busy || full}
          data-testid="papers-camera"
        >
          {t('submit.docs.camera')}
        </button>
      )}
      <p className="lead-text" data-testid="paper-count">
        {pages.length ? t('submit.docs.pages', { count: pages.length }) : t('submit.docs.none')}
      </p>
      {pages.length > 0 && (
        <ol className="paper-pages" data-testid="paper-pages">
          {pages.map((id, i) => (
            <li key={id}>
              {thumbs[id] && (
                <img src={thumbs[id]} alt={t('submit.docs.pageAlt', { n: i + 1, doc: spec.title[lang] })} />
              )}
              <button
                type="button"
                className="button button-secondary"
                onClick={() => void remove(id)}
                data-testid={`paper-remove-${i + 1}`}
              >
                {t('submit.docs.remove', { n: i + 1 })}
              </button>
            </li>
          ))}
        </ol>
      )}
      {busy && (
        <p className="lead-text" role="status">
          {t('submit.docs.scanning')}
        </p>
      )}
      {error && (
        <p className="submit-error" role="alert" data-testid="papers-error">
          ⚠ {error}
        </p>
      )}
      {!step.optional && pages.length === 0 && <p className="consent-needed">{t('submit.docs.needPage')}</p>}
    </Screen>
  );
}
