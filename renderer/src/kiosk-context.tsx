import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { AppInfo, StorageState, SyncState } from '../../contract/api.ts';
import { isMessageKey, translate, type Lang, type MessageKey } from '../i18n/index.ts';
import type { KioskApi } from './api/client.dom.ts';
import type { InputMethod } from './keyboard/telex.ts';

export interface KioskState {
  api: KioskApi;
  info: AppInfo;
  sync: SyncState;
  /** The kiosk's disk: while full it takes no new dossiers and the home screen says so. */
  storageFull: boolean;
  lang: Lang;
  setLang(lang: Lang): void;
  largeText: boolean;
  setLargeText(on: boolean): void;
  highContrast: boolean;
  setHighContrast(on: boolean): void;
  /** The typing method the citizen picked on the on-screen keyboard (null: each field's default). */
  inputMethod: InputMethod | null;
  setInputMethod(method: InputMethod): void;
}

const KioskContext = createContext<KioskState | null>(null);

export function KioskProvider({ api, info, children }: { api: KioskApi; info: AppInfo; children: ReactNode }) {
  const [lang, setLang] = useState<Lang>(info.defaultLang);
  const [largeText, setLargeTextState] = useState(info.textSize === 'large');
  const [highContrast, setHighContrast] = useState(false);
  const [inputMethod, setInputMethod] = useState<InputMethod | null>(null);
  const [sync, setSync] = useState<SyncState>({
    online: false,
    pending: 0,
    parked: 0,
    lastSuccessAt: null,
    lastErrorKind: null,
  });

  useEffect(() => {
    void api.call('app.syncState', {}).then((r) => r.ok && setSync(r.value));
    return api.on('sync.state', setSync);
  }, [api]);

  const [storageFull, setStorageFull] = useState(false);
  useEffect(() => {
    const take = (s: StorageState) => setStorageFull(s.full);
    void api.call('app.storageState', {}).then((r) => r.ok && take(r.value));
    return api.on('storage.state', take);
  }, [api]);

  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);

  useEffect(() => {
    document.documentElement.classList.toggle('large-text', largeText);
    document.documentElement.classList.toggle('high-contrast', highContrast);
  }, [largeText, highContrast]);

  const setLargeText = useCallback((on: boolean) => setLargeTextState(on), []);

  const value = useMemo(
    () => ({
      api,
      info,
      sync,
      storageFull,
      lang,
      setLang,
      largeText,
      setLargeText,
      highContrast,
      setHighContrast,
      inputMethod,
      setInputMethod,
    }),
    [api, info, sync, storageFull, lang, largeText, setLargeText, highContrast, inputMethod],
  );
  return <KioskContext.Provider value={value}>{children}</KioskContext.Provider>;
}

export function useKiosk(): KioskState {
  const state = useContext(KioskContext);
  if (!state) throw new Error('useKiosk outside KioskProvider');
  return state;
}

export function useI18n() {
  const { lang, setLang } = useKiosk();
  const t = useCallback(
    (key: MessageKey, params?: Record<string, string | number>) => translate(lang, key, params),
    [lang],
  );
  /** Message for an API error code, falling back to the generic one. */
  const tError = useCallback(
    (code: string) => {
      const key = `error.${code}`;
      return translate(lang, isMessageKey(key) ? key : 'error.INTERNAL');
    },
    [lang],
  );
  return { t, tError, lang, setLang };
}
