import { expect, test } from '@playwright/test';
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
  await page.getByTestId('tile-rating').click();
  await expect(page.getByTestId('rating-choose')).toBeVisible();
  await axe(page);
  await page.getByTestId('rating-dissatisfied').click();
  await expect(page.getByTestId('rating-details')).toBeVisible();
  await page.getByTestId('rating-reason-slow').click();
  await page.getByTestId('rating-reason-many_visits').click();
  await page.getByTestId('rating-time-late').click();
  await page.getByTestId('rating-returned-2').click();
  await page.getByTestId('rating-attitude-normal').click();
  await axe(page);
  await page.screenshot({ path: test.info().outputPath('rating-details.png') });
  await page.getByTestId('rating-send').click();
  await expect(page.getByTestId('rating-thanks')).toBeVisible();
  await axe(page);

  central = await startSubmissionCentral(db, port);
  const rows = () => centralRows<{ overall: string; reasons_json: string; criteria_json: string; context: string }>(central!, 'SELECT overall, reasons_json, criteria_json, context FROM ratings');
  await expect(async () => expect(await rows()).toHaveLength(1)).toPass({ timeout: 30_000 });
  const [r] = await rows();
  expect(r).toMatchObject({ overall: 'dissatisfied', context: 'standalone' });
  expect(JSON.parse(r!.reasons_json)).toEqual(['slow', 'many_visits']);
  expect(JSON.parse(r!.criteria_json)).toEqual({ processingTime: 'late', timesReturned: 2, officerAttitude: 'normal' });
});
