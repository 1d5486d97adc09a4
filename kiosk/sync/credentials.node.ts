import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { DeviceId, OfficeId } from '../../protocol/http.ts';
import { writeFileAtomic } from '../store/atomic-file.node.ts';

/** The device credential central issued at enrolment: `<dataDir>/credentials.json`, mode 0600. */
export const Credentials = z.object({
  deviceId: DeviceId,
  token: z.string().min(32),
  officeId: OfficeId,
  officeName: z.string(),
  centralUrl: z.string().url(),
  enrolledAt: z.string(),
});
export type Credentials = z.infer<typeof Credentials>;

export const credentialsFile = (dataDir: string) => join(dataDir, 'credentials.json');

export class CredentialsError extends Error {
  constructor(file: string, detail: string) {
    super(`Thông tin đăng ký thiết bị hỏng / Device credentials unreadable: ${file}: ${detail}`);
    this.name = 'CredentialsError';
  }
}

/** null when the kiosk was never enrolled; throws CredentialsError when the file is damaged. */
export function loadCredentials(dataDir: string): Credentials | null {
  const file = credentialsFile(dataDir);
  if (!existsSync(file)) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new CredentialsError(file, (err as Error).message);
  }
  const parsed = Credentials.safeParse(raw);
  if (!parsed.success) throw new CredentialsError(file, parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  return parsed.data;
}

/** Atomic (write temp, fsync, rename) and private (0600) from the first byte. */
export function saveCredentials(dataDir: string, credentials: Credentials): void {
  const value = Credentials.parse(credentials);
  writeFileAtomic(credentialsFile(dataDir), `${JSON.stringify(value, null, 2)}\n`, 0o600);
}

/** Holds the current credentials in memory; enrolment replaces them without a restart. */
export class CredentialStore {
  #value: Credentials | null;

  constructor(readonly dataDir: string) {
    this.#value = loadCredentials(dataDir);
  }

  get(): Credentials | null {
    return this.#value;
  }

  set(credentials: Credentials): void {
    saveCredentials(this.dataDir, credentials);
    this.#value = credentials;
  }
}
