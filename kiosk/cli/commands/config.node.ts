import type { Command } from '../command.ts';
import { configFile, loadConfigOrReport } from '../../config/config.node.ts';
import { configExport, configImport } from './config-export.node.ts';
import { configSet } from './config-set.node.ts';

export const configCommand: Command = {
  name: 'config',
  summary:
    'check, set, export or import the kiosk configuration (kiosk.json in the data directory + KIOSK_* environment)',
  usage: 'kioskctl config check [--json] | set KEY VALUE | export [--with-secrets] [--out FILE] | import FILE',
  async run(args, io) {
    const [verb, ...rest] = args;
    if (verb === 'set') return configSet(rest, io);
    if (verb === 'export') return configExport(rest, io);
    if (verb === 'import') return configImport(rest, io);
    if (verb !== 'check') {
      io.err(`usage: ${this.usage}`);
      return 2;
    }
    const config = loadConfigOrReport(io.env, io.err);
    if (!config) return 1;
    if (rest.includes('--json')) io.out(JSON.stringify(config, null, 2));
    else {
      io.out(`Cấu hình hợp lệ / Configuration is valid: ${configFile(config.dataDir)}`);
      for (const [key, value] of Object.entries(config))
        io.out(`  ${key} = ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`);
    }
    return 0;
  },
};
