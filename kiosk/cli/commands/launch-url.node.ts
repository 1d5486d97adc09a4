import type { Command } from '../command.ts';
import { ConfigError, loadConfig } from '../../config/config.node.ts';
import { launchUrl, readLaunchSecret } from '../../host/launch.node.ts';

/**
 * Prints a one-time address that opens the kiosk page of the running web host in one browser
 * (docs/shell.md, "Web host threat model"): the browser unit runs `chromium --app="$(kioskctl
 * launch-url)"`. Needs the web host's launch secret in the data directory (same user only).
 */
export const launchUrlCommand: Command = {
  name: 'launch-url',
  summary: 'a one-time address that opens the kiosk page in one browser',
  usage: 'kioskctl launch-url',
  async run(_args, io) {
    let config;
    try {
      config = loadConfig(io.env);
    } catch (err) {
      if (err instanceof ConfigError) {
        io.err(err.message);
        return 1;
      }
      throw err;
    }
    const secret = readLaunchSecret(config.dataDir);
    if (!secret) {
      io.err('Web host chưa chạy / the web host is not running (no launch secret in the data directory)');
      return 1;
    }
    io.out(launchUrl(`http://127.0.0.1:${config.hostPort}/`, secret));
    return 0;
  },
};
