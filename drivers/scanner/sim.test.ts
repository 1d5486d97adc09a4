import { describe, expect, it } from 'vitest';
import { SimScanner } from './sim.ts';
import type { RawScan, ScannerState } from './types.ts';

describe('sim scanner', () => {
  it('reads injected texts with its source once started, and refuses before', async () => {
    const sim = new SimScanner();
    expect(() => sim.inject('x')).toThrow();
    const states: ScannerState[] = [];
    sim.onStatus((s) => states.push(s.state));
    await sim.start();
    const scans: RawScan[] = [];
    sim.onScan((s) => scans.push(s));
    sim.inject('OSK1:T:abc');
    expect(scans).toEqual([{ text: 'OSK1:T:abc', source: 'sim', at: expect.any(Date) }]);
    await sim.close();
    expect(states).toEqual(['ready', 'closed']);
  });

  it('still delivers a scan to every listener when one of them throws', async () => {
    const sim = new SimScanner();
    await sim.start();
    const got: string[] = [];
    sim.onScan(() => {
      throw new Error('faulty screen');
    });
    sim.onScan((s) => got.push(s.text));
    sim.inject('PLAIN-1');
    expect(got).toEqual(['PLAIN-1']);
  });

  it('stops delivering to a listener that unsubscribed', async () => {
    const sim = new SimScanner();
    await sim.start();
    const got: string[] = [];
    const off = sim.onScan((s) => got.push(s.text));
    sim.inject('A-000001');
    off();
    sim.inject('A-000002');
    expect(got).toEqual(['A-000001']);
  });
});
