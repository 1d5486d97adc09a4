import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  credentialsFile,
  CredentialsError,
  loadCredentials,
  saveCredentials,
  useSecretProtector,
  type Credentials,
  type SecretProtector,
} from './credentials.node.ts';

const creds: Credentials = {
  deviceId: 'dev_0123456789abcdef',
  token: 't'.repeat(40),
  officeId: 'ca-mau-an-xuyen',
  officeName: 'UBND phường An Xuyên',
  centralUrl: 'http://127.0.0.1:8620',
  enrolledAt: new Date(0).toISOString(),
};

// Stands in for Electron safeStorage: a reversible transform whose output never shows the token.
const fakeSafeStorage: SecretProtector = {
  name: 'test-safe-storage',
  protect: (plain) => Buffer.from(Buffer.from(plain, 'utf8').map((b) => b ^ 0x5a)),
  unprotect: (data) => Buffer.from(data.map((b) => b ^ 0x5a)).toString('utf8'),
};

const dir = () => mkdtempSync(join(tmpdir(), 'kiosk-creds-'));

afterEach(() => useSecretProtector(null));

describe('device credentials', () => {
  it('are written private (0600) and read back', () => {
    const d = dir();
    saveCredentials(d, creds);
    expect(statSync(credentialsFile(d)).mode & 0o777).toBe(0o600);
    expect(loadCredentials(d)).toEqual(creds);
  });

  it('are encrypted at rest when the platform protects secrets, and never show the token', () => {
    const d = dir();
    useSecretProtector(fakeSafeStorage);
    saveCredentials(d, creds);
    const text = readFileSync(credentialsFile(d), 'utf8');
    expect(text).not.toContain(creds.token);
    expect(JSON.parse(text)).toMatchObject({ protectedBy: 'test-safe-storage' });
    expect(loadCredentials(d)).toEqual(creds);
  });

  it('still read a plain file written before protection was available', () => {
    const d = dir();
    saveCredentials(d, creds);
    useSecretProtector(fakeSafeStorage);
    expect(loadCredentials(d)).toEqual(creds);
  });

  it('say clearly when an encrypted file cannot be opened here', () => {
    const d = dir();
    useSecretProtector(fakeSafeStorage);
    saveCredentials(d, creds);
    useSecretProtector(null);
    expect(() => loadCredentials(d)).toThrow(CredentialsError);
    expect(() => loadCredentials(d)).toThrow(/test-safe-storage.*enrol the kiosk again/);
  });
});
