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

/**
 * Encrypts the credential at rest where the platform can (Electron `safeStorage`, set by the
 * shell); elsewhere the 0600 file is the protection. Kept out of this module so the kiosk core
 * never imports Electron.
 */
export interface SecretProtector {
  readonly name: string;
  protect(plain: string): Buffer;
  unprotect(data: Buffer): string;
}

let protector: SecretProtector | null = null;
export function useSecretProtector(p: SecretProtector | null): void {
  protector = p;
}

const ProtectedFile = z.object({ protectedBy: z.string(), data: z.string().min(1) }).strict();

/** null when the kiosk was never enrolled; throws CredentialsError when the file is damaged. */
export function loadCredentials(dataDir: string): Credentials | null {
  const file = credentialsFile(dataDir);
  if (!existsSync(file)) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
    const sealed = ProtectedFile.safeParse(raw);
    if (sealed.success) {
      if (!protector || protector.name !== sealed.data.protectedBy)
        throw new Error(
          `encrypted with ${sealed.data.protectedBy}, which is not available here: enrol the kiosk again`,
        );
      raw = JSON.parse(protector.unprotect(Buffer.from(sealed.data.data, 'base64')));
    }
  } catch (err) {
    throw new CredentialsError(file, (err as Error).message);
  }
  const parsed = Credentials.safeParse(raw);
  if (!parsed.success)
    throw new CredentialsError(file, parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  return parsed.data;
}

/** Atomic (write temp, fsync, rename) and private (0600) from the first byte. */
export function saveCredentials(dataDir: string, credentials: Credentials): void {
  const value = JSON.stringify(Credentials.parse(credentials), null, 2);
  const contents = protector
    ? JSON.stringify({ protectedBy: protector.name, data: protector.protect(value).toString('base64') })
    : value;
  writeFileAtomic(credentialsFile(dataDir), `${contents}\n`, 0o600);
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
