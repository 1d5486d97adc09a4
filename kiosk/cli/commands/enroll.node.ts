import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import type { Command } from '../command.ts';
import { CentralClientError } from '../../sync/central-client.node.ts';
import { enrolKiosk } from '../../tech/enrol.node.ts';

export const dataDirOf = (env: NodeJS.ProcessEnv) => resolve(env.KIOSK_DATA_DIR || '.data/kiosk');

export const enrollCommand: Command = {
  name: 'enroll',
  summary: 'enrol this kiosk with central using a one-time code (stores the device credential)',
  usage: 'kioskctl enroll --central URL --code CODE [--name NAME]',
  async run(args, io) {
    let values;
    try {
      ({ values } = parseArgs({
        args,
        options: { central: { type: 'string' }, code: { type: 'string' }, name: { type: 'string' } },
        strict: true,
      }));
    } catch (err) {
      io.err(`${(err as Error).message}\nusage: ${this.usage}`);
      return 2;
    }
    if (!values.central || !values.code) {
      io.err(`usage: ${this.usage}`);
      return 2;
    }
    const dataDir = dataDirOf(io.env);
    try {
      const { credentials, config } = await enrolKiosk({
        centralUrl: values.central,
        code: values.code,
        dataDir,
        ...(values.name ? { kioskName: values.name } : {}),
        ...(io.env.KIOSK_CENTRAL_CA ? { caFile: io.env.KIOSK_CENTRAL_CA } : {}),
      });
      io.out(`Đã đăng ký / Enrolled: ${credentials.deviceId} (${config.kioskName})`);
      io.out(`  office ${credentials.officeId} — ${credentials.officeName}`);
      io.out(`  central ${config.centralUrl}; credential in ${dataDir} (0600)`);
      return 0;
    } catch (err) {
      if (err instanceof CentralClientError) {
        const why =
          err.code === 'ENROL_CODE_INVALID'
            ? 'mã đăng ký sai, đã dùng hoặc hết hạn / enrolment code wrong, used or expired'
            : err.message;
        io.err(`Không đăng ký được / Enrolment failed: ${why}`);
        return 1;
      }
      if (err instanceof Error && err.name === 'ConfigWriteError') {
        io.err(`Không đăng ký được / Enrolment failed: ${err.message}`);
        return 1;
      }
      throw err;
    }
  },
};
