import { useActorRef, useSelector } from '@xstate/react';
import { useEffect, useMemo, useState } from 'react';
import { fromPromise } from 'xstate';
import type { ProvisioningState, SerialPortInfo } from '../../../../contract/domains/tech.ts';
import { provisioningMachine } from '../../../../workflows/provisioning.ts';
import { useI18n, useKiosk } from '../../kiosk-context.tsx';
import { NavContext, type Nav } from '../../nav.tsx';
import { TextField } from '../../keyboard/TextField.dom.tsx';
import { useScanStream } from '../../scan/useScanStream.dom.ts';
import { Screen } from '../../ui/Screen.tsx';
import { EMPTY_PIN, NewPinFields, pinReady } from '../tech/NewPinFields.tsx';
import '../tech/tech.css';

type Wizard = ReturnType<typeof useActorRef<typeof provisioningMachine>>;

/** First start of a kiosk without a credential: office → code → devices → tests → PIN. */
export function SetupWizard({ state, onDone }: { state: ProvisioningState; onDone(): void }) {
  const { api } = useKiosk();
  const actor = useActorRef(
    provisioningMachine.provide({
      actors: {
        loadOffices: fromPromise(async ({ input }) => {
          const r = await api.call('tech.setupOffices', { centralUrl: input.centralUrl });
          if (!r.ok) throw r.error;
          return r.value.offices;
        }),
        enrol: fromPromise(async ({ input }) => {
          const r = await api.call('tech.setupEnrol', input);
          if (!r.ok) throw r.error;
          return r.value;
        }),
        useDevices: fromPromise(async ({ input }) => {
          const r = await api.call('tech.setupUseDevices', input);
          if (!r.ok) throw r.error;
        }),
        testPrint: fromPromise(async () => {
          const r = await api.call('tech.setupTestPrint', {});
          if (!r.ok) throw r.error;
        }),
        finish: fromPromise(async ({ input }) => {
          const r = await api.call('tech.setupFinish', input);
          if (!r.ok) throw r.error;
        }),
      },
    }),
    {
      input: {
        centralUrl: state.centralUrl,
        kioskName: state.kioskName === 'Kiosk' ? '' : state.kioskName,
        printer: state.printer,
        scanner: state.scanner,
        enrolled: state.enrolled,
        deviceId: state.deviceId,
      },
    },
  );
  const step = useSelector(actor, (s) => (typeof s.value === 'string' ? s.value : Object.keys(s.value)[0]!));
  const done = useSelector(actor, (s) => s.status === 'done');
  useEffect(() => {
    if (done) onDone();
  }, [done, onDone]);
  // No citizen home during setup: the frame's home button steps back like "Quay lại".
  const nav = useMemo<Nav>(
    () => ({
      route: { name: 'setup' },
      go: () => undefined,
      back: () => actor.send({ type: 'BACK' }),
      home: () => actor.send({ type: 'BACK' }),
    }),
    [actor],
  );
  return (
    <NavContext.Provider value={nav}>
      {step === 'office' && <OfficeStep actor={actor} />}
      {step === 'enrol' && <EnrolStep actor={actor} />}
      {step === 'devices' && <DevicesStep actor={actor} />}
      {step === 'tests' && <TestsStep actor={actor} />}
      {(step === 'pin' || step === 'done') && <PinStep actor={actor} />}
    </NavContext.Provider>
  );
}

function ErrorLine({ actor }: { actor: Wizard }) {
  const { t, tError } = useI18n();
  const error = useSelector(actor, (s) => s.context.error);
  if (!error) return null;
  return (
    <p className="tech-message tech-message-error" role="alert" data-testid="setup-error">
      ⚠ {tError(error.code)} {t('tech.error', { message: error.message })}
    </p>
  );
}

/** One step of the wizard: its number, and "Quay lại" to the step before when there is one. */
function Frame({
  n,
  title,
  instructions,
  onBack,
  actions,
  children,
  testId,
}: {
  n: number;
  title: string;
  instructions: string;
  onBack?: () => void;
  actions?: React.ReactNode;
  children: React.ReactNode;
  testId: string;
}) {
  const { t } = useI18n();
  return (
    <Screen
      title={`${t('setup.title')}: ${title}`}
      instructions={instructions}
      onBack={null}
      testId={testId}
      actions={
        <>
          {onBack && (
            <button type="button" className="button button-secondary" onClick={onBack}>
              {t('setup.back')}
            </button>
          )}
          {actions}
        </>
      }
    >
      <div className="setup-steps">
        <p className="setup-progress">{t('setup.step', { n })}</p>
        {children}
      </div>
    </Screen>
  );
}

