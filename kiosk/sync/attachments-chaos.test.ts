import { describe, expect, it } from 'vitest';
import { runCaptureChaos } from '../../test/support/capture-chaos.ts';

/**
 * Papers under power cuts and a bad network (issue 16): a kiosk core in a child process is
 * killed with SIGKILL at random moments while it submits dossiers with two-page papers and
 * sends them in chunks through drops, delays, 500/503 and cuts after central committed. The
 * 50-submission run is `npm run bench -- capture` (bench/capture.bench.ts).
 */
describe('attachments: exactly once through kill -9 and network faults', () => {
  it('every acknowledged paper is at central once, byte-identical; nothing is left on the kiosk', async () => {
    const r = await runCaptureChaos({ submissions: 12, kills: 4, seed: 20261203 });
    expect(r.kills).toBeGreaterThanOrEqual(2);
    expect(r.acknowledged.length).toBe(12);
    // Each acknowledged dossier at central exactly once.
    for (const no of r.acknowledged)
      expect(
        r.centralDossiers.filter((d) => d === no),
        no,
      ).toHaveLength(1);
    expect(new Set(r.centralDossiers).size).toBe(r.centralDossiers.length);
    // Each dossier's paper stored, under its SHA-256, bytes hashing to it; stored once.
    expect(r.centralAttachments.length).toBe(r.centralDossiers.length);
    expect(r.centralAttachments.filter((a) => !a.intact)).toEqual([]);
    expect(r.storedFiles).toBe(new Set(r.centralAttachments.map((a) => a.sha256)).size);
    // The kiosk keeps no paper: every row uploaded, no encrypted file left.
    expect(r.kioskRows.every((row) => row.status === 'uploaded')).toBe(true);
    expect(r.kioskOutgoing).toEqual([]);
    expect(r.kioskPages).toEqual([]);
    // The faults really happened.
    expect(r.faults.drop! + r.faults.cutAfterCommit! + r.faults.status500! + r.faults.status503!).toBeGreaterThan(0);
  }, 120_000);
});
