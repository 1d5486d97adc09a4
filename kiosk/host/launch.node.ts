import { kioskEnv } from '../config/env.node.ts';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * One-time launch addresses for the kiosk page (issue 19.6). The web host hands its API token
 * only to a browser that arrives with a launch code minted from the launch secret, which only
 * the launcher holds (it made it, or got it in its environment as KIOSK_HOST_LAUNCH_SECRET:
 * another user's process can read neither). A code is `<nonce>.<HMAC(secret, nonce)>` and
 * works once; a browser's command line (world-readable in /proc) therefore leaks nothing usable
 * once the kiosk's browser has opened it. See docs/shell.md, "Web host threat model".
 */
export const LAUNCH_PARAM = 'launch';

const mac = (secret: string, nonce: string) => createHmac('sha256', secret).update(nonce).digest('base64url');

export function mintLaunchCode(secret: string): string {
  const nonce = randomBytes(16).toString('base64url');
  return `${nonce}.${mac(secret, nonce)}`;
}

/** The page address a launcher opens once: `<base>?launch=<code>`. */
export const launchUrl = (baseUrl: string, secret: string): string => {
  const url = new URL(baseUrl);
  url.searchParams.set(LAUNCH_PARAM, mintLaunchCode(secret));
  return url.toString();
};

/** Checks launch codes and remembers the ones used, so each opens the page once. */
export class LaunchCodes {
  readonly #used = new Set<string>();
  constructor(private readonly secret: string) {}

  /** True once per valid code. */
  spend(code: unknown): boolean {
    if (typeof code !== 'string' || code.length > 200) return false;
    const [nonce, given] = code.split('.');
    if (!nonce || !given) return false;
    const want = Buffer.from(mac(this.secret, nonce));
    const got = Buffer.from(given);
    if (want.length !== got.length || !timingSafeEqual(want, got)) return false;
    if (this.#used.has(nonce)) return false;
    if (this.#used.size > 100_000) this.#used.clear();
    this.#used.add(nonce);
    return true;
  }
}

/** KIOSK_HOST_LAUNCH_SECRET when set (≥ 32 characters), else a new secret for this launch. */
export function launchSecret(given: string | undefined = kioskEnv().KIOSK_HOST_LAUNCH_SECRET): string {
  if (given !== undefined && given.length < 32)
    throw new Error('KIOSK_HOST_LAUNCH_SECRET must be at least 32 characters');
  return given ?? randomBytes(32).toString('base64url');
}

/**
 * Where the running web host keeps its launch secret (0600, in the 0700 data directory), so a
 * separate launcher of the same user (the browser unit, `kioskctl launch-url`) can mint codes.
 */
export const launchSecretFile = (dataDir: string): string => join(dataDir, 'host-launch-secret');

export function readLaunchSecret(dataDir: string): string | null {
  const file = launchSecretFile(dataDir);
  if (!existsSync(file)) return null;
  const secret = readFileSync(file, 'utf8').trim();
  return secret.length >= 32 ? secret : null;
}