function OfficeStep({ actor }: { actor: Wizard }) {
  const { t } = useI18n();
  const ctx = useSelector(actor, (s) => s.context);
  const loading = useSelector(actor, (s) => s.matches({ office: 'loading' }));
  const [url, setUrl] = useState(ctx.centralUrl);
  const [officeId, setOfficeId] = useState('');
  const [name, setName] = useState(ctx.kioskName);
  return (
    <Frame
      n={1}
      title={t('setup.office.title')}
      instructions={t('setup.office.instructions')}
      testId="setup-office"
      actions={
        <button
          type="button"
          className="button button-primary"
          disabled={!officeId || !name.trim()}
          onClick={() => actor.send({ type: 'CHOOSE_OFFICE', officeId, kioskName: name.trim() })}
          data-testid="setup-next"
        >
          {t('setup.next')}
        </button>
      }
    >
      <div className="tech-toolbar">
        <div style={{ flex: 1 }}>
          <TextField
            kind="url"
            label={t('setup.office.centralUrl')}
            value={url}
            onChange={setUrl}
            testId="setup-central"
          />
        </div>
        <button
          type="button"
          className="button button-secondary"
          disabled={loading}
          onClick={() => actor.send({ type: 'LOAD_OFFICES', centralUrl: url.trim() })}
          data-testid="setup-load"
        >
          {t('setup.office.load')}
        </button>
      </div>
      <ErrorLine actor={actor} />
      <label className="tech-field">
        <span>{t('setup.office.office')}</span>
        <select
          value={officeId}
          onChange={(e) => setOfficeId(e.target.value)}
          disabled={ctx.offices.length === 0}
          data-testid="setup-office-select"
        >
          <option value="">{t('setup.office.choose')}</option>
          {ctx.offices.map((o) => (
            <option key={o.id} value={o.id}>
              {o.name} — {o.province}
            </option>
          ))}
        </select>
      </label>
      {/* The kiosk's own on-screen keyboard: a technician on site may have no physical one. */}
      <TextField
        kind="text"
        label={t('setup.office.kioskName')}
        value={name}
        onChange={setName}
        maxLength={100}
        testId="setup-name"
      />
    </Frame>
  );
}

function EnrolStep({ actor }: { actor: Wizard }) {
  const { t } = useI18n();
  const sending = useSelector(actor, (s) => s.matches({ enrol: 'sending' }));
  const [code, setCode] = useState('');
  return (
    <Frame
      n={2}
      title={t('setup.enrol.title')}
      instructions={t('setup.enrol.instructions')}
      testId="setup-enrol"
      onBack={() => actor.send({ type: 'BACK' })}
      actions={
        <button
          type="button"
          className="button button-primary"
          disabled={code.trim().length < 4 || sending}
          onClick={() => actor.send({ type: 'SUBMIT_CODE', code: code.trim() })}
          data-testid="setup-enrol-submit"
        >
          {sending ? t('setup.enrol.sending') : t('setup.enrol.submit')}
        </button>
      }
    >
      <TextField
        kind="code"
        label={t('setup.enrol.code')}
        value={code}
        onChange={(v) => setCode(v.toUpperCase())}
        onEnter={() => code.trim().length >= 4 && actor.send({ type: 'SUBMIT_CODE', code: code.trim() })}
        maxLength={20}
        testId="setup-code"
      />
      <ErrorLine actor={actor} />
    </Frame>
  );
}

const serialUri = (path: string, baud: string) => `serial:${path}?baud=${baud}`;

