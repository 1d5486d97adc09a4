import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { KioskApi } from '../api/client.dom.ts';
import type { Lang } from '../../i18n/index.ts';

/** Volume steps the citizen can choose; every session starts at the default again. */
export const VOLUME_STEPS = [0.2, 0.4, 0.6, 0.8, 1] as const;
export const DEFAULT_VOLUME_STEP = 3;

export interface Speech {
  enabled: boolean;
  setEnabled(on: boolean): void;
  paused: boolean;
  /** Speaks now, interrupting whatever was being said. Does nothing while speech is off. */
  say(text: string): void;
  pause(): void;
  resume(): void;
  repeat(): void;
  stop(): void;
  volumeStep: number;
  setVolumeStep(step: number): void;
  /** The last thing said (or that would have been said), for the screen's own announcement. */
  last: string;
}

const SpeechContext = createContext<Speech | null>(null);

const wavUrl = (base64: string): string => {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  return URL.createObjectURL(new Blob([bytes], { type: 'audio/wav' }));
};

/**
 * "Hướng dẫn bằng giọng nói": the kiosk reads the screen aloud with its offline voice. The
 * main side synthesizes a WAV (espeak-ng); playing it here lets the citizen pause, resume,
 * repeat and change the volume. Lives inside the session: a new citizen starts with it off.
 */
export function SpeechProvider({
  api,
  lang,
  children,
  onEnabledChange,
}: {
  api: KioskApi;
  lang: Lang;
  children: ReactNode;
  onEnabledChange?(on: boolean): void;
}) {
  const [enabled, setEnabledState] = useState(false);
  const [paused, setPaused] = useState(false);
  const [volumeStep, setVolumeStepState] = useState(DEFAULT_VOLUME_STEP);
  const [last, setLast] = useState('');
  const audio = useRef<HTMLAudioElement | null>(null);
  const seq = useRef(0);
  const enabledRef = useRef(enabled);
  enabledRef.current = enabled;
  const volumeRef = useRef<number>(VOLUME_STEPS[DEFAULT_VOLUME_STEP]!);

  // Paused means "hold the voice": speech that arrives while paused (a new screen, an alert)
  // is prepared but kept silent until the citizen taps "Đọc tiếp".
  const pausedRef = useRef(false);
  const setPausedBoth = useCallback((on: boolean) => {
    pausedRef.current = on;
    setPaused(on);
  }, []);

  /** Silences and drops whatever is being said or prepared; the pause stays as it is. */
  const cut = useCallback(() => {
    seq.current += 1;
    const current = audio.current;
    if (current) {
      current.pause();
      URL.revokeObjectURL(current.src);
      audio.current = null;
    }
  }, []);

  const stop = useCallback(() => {
    cut();
    setPausedBoth(false);
  }, [cut, setPausedBoth]);

  const play = useCallback(
    async (text: string) => {
      cut();
      const mine = seq.current;
      const res = await api.call('speech.synthesize', { text, lang });
      if (!res.ok || mine !== seq.current || !enabledRef.current) return;
      const el = new Audio(wavUrl(res.value.wav));
      el.volume = volumeRef.current;
      audio.current = el;
      el.onended = () => {
        if (audio.current === el) URL.revokeObjectURL(el.src);
      };
      if (!pausedRef.current) await el.play().catch(() => undefined);
    },
    [api, lang, cut],
  );

  const say = useCallback(
    (text: string) => {
      const clean = text.replace(/\s+/g, ' ').trim();
      if (!clean) return;
      setLast(clean);
      if (enabledRef.current) void play(clean);
    },
    [play],
  );

  const setEnabled = useCallback(
    (on: boolean) => {
      enabledRef.current = on;
      setEnabledState(on);
      onEnabledChange?.(on);
      if (!on) stop();
    },
    [onEnabledChange, stop],
  );

  const setVolumeStep = useCallback((step: number) => {
    const s = Math.max(0, Math.min(VOLUME_STEPS.length - 1, step));
    volumeRef.current = VOLUME_STEPS[s]!;
    if (audio.current) audio.current.volume = volumeRef.current;
    setVolumeStepState(s);
  }, []);

  useEffect(() => stop, [stop]);

  const value = useMemo<Speech>(
    () => ({
      enabled,
      setEnabled,
      paused,
      say,
      pause: () => {
        audio.current?.pause();
        setPausedBoth(true);
      },
      resume: () => {
        setPausedBoth(false);
        void audio.current?.play().catch(() => undefined);
      },
      repeat: () => {
        // "Nghe lại" is a request to hear it now, so it also lifts a pause.
        setPausedBoth(false);
        if (last) void play(last);
      },
      stop,
      volumeStep,
      setVolumeStep,
      last,
    }),
    [enabled, setEnabled, paused, setPausedBoth, say, stop, volumeStep, setVolumeStep, last, play],
  );

  return (
    <SpeechContext.Provider value={value}>
      {children}
      {/* What was spoken, for end-to-end tests and for technicians; not read by anything. */}
      <div
        hidden
        data-testid="speech-log"
        data-last={last}
        data-enabled={enabled ? 'true' : 'false'}
        data-paused={paused ? 'true' : 'false'}
      />
    </SpeechContext.Provider>
  );
}

/** Speech where there is any (citizen screens, technician mode); null where there is none (the setup wizard). */
export const useOptionalSpeech = (): Speech | null => useContext(SpeechContext);

export function useSpeech(): Speech {
  const speech = useContext(SpeechContext);
  if (!speech) throw new Error('useSpeech outside SpeechProvider');
  return speech;
}
