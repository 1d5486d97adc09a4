import { CentralClient } from './central-client.node.ts';
import type { CredentialStore, Credentials } from './credentials.node.ts';

/**
 * Spends an enrolment code at central and stores the credential (0600) in the data directory.
 * The setup wizard and `kioskctl enroll` call this; the sync engine picks the credential up
 * without a restart.
 */
export async function enrolKiosk({
  centralUrl,
  code,
  kioskName,
  version,
  store,
  timeoutMs = 10_000,
  ca,
}: {
  centralUrl: string;
  code: string;
  kioskName: string;
  version?: string;
  store: CredentialStore;
  timeoutMs?: number;
  /** The pinned CA (PEM) for an https:// central. */
  ca?: string;
}): Promise<Credentials> {
  const client = new CentralClient({ baseUrl: centralUrl, credentials: () => null, timeoutMs, ...(ca ? { ca } : {}) });
  const answer = await client.enrol({ code, kioskName, ...(version ? { version } : {}) });
  const credentials: Credentials = { ...answer, centralUrl, enrolledAt: new Date().toISOString() };
  store.set(credentials);
  return credentials;
}
