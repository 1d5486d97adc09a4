import type { Command, CommandIO } from './command.ts';
import { configCommand } from './commands/config.node.ts';
import { decodeCommand } from './commands/decode.node.ts';
import { devicesCommand } from './commands/devices.node.ts';
import { enrollCommand } from './commands/enroll.node.ts';
import { logsCommand } from './commands/logs.node.ts';
import { printTestCommand } from './commands/print-test.node.ts';
import { officerPinCommand } from './commands/officer-pin.node.ts';
import { outboxCommand } from './commands/outbox.node.ts';
import { paymentCommand } from './commands/payment.node.ts';
import { launchUrlCommand } from './commands/launch-url.node.ts';

/** Every verb of kioskctl; add yours here. */
export const commands: readonly Command[] = [
  configCommand,
  outboxCommand,
  decodeCommand,
  devicesCommand,
  printTestCommand,
  enrollCommand,
  logsCommand,
  paymentCommand,
  officerPinCommand,
  launchUrlCommand,
];

function help(io: CommandIO): void {
  io.out('kioskctl — OneStop Kiosk technician tool / công cụ kỹ thuật viên');
  io.out('');
  io.out('usage: kioskctl <command> [args]');
  io.out('');
  for (const c of commands) io.out(`  ${c.usage.padEnd(48)} ${c.summary}`);
  io.out('');
  io.out('Environment: KIOSK_DATA_DIR, KIOSK_CENTRAL_URL, KIOSK_PRINTER, KIOSK_SCANNER, KIOSK_HOST_PORT, KIOSK_LANG');
}

export async function main(argv: string[], io: CommandIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    help(io);
    return name ? 0 : 2;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.err(`kioskctl: unknown command "${name}" (try kioskctl --help)`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(`usage: ${command.usage}\n${command.summary}`);
    return 0;
  }
  return command.run(rest, io);
}

const isEntry =
  process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/').split('/').pop() ?? '\0');
if (isEntry || process.env.KIOSKCTL_ENTRY === '1') {
  const io: CommandIO = {
    out: (l) => process.stdout.write(`${l}\n`),
    err: (l) => process.stderr.write(`${l}\n`),
    env: process.env,
  };
  main(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      io.err(`kioskctl: ${(err as Error).stack ?? String(err)}`);
      process.exitCode = 1;
    },
  );
}
