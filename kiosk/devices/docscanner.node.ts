import type { Logger } from 'pino';
import { createDocScanner, type DocScanner } from '../../drivers/docscanner/index.node.ts';
import type { EventBus } from '../api/dispatch.ts';
import type { KioskConfig } from '../config/config.node.ts';

/** Opens the configured document scanner (`config.docScanner`) and pushes its status as `device.docscanner`. */
export async function openKioskDocScanner(
  config: KioskConfig,
  deps: { events: EventBus; log: Logger },
): Promise<DocScanner> {
  // config.docScanner was checked by KioskConfig: createDocScanner does not throw for it.
  const device = createDocScanner(config.docScanner);
  device.on('status', (s) => {
    deps.events.emit('device.docscanner', s);
    deps.log[s.online || s.state === 'none' ? 'info' : 'warn'](
      { docScanner: { state: s.state, device: s.device, lastError: s.lastError } },
      'document scanner status',
    );
  });
  const s = await device.open();
  deps.log.info({ docScanner: { uri: config.docScanner, state: s.state } }, 'document scanner opened');
  return device;
}
