/**
 * A province on loopback (issue 18). Run: `npm run bench -- province` (or npx tsx bench/province.bench.ts).
 * A private PostgreSQL cluster (so it can be restarted), central instances behind HAProxy, 300
 * simulated kiosks (bench/province.node.ts), 50 tickets/s for two minutes (PROVINCE_BENCH_S to
 * change), three runs: one instance, two instances, and two instances with one killed at 40 % of
 * the run and PostgreSQL stopped for 5 s at 70 %. Prints throughput and latency percentiles per run,
 * the scaling ratio 2 vs 1, and the invariants: duplicate ticket numbers, lost or duplicated
 * batch items (targets: 0; p99 ticket issue ≤ 100 ms). Exit code 1 when an invariant fails.
 */
import { cpus, loadavg } from 'node:os';
import { formatResult, runProvince, startPrivatePostgres, type ProvinceResult } from './province.node.ts';

const KIOSKS = 300;
const OFFICES = 100;
const RATE = 50;
const SECONDS = Number(process.env.PROVINCE_BENCH_S ?? 120);
/** Which of the three runs (1, 2, 3; default all), e.g. PROVINCE_BENCH_RUNS=3 for the kill and restart alone. */
const RUNS = (process.env.PROVINCE_BENCH_RUNS ?? '1,2,3').split(',').map(Number);
const TARGET_P99_MS = 100;

const pgServer = await startPrivatePostgres();
const log = (line: string) => process.stdout.write(`  · ${line}\n`);
const results: Array<[string, ProvinceResult]> = [];
const skipped: string[] = [];
try {
  const base = {
    pgUrl: pgServer.url,
    kiosks: KIOSKS,
    offices: OFFICES,
    ticketsPerSecond: RATE,
    durationS: SECONDS,
    // After the run (and an outage), every kiosk's outbox must empty: give it time on a busy machine.
    drainS: 120,
    log,
  };
  for (const [label, opts] of [
    ['one instance', { instances: 1 }],
    ['two instances', { instances: 2 }],
    [
      'two instances, one killed, PostgreSQL restarted',
      {
        instances: 2,
        killAtS: Math.round(SECONDS * 0.4),
        disruptAtS: Math.round(SECONDS * 0.7),
        // Down for 5 s (a restart with recovery, a failover): long enough that kiosks see it.
        disrupt: async () => {
          log('stopping PostgreSQL for 5 s');
          await pgServer.down();
          await new Promise((r) => setTimeout(r, 5_000));
          await pgServer.up();
          log('PostgreSQL back');
        },
      },
    ],
  ] as const) {
    if (!RUNS.includes(results.length + skipped.length + 1)) {
      skipped.push(label);
      continue;
    }
    process.stdout.write(`\n${label} (load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores)\n`);
    const r = await runProvince({ ...base, ...opts });
    results.push([label, r]);
    process.stdout.write(`${formatResult(r)}\n`);
  }
} finally {
  await pgServer.stop();
}

const [one, two] = RUNS.includes(1) && RUNS.includes(2) ? [results[0]![1], results[1]![1]] : [null, null];
if (one && two)
  process.stdout.write(
    `\nscaling 2 vs 1 instance: requests/s ${(two.requestsPerS / one.requestsPerS).toFixed(2)}×, ` +
      `ticket p99 ${one.ticketLatency.p99.toFixed(1)} → ${two.ticketLatency.p99.toFixed(1)} ms ` +
      `(at a fixed offered load of ${RATE} tickets/s; on one machine both instances share its cores)\n`,
  );
let failed = false;
for (const [label, r] of results) {
  const bad =
    r.duplicateTicketNumbers +
    r.ticketsMismatched +
    r.phantomTickets +
    r.deskFailures +
    (r.ticketsOffline - r.ticketsOfflineMerged) +
    r.batchItemsLost +
    r.batchItemsDuplicated +
    r.batchItemsUnacknowledged;
  const p99 = r.ticketLatency.p99;
  process.stdout.write(
    `${label}: invariants ${bad === 0 ? 'hold' : `BROKEN (${bad})`}; p99 ticket issue ${p99.toFixed(1)} ms (target ${TARGET_P99_MS}: ratio ${(p99 / TARGET_P99_MS).toFixed(2)})\n`,
  );
  if (bad) failed = true;
}
process.exit(failed ? 1 : 0);
