/**
 * Child process of the attachments chaos test and bench: a whole kiosk core (createAppliance)
 * that submits dossiers with a photographed paper (a noise image, so every PDF is different and
 * a few chunks long) and prints `saved <n> <provisionalNo>` once `submission.submit` answered —
 * the moment the citizen is told "saved". The parent kills it with SIGKILL at random moments.
 * It prints `idle` whenever nothing is left to send.
 * argv: <config json> <first n> <last n (exclusive)>
 */
import { pino } from 'pino';
import sharp from 'sharp';
import { SAMPLE_VALUES } from '../../contract/forms/samples.ts';
import { createAppliance } from '../appliance/appliance.node.ts';
import { KioskConfig } from '../config/config.node.ts';

const [configJson, firstArg, lastArg] = process.argv.slice(2);
const config = KioskConfig.parse(JSON.parse(configJson!));
const kiosk = await createAppliance(config, { log: pino({ level: 'silent' }) });
const CODE = '1.001193';

async function photo(): Promise<string> {
  const png = await sharp({
    create: {
      width: 620,
      height: 880,
      channels: 3,
      background: '#ffffff',
      noise: { type: 'gaussian', mean: 200, sigma: 40 },
    },
  })
    .png()
    .toBuffer();
  return `data:image/png;base64,${png.toString('base64')}`;
}

process.stdout.write('ready\n');
for (let n = Number(firstArg); n < Number(lastArg); n++) {
  const pages: string[] = [];
  for (let p = 0; p < 2; p++) {
    const r = await kiosk.dispatch('capture.photo', { image: await photo() }, { carrier: 'test' });
    if (!r.ok) throw new Error(`capture.photo: ${r.error.message}`);
    pages.push((r.value as { pageId: string }).pageId);
  }
  const r = await kiosk.dispatch(
    'submission.submit',
    {
      procedureCode: CODE,
      values: SAMPLE_VALUES[CODE],
      consent: true,
      documents: [{ docId: 'giay-chung-sinh', pageIds: pages }],
    },
    { carrier: 'test' },
  );
  if (!r.ok) throw new Error(`submission.submit: ${r.error.message}`);
  process.stdout.write(`saved ${n} ${(r.value as { provisionalNo: string }).provisionalNo}\n`);
}
const idle = setInterval(() => {
  const pending =
    kiosk.ctx.attachments.pending() +
    (kiosk.ctx.db
      .prepare("SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'inflight')")
      .pluck()
      .get() as number);
  if (pending === 0) process.stdout.write('idle\n');
}, 300);
idle.unref();
setInterval(() => undefined, 60_000);
