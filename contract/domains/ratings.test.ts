import { describe, expect, it } from 'vitest';
import { RatingSubmission } from '../../protocol/ratings.ts';
import { calls } from '../api.ts';

const answers = { overall: 'satisfied', criteria: {}, reasons: ['slow'], context: 'standalone' } as const;

describe('the rating call', () => {
  it('refuses what central would refuse: reasons with a rating that is not low', () => {
    const kiosk = calls['ratings.submit'].input.safeParse(answers);
    const central = RatingSubmission.safeParse({
      ...answers,
      ratingId: crypto.randomUUID(),
      kioskId: 'K1',
      createdAt: new Date().toISOString(),
    });
    expect(central.success).toBe(false);
    expect(kiosk.success).toBe(false);
    expect(kiosk.error?.issues[0]?.path).toEqual(['reasons']);
  });

  it('takes a low rating with its reasons', () => {
    expect(calls['ratings.submit'].input.safeParse({ ...answers, overall: 'dissatisfied' }).success).toBe(true);
  });
});
