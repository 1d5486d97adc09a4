import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { z } from 'zod';
import { calls, isCallName } from '../../contract/api.ts';
import { CALL_CHANNEL, EVENT_CHANNEL } from '../../contract/bridge.ts';
import type { Dispatch, EventBus } from '../api/dispatch.ts';
import type { Result } from '../../contract/errors.ts';
import { isAppUrl } from './policy.ts';
import type { RecordIncident } from './window.main.ts';

/** The core as the IPC layer sees it; null while the watchdog restarts it. */
export interface IpcCore {
  dispatch: Dispatch;
  events: EventBus;
}

export interface KioskIpcOptions {
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>;
  /** The kiosk window's web contents: the only sender we answer. */
  contents: () => WebContents | null;
  core: () => IpcCore | null;
  record: RecordIncident;
}

const CallArgs = z.tuple([z.string().min(1).max(64), z.unknown()]);

const fail = (code: 'FORBIDDEN' | 'BAD_INPUT' | 'UNKNOWN_CALL' | 'OFFLINE', message: string): Result<never> => ({
  ok: false,
  error: { code, message },
});

/**
 * Why a sender is refused, or null when it is our window's main frame showing our app://
 * page. A sub-frame, another window, a page that navigated elsewhere: all refused.
 */
export function refuseSender(
  event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>,
  ours: WebContents | null,
): string | null {
  if (!ours || event.sender !== ours) return 'not the kiosk window';
  const frame = event.senderFrame;
  if (!frame) return 'sender frame is gone';
  if (frame !== event.sender.mainFrame) return 'not the main frame';
  if (!isAppUrl(frame.url)) return 'not the app origin';
  return null;
}

/**
 * `kiosk:call` → the appliance's dispatcher, after checking who calls (sender frame) and what
 * (name in the contract, input matching its schema). Nothing that fails a check reaches the
 * dispatcher. Returns a function that removes the handler.
 */
export function registerKioskIpc(options: KioskIpcOptions): () => void {
  options.ipcMain.handle(CALL_CHANNEL, async (event, ...args: unknown[]): Promise<Result<unknown>> => {
    const refused = refuseSender(event, options.contents());
    if (refused) {
      options.record({ kind: 'ipc-refused', reason: refused });
      return fail('FORBIDDEN', `call refused: ${refused}`);
    }
    const parsed = CallArgs.safeParse(args);
    if (!parsed.success) return fail('BAD_INPUT', 'a call is (name: string, input)');
    const [name, input] = parsed.data;
    if (!isCallName(name)) return fail('UNKNOWN_CALL', `unknown call ${JSON.stringify(name)}`);
    const checked = calls[name].input.safeParse(input ?? {});
    if (!checked.success)
      return fail(
        'BAD_INPUT',
        checked.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '),
      );
    const core = options.core();
    if (!core) return fail('OFFLINE', 'the kiosk core is restarting');
    return core.dispatch(name, input ?? {}, { carrier: 'ipc' });
  });
  return () => options.ipcMain.removeHandler(CALL_CHANNEL);
}

/** Forwards the core's pushed events to the window. Returns the unsubscribe function. */
export function forwardEvents(events: EventBus, contents: WebContents): () => void {
  return events.subscribe((name, payload) => {
    if (!contents.isDestroyed()) contents.send(EVENT_CHANNEL, name, payload);
  });
}
