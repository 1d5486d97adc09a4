import { CredentialStore, type Credentials } from '../sync/credentials.node.ts';
import { enrolKiosk as spendCode } from '../sync/enrol.node.ts';
import { VERSION } from '../core/version.node.ts';
import { readConfigFile, writeConfigFile } from './config-file.node.ts';
import type { KioskConfig } from '../config/config.node.ts';
import { centralUrlProblem } from '../sync/transport-policy.ts';
import { readCentralCa } from '../sync/central-client.node.ts';

export interface EnrolOptions {
  centralUrl: string;
  code: string;
  dataDir: string;
  /** Defaults to the name already in kiosk.json, else "Kiosk". */
  kioskName?: string;
  /** The running kiosk's store, so its sync engine uses the credential without a restart. */
  store?: CredentialStore;
  timeoutMs?: number;
  /** The pinned CA file for an https:// central; default: `centralCaFile` of kiosk.json. */
  caFile?: string;
}

/**
 * Enrols this kiosk with central: spends the one-time code, stores the credential (0600 file,
 * `kiosk/sync/credentials.node.ts`), and writes the identity central gave (device id, office,
 * central URL, name) into kiosk.json. Used by the setup wizard, `kioskctl enroll` and
 * `npm start`'s demo enrolment. Throws CentralClientError (UNAUTHORIZED/REJECTED/OFFLINE…).
 */
export async function enrolKiosk(opts: EnrolOptions): Promise<{ credentials: Credentials; config: KioskConfig }> {
  const file = readConfigFile(opts.dataDir);
  // Checked before the code is spent: the credential would go over the wire next.
  const problem = centralUrlProblem(opts.centralUrl, file.allowInsecureCentral === true);
  if (problem) throw new RangeError(problem);
  const kioskName = opts.kioskName ?? (typeof file.kioskName === 'string' ? file.kioskName : 'Kiosk');
  const store = opts.store ?? new CredentialStore(opts.dataDir);
  const credentials = await spendCode({
    centralUrl: opts.centralUrl,
    code: opts.code,
    kioskName,
    version: VERSION,
    store,
    ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
    ...readCentralCa(opts.caFile ?? (typeof file.centralCaFile === 'string' ? file.centralCaFile : undefined)),
  });
  const config = writeConfigFile(opts.dataDir, {
    ...file,
    kioskId: credentials.deviceId,
    kioskName,
    officeId: credentials.officeId,
    officeName: credentials.officeName,
    centralUrl: opts.centralUrl,
  });
  return { credentials, config };
}
