import { readFileSync, writeFileSync } from 'node:fs';
import type { CommandIO } from '../command.ts';
import { loadCredentials } from '../../sync/credentials.node.ts';
import { ConfigWriteError, exportConfig, importConfig } from '../../tech/config-file.node.ts';
import { dataDirOf } from './enroll.node.ts';

/**
 * `kioskctl config export [--with-secrets] [--out FILE]`: the settings of kiosk.json for
 * rolling out the same settings to other kiosks. The device credential is a secret and only
 * comes along with --with-secrets (for moving one kiosk's identity to replacement hardware).
 */
export async function configExport(args: string[], io: CommandIO): Promise<number> {
  const withSecrets = args.includes('--with-secrets');
  const outAt = args.indexOf('--out');
  const out = outAt >= 0 ? args[outAt + 1] : undefined;
  const unknown = args.filter((a, i) => a !== '--with-secrets' && a !== '--out' && !(outAt >= 0 && i === outAt + 1));
  if (unknown.length || (outAt >= 0 && !out)) {
    io.err('usage: kioskctl config export [--with-secrets] [--out FILE]');
    return 2;
  }
  const dataDir = dataDirOf(io.env);
  let text = exportConfig(dataDir, { withSecrets });
  if (withSecrets) {
    const creds = loadCredentials(dataDir);
    if (creds) text = `${JSON.stringify({ ...JSON.parse(text), credentials: creds }, null, 2)}\n`;
  }
  if (out) {
    writeFileSync(out, text, { mode: withSecrets ? 0o600 : 0o644 });
    io.err(`written ${out}${withSecrets ? ' (contains the device credential: keep it safe, mode 0600)' : ''}`);
  } else io.out(text.trimEnd());
  return 0;
}

/** `kioskctl config import FILE`: validated as a whole before kiosk.json is replaced; identity is kept. */
export async function configImport(args: string[], io: CommandIO): Promise<number> {
  const [file, ...extra] = args;
  if (!file || extra.length) {
    io.err('usage: kioskctl config import FILE');
    return 2;
  }
  const dataDir = dataDirOf(io.env);
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    // An export with secrets carries a credential; importing it is a deliberate separate step.
    if ('credentials' in parsed)
      io.err('credentials in the file are not imported (enrol this kiosk with its own code)');
    delete parsed.credentials;
    const { changed } = importConfig(dataDir, JSON.stringify(parsed));
    io.out(`Đã nhập cấu hình / Imported: ${changed.length ? changed.join(', ') : 'no changes'}`);
    return 0;
  } catch (err) {
    if (err instanceof ConfigWriteError || err instanceof SyntaxError) {
      io.err(`Cấu hình không hợp lệ / Invalid configuration: ${err.message}`);
      return 1;
    }
    throw err;
  }
}
