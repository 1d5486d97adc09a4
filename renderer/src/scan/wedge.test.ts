import { describe, expect, it } from 'vitest';
import { WedgeDetector, type WedgeStep } from './wedge.ts';

function type(detector: WedgeDetector, text: string, gapMs: number, start = 1000): WedgeStep[] {
  const steps: WedgeStep[] = [];
  let t = start;
  for (const ch of text) {
    steps.push(detector.feed({ key: ch, time: t }));
    t += gapMs;
  }
  steps.push(detector.feed({ key: 'Enter', time: t }));
  return steps;
}

describe('keyboard-wedge detection', () => {
  it('reads a fast burst ending in Enter as a scan', () => {
    const steps = type(new WedgeDetector(), '000.00.12.H12-250315-0001', 8);
    expect(steps[0]).toEqual({ type: 'start' });
    expect(steps.at(-1)).toEqual({ type: 'scan', text: '000.00.12.H12-250315-0001' });
  });

  it('also takes Tab as the end of a scan, for scanners set to hop form fields', () => {
    const d = new WedgeDetector();
    for (const [i, ch] of [...'8934567890123'].entries()) d.feed({ key: ch, time: i * 6 });
    expect(d.feed({ key: 'Tab', time: 80 })).toEqual({ type: 'scan', text: '8934567890123' });
  });

  it('leaves human typing alone, however fast a person types', () => {
    expect(type(new WedgeDetector(), 'Nguyen Van A', 90).at(-1)).toEqual({ type: 'none' });
    expect(type(new WedgeDetector(), 'Nguyen Van A', 40).at(-1)).toEqual({ type: 'none' });
  });

  it('ignores bursts shorter than six characters', () => {
    expect(type(new WedgeDetector(), '12345', 5).at(-1)).toEqual({ type: 'none' });
  });

  it('does not count a held-down key (auto-repeat) as a scan', () => {
    const d = new WedgeDetector();
    for (let i = 0; i < 10; i++) d.feed({ key: 'a', time: 1000 + i * 30, repeat: i > 0 });
    expect(d.feed({ key: 'Enter', time: 1300 })).toEqual({ type: 'none' });
  });

  it('restarts the burst after a pause, so typed text before a scan is not glued to it', () => {
    const d = new WedgeDetector();
    d.feed({ key: 'x', time: 0 });
    d.feed({ key: 'y', time: 200 });
    const steps = type(d, 'OSK1:T:abc', 5, 1000);
    expect(steps.at(-1)).toEqual({ type: 'scan', text: 'OSK1:T:abc' });
  });

  it('ignores Shift between characters, as scanners send it for capitals', () => {
    const d = new WedgeDetector();
    let t = 0;
    for (const ch of 'ABCDEFG') {
      d.feed({ key: 'Shift', time: t++ });
      d.feed({ key: ch, time: (t += 4) });
    }
    expect(d.feed({ key: 'Enter', time: t + 4 })).toEqual({ type: 'scan', text: 'ABCDEFG' });
  });

  it('drops the burst on a chord or a navigation key', () => {
    const d = new WedgeDetector();
    d.feed({ key: 'a', time: 0 });
    d.feed({ key: 'b', time: 5 });
    d.feed({ key: 'c', time: 10, modified: true });
    for (const [i, ch] of [...'defg'].entries()) d.feed({ key: ch, time: 15 + i * 5 });
    expect(d.feed({ key: 'Enter', time: 40 })).toEqual({ type: 'none' });
    d.feed({ key: 'a', time: 100 });
    d.feed({ key: 'Backspace', time: 105 });
    expect(d.pending).toBe(0);
  });
});
