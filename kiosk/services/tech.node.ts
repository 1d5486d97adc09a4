import type { Authorize, Handlers } from '../api/dispatch.ts';
import type { ProvisioningState } from '../../contract/domains/tech.ts';
import { KioskError } from '../../contract/errors.ts';
import type { ApplianceContext } from '../appliance/context.node.ts';
import { CentralClient, CentralClientError, readCentralCa } from '../sync/central-client.node.ts';
import { audit } from '../tech/audit.node.ts';
import { diagnostics, listSerialPorts } from '../tech/diagnostics.node.ts';
import { enrolKiosk } from '../tech/enrol.node.ts';
import { HEARTBEAT_INTERVAL_MS, sendHeartbeat, startHeartbeat } from '../tech/heartbeat.node.ts';
import { readLogs } from '../tech/logs.node.ts';
import { PIN_PATTERN, PinGuard } from '../tech/pin.node.ts';
import { storeFirstPin } from '../tech/first-pin.node.ts';
import { kioskEnv } from '../config/env.node.ts';
import { TechSession } from '../tech/session.node.ts';
import { applyPushedSettings, applySettings, currentSettings, reopenPrinter } from '../tech/settings.node.ts';
import { openKioskPrinter } from '../devices/printer.node.ts';
import { centralUrlProblem } from '../sync/transport-policy.ts';

type TechCall =
  | 'tech.provisioningState'
  | 'tech.setupOffices'
  | 'tech.setupEnrol'
  | 'tech.setupDevices'
  | 'tech.setupUseDevices'
  | 'tech.setupTestPrint'
  | 'tech.setupFinish'
  | 'tech.unlock'
  | 'tech.lock'
  | 'tech.status'
  | 'tech.setPin'
  | 'tech.pins'
  | 'tech.diagnostics'
  | 'tech.printModeTest'
  | 'tech.logs'
  | 'tech.settingsGet'
  | 'tech.settingsSet'
  | 'tech.heartbeat';

export interface TechOptions {
  /** Heartbeat period; 0 turns it off (unit tests of other services). Default: KIOSK_HEARTBEAT_MS or 60 s. */
  heartbeatMs?: number;
  /** Technician mode idle time-out. */
  idleMs?: number;
  /** scrypt cost (tests lower it). */
  pinParams?: { N: number; r: number; p: number };
}

// Setup progress lives in the core's kv table, so a restart mid-setup resumes the wizard.
const KV_PENDING = 'setup.pending';
const KV_PRINT_OK = 'setup.testPrintOk';
const KV_SCAN_OK = 'setup.testScanOk';

const errorFromCentral = (err: unknown): never => {
  if (err instanceof CentralClientError) {
    if (err.code === 'ENROL_CODE_INVALID')
      throw new KioskError('UNAUTHORIZED', err.message, { reason: 'ENROL_CODE_INVALID' });
    throw err.toKioskError();
  }
  throw err;
};

/**
 * The technician service: its handlers, and the rule the dispatcher applies to every call the
 * contract marks `technician` or `setup` (the handlers below never check the mode themselves).
 */