function DevicesStep({ actor }: { actor: Wizard }) {
  const { api } = useKiosk();
  const { t } = useI18n();
  const ctx = useSelector(actor, (s) => s.context);
  const saving = useSelector(actor, (s) => s.matches({ devices: 'saving' }));
  const [ports, setPorts] = useState<SerialPortInfo[]>([]);
  const [printerPath, setPrinterPath] = useState(
    ctx.printer.startsWith('serial:') ? ctx.printer.slice(7).split('?')[0]! : 'sim',
  );
  const [printerBaud, setPrinterBaud] = useState('19200');
  const [scanner, setScanner] = useState(
    ctx.scanner.startsWith('serial:') ? ctx.scanner.slice(7).split('?')[0]! : ctx.scanner,
  );
  useEffect(() => {
    void api.call('tech.setupDevices', {}).then((r) => r.ok && setPorts(r.value.serialPorts));
  }, [api]);
  const printer = printerPath === 'sim' ? 'sim' : serialUri(printerPath, printerBaud);
  const scannerUri = ['sim', 'hid', 'camera'].includes(scanner) ? scanner : serialUri(scanner, '9600');
  return (
    <Frame
      n={3}
      title={t('setup.devices.title')}
      instructions={t('setup.devices.instructions')}
      testId="setup-devices"
      actions={
        <button
          type="button"
          className="button button-primary"
          disabled={saving}
          onClick={() => actor.send({ type: 'CHOOSE_DEVICES', printer, scanner: scannerUri })}
          data-testid="setup-devices-use"
        >
          {t('setup.devices.use')}
        </button>
      }
    >
      {ctx.deviceId && <p role="status">✓ {t('setup.enrol.done', { deviceId: ctx.deviceId })}</p>}
      {ctx.officeMismatch && (
        <p className="tech-message tech-message-error">⚠ {t('setup.enrol.mismatch', { office: ctx.officeMismatch })}</p>
      )}
      {ports.length === 0 && <p>{t('setup.devices.noPorts')}</p>}
      <div className="tech-side-by-side">
        <label className="tech-field">
          <span>{t('setup.devices.printer')}</span>
          <select value={printerPath} onChange={(e) => setPrinterPath(e.target.value)} data-testid="setup-printer">
            <option value="sim">{t('setup.devices.sim')}</option>
            {ports.map((p) => (
              <option key={p.path} value={p.path}>
                {p.path} {p.manufacturer ?? ''}
              </option>
            ))}
          </select>
        </label>
        <label className="tech-field">
          <span>{t('setup.devices.baud')}</span>
          <select value={printerBaud} onChange={(e) => setPrinterBaud(e.target.value)} disabled={printerPath === 'sim'}>
            {['9600', '19200', '38400', '115200'].map((b) => (
              <option key={b}>{b}</option>
            ))}
          </select>
        </label>
      </div>
      <label className="tech-field">
        <span>{t('setup.devices.scanner')}</span>
        <select value={scanner} onChange={(e) => setScanner(e.target.value)} data-testid="setup-scanner">
          <option value="sim">{t('setup.devices.sim')}</option>
          <option value="hid">{t('setup.devices.hid')}</option>
          <option value="camera">{t('setup.devices.camera')}</option>
          {ports.map((p) => (
            <option key={p.path} value={p.path}>
              {p.path} {p.manufacturer ?? ''}
            </option>
          ))}
        </select>
      </label>
      <ErrorLine actor={actor} />
    </Frame>
  );
}

function TestsStep({ actor }: { actor: Wizard }) {
  const { api } = useKiosk();
  const { t } = useI18n();
  const ctx = useSelector(actor, (s) => s.context);
  const printing = useSelector(actor, (s) => s.matches({ tests: 'printing' }));
  useScanStream((scan) => actor.send({ type: 'SCAN_SEEN', kind: scan.result.kind }));
  return (
    <Frame
      n={4}
      title={t('setup.tests.title')}
      instructions={t('setup.tests.instructions')}
      testId="setup-tests"
      onBack={() => actor.send({ type: 'BACK' })}
      actions={
        <button
          type="button"
          className="button button-primary"
          disabled={!ctx.testPrintOk || !ctx.testScanOk}
          onClick={() => actor.send({ type: 'NEXT' })}
          data-testid="setup-next"
        >
          {t('setup.next')}
        </button>
      }
    >
      <section className="tech-card">
        <button
          type="button"
          className="button button-primary"
          disabled={printing}
          onClick={() => actor.send({ type: 'TEST_PRINT' })}
          data-testid="setup-test-print"
        >
          {printing ? t('setup.tests.printing') : t('setup.tests.print')}
        </button>
        {ctx.testPrintOk && (
          <p className="tech-message tech-message-ok" role="status" data-testid="setup-print-ok">
            ✓ {t('setup.tests.printOk')}
          </p>
        )}
      </section>
      <section className="tech-card">
        <p role="status" data-testid="setup-scan-status">
          {ctx.testScanOk
            ? `✓ ${t('setup.tests.scanOk', { kind: ctx.lastScanKind ?? '' })}`
            : t('setup.tests.scanWait')}
        </p>
        {ctx.scanner === 'sim' && (
          <button
            type="button"
            className="button button-secondary"
            onClick={() => void api.call('scans.simulate', { text: 'ONESTOP-TEST-SCAN' })}
            data-testid="setup-simulate-scan"
          >
            {t('setup.tests.simulate')}
          </button>
        )}
      </section>
      <ErrorLine actor={actor} />
    </Frame>
  );
}

function PinStep({ actor }: { actor: Wizard }) {
  const { t } = useI18n();
  const [pin, setPin] = useState(EMPTY_PIN);
  const finishing = useSelector(actor, (s) => s.matches({ pin: 'finishing' }) || s.status === 'done');
  return (
    <Frame
      n={5}
      title={t('setup.pin.title')}
      instructions={t('setup.pin.instructions')}
      testId="setup-pin"
      onBack={() => actor.send({ type: 'BACK' })}
      actions={
        <button
          type="button"
          className="button button-primary"
          disabled={!pinReady(pin) || finishing}
          onClick={() => actor.send({ type: 'SUBMIT_PIN', pin: pin.pin })}
          data-testid="setup-finish"
        >
          {t('setup.pin.finish')}
        </button>
      }
    >
      <NewPinFields value={pin} onChange={setPin} testIds={['setup-pin-1', 'setup-pin-2']} />
      <ErrorLine actor={actor} />
    </Frame>
  );
}
