import { describe, expect, it } from 'vitest';
import { timelineSteps } from './catalog.ts';

const at = '2026-05-04T02:00:00.000Z';

describe('dossier timeline steps', () => {
  it('shows a returned dossier with every step done, the last one included', () => {
    const steps = timelineSteps(10, [
      { status: 2, at },
      { status: 4, at },
      { status: 9, at },
      { status: 10, at },
    ]);
    expect(steps.map((s) => [s.stage, s.state])).toEqual([
      ['received', 'done'],
      ['processing', 'done'],
      ['done', 'done'],
      ['returned', 'done'],
    ]);
  });

  it('shows a dossier in processing on its current step with the later ones pending', () => {
    const steps = timelineSteps(4, [
      { status: 2, at },
      { status: 4, at },
    ]);
    expect(steps.map((s) => [s.stage, s.state])).toEqual([
      ['received', 'done'],
      ['processing', 'current'],
      ['done', 'pending'],
      ['returned', 'pending'],
    ]);
  });
});
