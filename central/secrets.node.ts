import { createHmac, randomBytes } from 'node:crypto';
import type { Sql } from './store/store.node.ts';

/**
 * A secret central makes once (32 random bytes) and keeps in `central_secrets`, shared by every
 * instance on the database; `fromEnv` (base64url or any text of ≥ 32 characters) wins when set,
 * so an operator can keep the key outside the database.
 */
export async function centralSecret(q: Sql, name: string, now: Date, fromEnv?: string): Promise<Buffer> {
  if (fromEnv) {
    if (fromEnv.length < 32) throw new Error(`the ${name} secret must be at least 32 characters`);
    return Buffer.from(fromEnv, 'utf8');
  }
  const kept = await q.get<{ value: string }>('SELECT value FROM central_secrets WHERE name = ?', [name]);
  if (kept) return Buffer.from(kept.value, 'base64url');
  await q.run('INSERT INTO central_secrets (name, value, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING', [
    name,
    randomBytes(32).toString('base64url'),
    now.toISOString(),
  ]);
  const row = await q.get<{ value: string }>('SELECT value FROM central_secrets WHERE name = ?', [name]);
  return Buffer.from(row!.value, 'base64url');
}

/** HMAC-SHA-256 of `text` under `key`, hex. */
export const hmacHex = (key: Buffer, text: string): string => createHmac('sha256', key).update(text).digest('hex');
