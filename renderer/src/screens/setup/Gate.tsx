import { useCallback, useEffect, useState, type ReactNode } from 'react';
import type { AppInfo } from '../../../../contract/api.ts';
import type { ProvisioningState } from '../../../../contract/domains/tech.ts';
import type { KioskApi } from '../../api/client.dom.ts';
import { SpeechProvider } from '../../a11y/speech.tsx';
import { KioskProvider, useKiosk } from '../../kiosk-context.tsx';
import { TechnicianMode } from '../tech/TechnicianMode.tsx';
import { SetupWizard } from './SetupWizard.tsx';

/**
 * Decides what the kiosk shows: the setup wizard until it is provisioned, the citizen screens
 * afterwards, with technician mode on top when opened. Lives outside the citizen session so a
 * session wipe does not close technician mode, and re-reads app.info when settings change
 * (new time-outs, default language) so they apply without a restart.
 */
export function ProvisioningGate({
  api,
  info: initialInfo,
  children,
}: {
  api: KioskApi;
  info: AppInfo;
  children(info: AppInfo): ReactNode;
}) {
  const [state, setState] = useState<ProvisioningState | null>(null);
  const [info, setInfo] = useState(initialInfo);
  const [generation, setGeneration] = useState(0);
  const [techOpen, setTechOpen] = useState(false);

  const refresh = useCallback(async () => {
    const [s, i] = await Promise.all([api.call('tech.provisioningState', {}), api.call('app.info', {})]);
    if (s.ok) setState(s.value);
    if (i.ok) setInfo(i.value);
  }, [api]);

  useEffect(() => {
    void refresh();
    return api.on('tech.configChanged', () => {
      void refresh();
      // A fresh citizen tree picks up the new time-outs and defaults.
      setGeneration((g) => g + 1);
    });
  }, [api, refresh]);

  if (!state) return null;
  if (!state.provisioned) {
    return (
      <KioskProvider api={api} info={info}>
        <WithSpeech>
          <div className="app">
            <SetupWizard state={state} onDone={() => void refresh()} />
          </div>
        </WithSpeech>
      </KioskProvider>
    );
  }
  return (
    <>
      {/* Hidden, not unmounted, under technician mode: one screen (one main landmark) at a time. */}
      <div key={generation} style={{ display: techOpen ? 'none' : 'contents' }} aria-hidden={techOpen || undefined}>
        {children(info)}
      </div>
      <KioskProvider api={api} info={info}>
        <WithSpeech>
          <TechnicianMode onOpenChange={setTechOpen} />
        </WithSpeech>
      </KioskProvider>
    </>
  );
}

/** Screens read themselves aloud when speech is on: technician screens use the same frame. */
function WithSpeech({ children }: { children: ReactNode }) {
  const { api, lang } = useKiosk();
  return (
    <SpeechProvider api={api} lang={lang}>
      {children}
    </SpeechProvider>
  );
}
