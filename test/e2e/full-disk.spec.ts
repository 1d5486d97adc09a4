import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startKiosk } from '../support/appliance.ts';
import { tap } from '../support/reach.ts';
import { expect, test } from '../support/fixtures.ts';
import { mountSmallDisk } from '../support/full-disk.ts';

test.use({ viewport: { width: 1080, height: 1920 } });

test('a full disk: the home screen says the kiosk paused taking dossiers, and stops saying it once space is back', async ({
  page,
}) => {
  test.setTimeout(120_000);
  // A real 80 MiB filesystem for the data directory (the kiosk stops taking dossiers under 64 MiB free).
  const disk = mountSmallDisk(80 * 1024 * 1024);
  const dataDir = join(disk.dir, 'kiosk');
  mkdirSync(dataDir);
  writeFileSync(
    join(dataDir, 'kiosk.json'),
    JSON.stringify({ officeName: 'UBND Phường 5, Cà Mau', kioskId: 'KIOSK-01', officeId: 'demo' }),
  );
  const kiosk = await startKiosk({ dataDir });
  try {
    await page.goto(kiosk.url);
    await expect(page.getByTestId('home')).toBeVisible();
    await expect(page.getByTestId('storage-full')).toHaveCount(0);

    disk.fill();
    // Free space is read every 30 s (sooner when a write fails).
    const notice = page.getByTestId('storage-full');
    await expect(notice).toBeVisible({ timeout: 45_000 });
    await expect(notice).toHaveText(
      'Kiosk tạm ngưng nhận hồ sơ. Quý khách vui lòng liên hệ cán bộ tại quầy. Các hồ sơ đã nộp vẫn được giữ an toàn.',
    );
    await expect(notice).toHaveAttribute('role', 'status');
    // Readable without scrolling in portrait: its centre is inside the viewport and the notice is on top there.
    const onTop = await notice.evaluate((el) => {
      const r = el.getBoundingClientRect();
      const x = r.left + r.width / 2;
      const y = r.top + r.height / 2;
      return y > 0 && y < window.innerHeight && el.contains(document.elementFromPoint(x, y));
    });
    expect(onTop).toBe(true);
    await tap(page.getByRole('button', { name: 'English' }));
    await expect(notice).toHaveText(/The kiosk has paused taking dossiers/);

    disk.free();
    await expect(notice).toHaveCount(0, { timeout: 15_000 });
  } finally {
    await kiosk.stop();
    disk.unmount();
  }
});
