import type { Session } from 'electron';
import { contentSecurityPolicy } from '../host/security.ts';
import { allowPermissionCheck, allowPermissionRequest, APP_ORIGIN, APP_SCHEME } from './policy.ts';
import { rendererProtocolHandler } from './serve-renderer.node.ts';
import type { RecordIncident } from './window.main.ts';

export interface SecureSessionOptions {
  /** The built renderer folder served as app://kiosk/. */
  rendererDir: string;
  /** The bundled preload (CommonJS: sandboxed preloads cannot be ES modules). Absolute path. */
  preload: string;
  record: RecordIncident;
}

// Schemes the page may reach. Everything else (http, https, ws, file, ftp…) is cancelled: the
// kiosk page talks only to the kiosk core, through IPC.
const LOCAL_SCHEMES = new Set([`${APP_SCHEME}:`, 'data:', 'blob:']);

const requestDetails = (details: unknown): { requestingUrl: string; mediaTypes: string[] | undefined } => {
  const d = (details ?? {}) as { requestingUrl?: unknown; mediaTypes?: unknown };
  return {
    requestingUrl: typeof d.requestingUrl === 'string' ? d.requestingUrl : '',
    mediaTypes: Array.isArray(d.mediaTypes)
      ? d.mediaTypes.filter((t): t is string => typeof t === 'string')
      : undefined,
  };
};

/**
 * Secures the kiosk's session: the renderer is served from app:// with a strict CSP (also set
 * on any other response), the preload runs only in app:// pages, requests to the network are cancelled, and permissions are
 * allow-listed — the camera for our own page, nothing else, no devices (HID/serial/USB).
 */
export function secureSession(ses: Session, options: SecureSessionOptions): void {
  ses.protocol.handle(APP_SCHEME, rendererProtocolHandler(options.rendererDir));
  // Registered on the session with a URL filter rather than as a window option: the bridge
  // exists only in pages of our own origin, whatever else a frame might come to show.
  ses.registerPreloadScript({
    id: 'kiosk-bridge',
    type: 'frame',
    filePath: options.preload,
    matches: [`${APP_ORIGIN}/*`],
  });

  ses.webRequest.onHeadersReceived((details, callback) => {
    const responseHeaders = { ...(details.responseHeaders ?? {}) };
    for (const name of Object.keys(responseHeaders))
      if (name.toLowerCase() === 'content-security-policy') delete responseHeaders[name];
    responseHeaders['Content-Security-Policy'] = [contentSecurityPolicy()];
    callback({ responseHeaders });
  });

  ses.webRequest.onBeforeRequest((details, callback) => {
    let scheme = '';
    try {
      scheme = new URL(details.url).protocol;
    } catch {
      // an unparsable URL is cancelled below
    }
    callback({ cancel: !LOCAL_SCHEMES.has(scheme) });
  });

  ses.setPermissionRequestHandler((_contents, permission, callback, details) => {
    const { requestingUrl, mediaTypes } = requestDetails(details);
    const allowed = allowPermissionRequest(permission, requestingUrl, mediaTypes);
    if (!allowed) options.record({ kind: 'permission-refused', permission });
    callback(allowed);
  });

  ses.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) =>
    allowPermissionCheck(permission, requestingOrigin || details.requestingUrl || '', details.mediaType),
  );

  // No page of ours asks for HID, serial or USB devices: the kiosk core owns the hardware.
  ses.setDevicePermissionHandler(() => false);
  ses.on('select-hid-device', (event, _details, callback) => {
    event.preventDefault();
    callback('');
  });
  ses.on('select-serial-port', (event, _ports, _contents, callback) => {
    event.preventDefault();
    callback('');
  });
  ses.on('select-usb-device', (event, _details, callback) => {
    event.preventDefault();
    callback('');
  });
  ses.setDisplayMediaRequestHandler((_request, callback) => callback(null));
  ses.on('will-download', (event) => event.preventDefault());
  ses.setSpellCheckerEnabled(false);
}