export function techService(
  ctx: ApplianceContext,
  options: TechOptions = {},
): { handlers: Pick<Handlers, TechCall>; authorize: Authorize } {
  const kv = {
    get: (key: string) =>
      (ctx.db.prepare('SELECT value FROM kv WHERE key = ?').pluck().get(key) as string | undefined) ?? null,
    set: (key: string, value: string) =>
      ctx.db
        .prepare(
          'INSERT INTO kv (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
        )
        .run(key, value, ctx.clock.now().toISOString()),
    del: (key: string) => ctx.db.prepare('DELETE FROM kv WHERE key = ?').run(key),
  };
  const pins = new PinGuard(ctx.db, ctx.clock, options.pinParams);
  const officerPin = new PinGuard(ctx.db, ctx.clock, options.pinParams, 'officer');
  const env = kioskEnv();
  const firstPin = storeFirstPin(ctx, pins, env.KIOSK_TECH_PIN, 'KIOSK_TECH_PIN', 'tech.pinChanged');
  const session = new TechSession(ctx.clock, options.idleMs);
  const { credentials } = ctx;

  const state = (): ProvisioningState => {
    const creds = credentials.get();
    const setupPending = kv.get(KV_PENDING) === '1';
    return {
      provisioned: creds !== null && !setupPending,
      enrolled: creds !== null,
      setupPending,
      pinSet: pins.isSet(),
      kioskName: ctx.config.kioskName,
      officeId: creds?.officeId ?? ctx.config.officeId,
      officeName: creds?.officeName ?? ctx.config.officeName,
      centralUrl: ctx.config.centralUrl,
      deviceId: creds?.deviceId ?? null,
      printer: ctx.config.printer,
      scanner: ctx.config.scanner,
      testPrintOk: kv.get(KV_PRINT_OK) === '1',
      testScanOk: kv.get(KV_SCAN_OK) === '1',
    };
  };

  let wasOpen = false;
  const noteMode = () => {
    const open = session.isOpen();
    if (open !== wasOpen) {
      if (!open) audit(ctx.db, ctx.clock, 'technician', 'tech.closed', { reason: 'idle' });
      wasOpen = open;
      ctx.events.emit('tech.mode', { open });
    }
    return open;
  };
  /** Technician calls: FORBIDDEN unless technician mode is open; each call keeps it open. */
  const technician = () => {
    if (!noteMode()) throw new KioskError('FORBIDDEN', 'technician mode is closed');
    session.touch();
  };
  /** Setup calls: open while the kiosk is not provisioned, and to a technician afterwards. */
  const authorize: Authorize = (role) => {
    if (role === 'setup' && !state().provisioned) return;
    technician();
  };

  /** Plain http:// only to this machine unless a technician allowed it (kiosk/sync/transport-policy.ts). */
  const transportAllowed = (centralUrl: string) => {
    const problem = centralUrlProblem(centralUrl, ctx.config.allowInsecureCentral);
    if (problem) throw new KioskError('BAD_INPUT', problem, { key: 'centralUrl' });
  };

  const idleTimer = setInterval(noteMode, 5_000);
  idleTimer.unref();
  ctx.onClose(() => clearInterval(idleTimer));

  // A scan during setup is the wizard's test scan.
  const offScan = ctx.events.subscribe((name) => {
    if (name === 'scan.received' && kv.get(KV_PENDING) === '1') kv.set(KV_SCAN_OK, '1');
  });
  ctx.onClose(offScan);

  const heartbeatMs = options.heartbeatMs ?? env.KIOSK_HEARTBEAT_MS ?? HEARTBEAT_INTERVAL_MS;
  const applyPushed = async (values: Record<string, unknown>) => {
    const { applied, refused } = await applyPushedSettings(ctx, values);
    if (refused.length) {
      audit(ctx.db, ctx.clock, 'system', 'config.pushRefused', { keys: refused });
      ctx.log.error({ keys: refused }, 'central pushed settings only a technician at the kiosk may change: refused');
    }
    if (applied.length) audit(ctx.db, ctx.clock, 'system', 'config.pushed', { keys: applied });
  };
  if (heartbeatMs > 0) ctx.onClose(startHeartbeat(ctx, { applyConfig: applyPushed }, heartbeatMs));

  const handlers: Pick<Handlers, TechCall> = {
    'tech.provisioningState': () => state(),

    'tech.setupOffices': async ({ centralUrl }) => {
      transportAllowed(centralUrl);
      try {
        const client = new CentralClient({
          baseUrl: centralUrl,
          credentials: () => null,
          timeoutMs: 8_000,
          ...readCentralCa(ctx.config.centralCaFile),
        });
        return {
          offices: (await client.offices()).offices.map((o) => ({
            id: o.id,
            name: o.name,
            address: o.address,
            province: o.province,
          })),
        };
      } catch (err) {
        return errorFromCentral(err);
      }
    },

    'tech.setupEnrol': async ({ centralUrl, code, kioskName, officeId }) => {
      transportAllowed(centralUrl);
      let result;
      try {
        result = await enrolKiosk({
          centralUrl,
          code,
          kioskName,
          dataDir: ctx.dataDir,
          store: credentials,
          ...(ctx.config.centralCaFile ? { caFile: ctx.config.centralCaFile } : {}),
        });
      } catch (err) {
        audit(ctx.db, ctx.clock, 'technician', 'tech.enrol.failed', {
          reason: err instanceof CentralClientError ? (err.code ?? err.kind) : 'INTERNAL',
        });
        return errorFromCentral(err);
      }
      Object.assign(ctx.config, {
        kioskId: result.config.kioskId,
        kioskName: result.config.kioskName,
        officeId: result.config.officeId,
        officeName: result.config.officeName,
        centralUrl,
      });
      kv.set(KV_PENDING, '1');
      kv.del(KV_PRINT_OK);
      kv.del(KV_SCAN_OK);
      audit(ctx.db, ctx.clock, 'technician', 'tech.enrolled', {
        deviceId: result.credentials.deviceId,
        officeId: result.credentials.officeId,
      });
      ctx.events.emit('tech.configChanged', { keys: ['kioskId', 'kioskName', 'officeId', 'officeName', 'centralUrl'] });
      return {
        deviceId: result.credentials.deviceId,
        officeId: result.credentials.officeId,
        officeName: result.credentials.officeName,
        officeMatches: result.credentials.officeId === officeId,
      };
    },

    'tech.setupDevices': async () => {
      return { serialPorts: await listSerialPorts(), printer: ctx.config.printer, scanner: ctx.config.scanner };
    },

    'tech.setupUseDevices': async ({ printer, scanner }) => {
      await applySettings(ctx, { printer, scanner });
      kv.del(KV_PRINT_OK);
      kv.del(KV_SCAN_OK);
      return state();
    },

    'tech.setupTestPrint': async () => {
      const r = await ctx.printer.testPage();
      kv.set(KV_PRINT_OK, '1');
      return { ok: true as const, lengthMm: r.lengthMm };
    },

    'tech.setupFinish': async ({ pin }) => {
      const s = state();
      if (!s.enrolled) throw new KioskError('NOT_PROVISIONED', 'enrol the kiosk with central first');
      if (!s.testPrintOk || !s.testScanOk)
        throw new KioskError('CONFLICT', 'make a test print and a test scan first', {
          testPrintOk: s.testPrintOk,
          testScanOk: s.testScanOk,
        });
      await pins.set(pin);
      kv.del(KV_PENDING);
      audit(ctx.db, ctx.clock, 'technician', 'tech.setupFinished', {
        deviceId: s.deviceId,
        printer: ctx.config.printer,
        scanner: ctx.config.scanner,
      });
      ctx.events.emit('tech.configChanged', { keys: ['provisioned'] });
      return state();
    },

    'tech.unlock': async ({ pin }) => {
      await firstPin;
      const r = await pins.check(pin);
      if (r.ok) {
        const { expiresAt } = session.open();
        audit(ctx.db, ctx.clock, 'technician', 'tech.opened');
        ctx.log.info('technician mode opened');
        noteMode();
        return { expiresAt };
      }
      if (r.reason === 'NO_PIN')
        throw new KioskError(
          'NOT_PROVISIONED',
          'no technician PIN is set (setup wizard, or kioskctl config set technicianPin)',
        );
      audit(ctx.db, ctx.clock, 'technician', r.reason === 'LOCKED_OUT' ? 'tech.unlock.refused' : 'tech.unlock.failed', {
        retryAfterMs: r.retryAfterMs,
        ...(r.reason === 'WRONG_PIN' ? { failed: r.failed } : {}),
      });
      ctx.log.warn({ reason: r.reason, retryAfterMs: r.retryAfterMs }, 'technician PIN refused');
      throw new KioskError(r.reason, r.reason === 'LOCKED_OUT' ? 'too many wrong PINs: wait' : 'wrong PIN', {
        retryAfterMs: r.retryAfterMs,
      });
    },

    'tech.lock': () => {
      if (session.isOpen()) audit(ctx.db, ctx.clock, 'technician', 'tech.closed', { reason: 'lock' });
      session.close();
      noteMode();
      return { ok: true as const };
    },

    'tech.status': () => ({ open: noteMode(), retryAfterMs: pins.retryAfterMs() }),

    'tech.setPin': async ({ role, pin }) => {
      await (role === 'officer' ? officerPin : pins).set(pin);
      audit(ctx.db, ctx.clock, 'technician', role === 'officer' ? 'officer.pinChanged' : 'tech.pinChanged', {
        via: 'technician mode',
      });
      return { ok: true as const };
    },

    'tech.pins': () => {
      return { technician: pins.isSet(), officer: officerPin.isSet() };
    },

    'tech.diagnostics': async () => {
      return diagnostics(ctx);
    },

    'tech.printModeTest': async ({ mode, codePage }) => {
      // The test page in the asked mode on the same printer, then the configured printer back.
      await ctx.printer.close();
      const trial = await openKioskPrinter(
        { ...ctx.config, printerMode: mode, ...(codePage !== undefined ? { printerCodePage: codePage } : {}) },
        { events: ctx.events, log: ctx.log },
      );
      try {
        const r = await trial.testPage();
        audit(ctx.db, ctx.clock, 'technician', 'tech.printModeTest', { mode, codePage: codePage ?? null });
        return { ok: true as const, lengthMm: r.lengthMm, mode };
      } finally {
        await trial.close();
        await reopenPrinter(ctx, ctx.config).catch((err: unknown) =>
          ctx.log.error({ err: (err as Error).message }, 'printer reopen failed'),
        );
      }
    },

    'tech.logs': (q) => {
      try {
        return { entries: readLogs(ctx.dataDir, q, ctx.clock.now()) };
      } catch (err) {
        if (err instanceof RangeError) throw new KioskError('BAD_INPUT', err.message);
        throw err;
      }
    },

    'tech.settingsGet': () => {
      return currentSettings(ctx.config);
    },

    'tech.settingsSet': async (patch) => {
      const r = await applySettings(ctx, patch);
      audit(ctx.db, ctx.clock, 'technician', 'tech.settings', { keys: Object.keys(patch) });
      return r;
    },

    'tech.heartbeat': async () => {
      const r = await sendHeartbeat(ctx, { applyConfig: applyPushed });
      return r.ok
        ? { ok: true, message: `central time ${r.serverTime}` }
        : { ok: false, message: `${r.kind}: ${r.message}` };
    },
  };
  return { handlers, authorize };
}
