import { expect, test } from '@playwright/test';
import { tap } from '../support/reach.ts';
import { startKiosk, type RunningProcess } from '../support/appliance.ts';
import { axe, centralRows, enrolledDataDir, startSubmissionCentral, type Central } from '../support/submission.ts';

/** Đánh giá hài lòng end to end: rated while central is down, delivered once it is back, never lost. */
test.describe.configure({ timeout: 180_000 });

let central: Central | undefined;
let kiosk: RunningProcess | undefined;
test.afterEach(async () => {
  await kiosk?.stop();
  kiosk = undefined;
  await central?.stop();
  central = undefined;
});

test('a low rating with reasons and criteria made offline reaches central when it is back', async ({ page }) => {
  central = await startSubmissionCentral();
  const { db, port } = central;
  const dataDir = await enrolledDataDir(central);
  kiosk = await startKiosk({ dataDir, env: { KIOSK_CENTRAL_URL: central.url } });
  await central.stop();

  await page.goto(kiosk.url);
  await expect(page.getByTestId('tile-rating')).not.toContainText('Sắp có');
  await tap(page.getByTestId('tile-rating'));
  await expect(page.getByTestId('rating-choose')).toBeVisible();
  await axe(page);
  await tap(page.getByTestId('rating-dissatisfied'));
  await expect(page.getByTestId('rating-details')).toBeVisible();
  await tap(page.getByTestId('rating-reason-slow'));
  await tap(page.getByTestId('rating-reason-many_visits'));
  await tap(page.getByTestId('rating-time-late'));
  await tap(page.getByTestId('rating-returned-2'));
  await tap(page.getByTestId('rating-attitude-normal'));
  await axe(page);
  await page.screenshot({ path: test.info().outputPath('rating-details.png') });
  await tap(page.getByTestId('rating-send'));
  await expect(page.getByTestId('rating-thanks')).toBeVisible();
  await axe(page);

  central = await startSubmissionCentral(db, port);
  const rows = () =>
    centralRows<{ overall: string; reasons_json: string; criteria_json: string; context: string }>(
      central!,
      'SELECT overall, reasons_json, criteria_json, context FROM ratings',
    );
  await expect(async () => expect(await rows()).toHaveLength(1)).toPass({ timeout: 30_000 });
  const [r] = await rows();
  expect(r).toMatchObject({ overall: 'dissatisfied', context: 'standalone' });
  expect(JSON.parse(r!.reasons_json)).toEqual(['slow', 'many_visits']);
  expect(JSON.parse(r!.criteria_json)).toEqual({ processingTime: 'late', timesReturned: 2, officerAttitude: 'normal' });
});
