import type { Handlers } from '../api/dispatch.ts';
import type { ApplianceContext } from '../appliance/context.node.ts';
import type { SyncState } from '../../contract/api.ts';
import { redactPersonal } from '../core/redact.ts';

export interface AppServiceDeps {
  syncState(): SyncState;
  /** Forget everything of the citizen's session (services register their own wipes). */
  endSession(reason: string): void;
}

export function appHandlers(
  ctx: ApplianceContext,
  deps: AppServiceDeps,
): Pick<Handlers, 'app.info' | 'app.syncState' | 'app.storageState' | 'session.end' | 'app.screenError'> {
  return {
    'app.info': () => ({
      version: ctx.version,
      kioskId: ctx.config.kioskId,
      kioskName: ctx.config.kioskName,
      officeName: ctx.config.officeName,
      defaultLang: ctx.config.lang,
      languages: ctx.config.languages,
      textSize: ctx.config.textSize,
      toneStyle: ctx.config.toneStyle,
      timeouts: ctx.config.timeouts,
      startedAt: ctx.startedAt.toISOString(),
    }),
    'app.syncState': () => deps.syncState(),
    'app.storageState': () => ctx.storage.state(),
    'session.end': ({ reason }) => {
      deps.endSession(reason);
      return { ok: true as const };
    },
    'app.screenError': ({ screen, message, stack }) => {
      // The renderer then starts a new session at home, which ends this one (`session.end`).
      // Its text may hold what was on screen (a name, an ID number): redacted before logging.
      ctx.log.error(
        {
          screen: redactPersonal(screen),
          err: { message: redactPersonal(message), stack: stack === undefined ? undefined : redactPersonal(stack) },
        },
        'a screen failed while drawing; the kiosk went back home',
      );
      return { ok: true as const };
    },
  };
}
