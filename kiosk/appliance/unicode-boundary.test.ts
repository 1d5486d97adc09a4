import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../test/support/rng.ts';
import { loadConfig } from '../config/config.node.ts';
import { createAppliance, type Appliance } from './appliance.node.ts';
import { calls } from '../../contract/api.ts';

const LONE = ['\ud800', '\udfff', '\ud83d', 'a\udc00b', '\ud83d\ud83d'];
const WELL_FORMED = ['Nguyễn Văn Ân', '😀', '𠀋', 'Đầm Dơi', 'ế ễ', '\u0000', '\ufffd', 'HS-2026-000123', ' '];

describe('well-formed Unicode at the kiosk API boundary', () => {
  let dir: string;
  let appliance: Appliance;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kiosk-unicode-'));
    appliance = await createAppliance(loadConfig({ KIOSK_DATA_DIR: dir, KIOSK_CENTRAL_URL: 'http://127.0.0.1:9' }), {
      log: pino({ level: 'silent' }),
    });
  });
  afterAll(async () => {
    await appliance.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers payments.quote with a lone surrogate in the reference with BAD_INPUT, not an internal error', async () => {
    const answer = await appliance.dispatch('payments.quote', { ref: 'HS-\ud800' }, { carrier: 'test' });
    expect(answer).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    expect(JSON.stringify(answer)).toContain('Unicode');
  });

  it('refuses a lone surrogate anywhere in any call’s input, value or key, before a handler sees it (fuzz)', async () => {
    const random = seededRandom(1919);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
    // A random JSON value with exactly one ill-formed string (or key) somewhere inside.
    const build = (depth: number): { value: unknown; planted: boolean } => {
      const r = random();
      if (depth > 2 || r < 0.3) return { value: pick(LONE) + pick(WELL_FORMED), planted: true };
      if (r < 0.45) return { value: { [pick(LONE)]: 1 }, planted: true };
      const child = build(depth + 1);
      const noise = { n: 1, s: pick(WELL_FORMED), b: true };
      if (r < 0.7) return { value: [pick(WELL_FORMED), child.value], planted: child.planted };
      return {
        value: { ...noise, [pick(['ref', 'screen', 'message', 'query', 'code', 'pin', 'x'])]: child.value },
        planted: child.planted,
      };
    };
    const names = Object.keys(calls);
    for (let i = 0; i < 600; i++) {
      const name = names[i % names.length]!;
      const { value } = build(0);
      const input = value !== null && typeof value === 'object' && !Array.isArray(value) ? value : { ref: value };
      const answer = await appliance.dispatch(name, input, { carrier: 'test' });
      // A role-gated call refuses a caller without the role before it reads the input at all.
      const refused = calls[name as keyof typeof calls].role === 'anyone' ? ['BAD_INPUT'] : ['FORBIDDEN', 'BAD_INPUT'];
      expect(answer, `${name} ${JSON.stringify(input)}`).toMatchObject({ ok: false });
      const { code, message } = (answer as { error: { code: string; message: string } }).error;
      expect(refused, `${name} ${JSON.stringify(input)}`).toContain(code);
      if (code === 'BAD_INPUT') expect(message).toContain('Unicode');
    }
  });

  it('lets well-formed text through, astral characters and Vietnamese included (fuzz: never an internal error)', async () => {
    const random = seededRandom(2026);
    for (let i = 0; i < 200; i++) {
      const ref = Array.from(
        { length: 1 + Math.floor(random() * 5) },
        () => WELL_FORMED[Math.floor(random() * WELL_FORMED.length)]!,
      )
        .join('')
        .slice(0, 60);
      const answer = await appliance.dispatch('payments.quote', { ref }, { carrier: 'test' });
      if (!answer.ok) expect(answer.error.code, JSON.stringify(ref)).not.toMatch(/INTERNAL|BAD_INPUT/);
    }
  });
});
