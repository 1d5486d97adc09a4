import { useSpeech, VOLUME_STEPS } from '../a11y/speech.tsx';
import { useI18n, useKiosk } from '../kiosk-context.tsx';
import { Icon } from './icons.tsx';

/**
 * One tap from every screen: read aloud (with pause, repeat and volume), large text, high
 * contrast, language. Everything here resets when the citizen's session ends.
 */
export function A11yBar() {
  const { info, largeText, setLargeText, highContrast, setHighContrast } = useKiosk();
  const { t, lang, setLang } = useI18n();
  const speech = useSpeech();
  return (
    <div className="a11y-bar" role="toolbar" aria-label={t('a11y.toolbar')} data-testid="a11y-bar">
      <button
        type="button"
        className="tool-button"
        aria-pressed={speech.enabled}
        onClick={() => speech.setEnabled(!speech.enabled)}
        data-testid="speech-toggle"
      >
        <Icon name="speaker" size={32} />
        {speech.enabled ? t('a11y.speechOn') : t('a11y.speech')}
      </button>
      {speech.enabled && (
        <>
          <button
            type="button"
            className="tool-button"
            onClick={speech.paused ? speech.resume : speech.pause}
            data-testid="speech-pause"
          >
            <Icon name={speech.paused ? 'play' : 'pause'} size={28} />
            {speech.paused ? t('a11y.resume') : t('a11y.pause')}
          </button>
          <button type="button" className="tool-button" onClick={speech.repeat} data-testid="speech-repeat">
            <Icon name="repeat" size={28} />
            {t('a11y.repeat')}
          </button>
          <div
            className="volume"
            role="group"
            aria-label={t('a11y.volume', { level: speech.volumeStep + 1, max: VOLUME_STEPS.length })}
          >
            <button
              type="button"
              className="tool-button"
              onClick={() => speech.setVolumeStep(speech.volumeStep - 1)}
              disabled={speech.volumeStep === 0}
              aria-label={t('a11y.quieter')}
            >
              −
            </button>
            <span className="volume-level" data-testid="volume-level">
              {t('a11y.volume', { level: speech.volumeStep + 1, max: VOLUME_STEPS.length })}
            </span>
            <button
              type="button"
              className="tool-button"
              onClick={() => speech.setVolumeStep(speech.volumeStep + 1)}
              disabled={speech.volumeStep === VOLUME_STEPS.length - 1}
              aria-label={t('a11y.louder')}
            >
              +
            </button>
          </div>
        </>
      )}
      <button
        type="button"
        className="tool-button"
        aria-pressed={largeText}
        onClick={() => setLargeText(!largeText)}
        data-testid="large-text-toggle"
      >
        <Icon name="text" size={32} />
        {t('a11y.largeText')}
      </button>
      <button
        type="button"
        className="tool-button"
        aria-pressed={highContrast}
        onClick={() => setHighContrast(!highContrast)}
        data-testid="contrast-toggle"
      >
        <Icon name="contrast" size={32} />
        {t('a11y.contrast')}
      </button>
      {info.languages.length > 1 && (
        <div className="lang-switch" role="group" aria-label={t('a11y.language')}>
          {info.languages.includes('vi') && (
            <button
              type="button"
              className="tool-button"
              aria-pressed={lang === 'vi'}
              onClick={() => setLang('vi')}
              lang="vi"
            >
              Tiếng Việt
            </button>
          )}
          {info.languages.includes('en') && (
            <button
              type="button"
              className="tool-button"
              aria-pressed={lang === 'en'}
              onClick={() => setLang('en')}
              lang="en"
            >
              English
            </button>
          )}
        </div>
      )}
    </div>
  );
}
