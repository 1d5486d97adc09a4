/**
 * The shell's security decisions as pure functions, so they are tested without Electron: which
 * URLs are ours, which permission requests pass, which key presses are swallowed.
 */

/** The renderer is served from this privileged custom scheme, never from file:// or http. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'kiosk';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const HOME_URL = `${APP_ORIGIN}/index.html`;

/**
 * True for URLs of our own renderer. Compared by scheme and host, not `URL.origin`: WHATWG URL
 * in Node reports "null" as the origin of a non-special scheme such as app://.
 */
export function isAppUrl(raw: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  return url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST && url.username === '' && url.password === '';
}

/**
 * The one permission the kiosk page needs is the camera (QR codes on paper and phones). Every
 * other permission (microphone, notifications, geolocation, clipboard, HID, serial, USB,
 * screen capture, fullscreen toggling by the page…) is refused.
 */
export function allowPermissionRequest(
  permission: string,
  requestingUrl: string,
  mediaTypes: readonly string[] | undefined,
): boolean {
  if (permission !== 'media' || !isAppUrl(requestingUrl)) return false;
  const types = mediaTypes ?? [];
  return types.length > 0 && types.every((t) => t === 'video');
}

/** The synchronous permission check Chromium makes before (and besides) a request. */
export function allowPermissionCheck(
  permission: string,
  requestingOrigin: string,
  mediaType: string | undefined,
): boolean {
  return permission === 'media' && mediaType === 'video' && isAppUrl(requestingOrigin);
}

/** The parts of Electron's `Input` the shortcut filter reads. */
export interface KeyInput {
  type: string;
  key: string;
  code?: string;
  control?: boolean;
  meta?: boolean;
  alt?: boolean;
  shift?: boolean;
}

// Keys that act on the browser itself, whatever modifier: reload, full screen, devtools,
// caret browsing, history. Letters and digits are compared case-insensitively.
const ALWAYS_BLOCKED = new Set([
  'F1',
  'F3',
  'F5',
  'F6',
  'F7',
  'F11',
  'F12',
  'BrowserBack',
  'BrowserForward',
  'BrowserRefresh',
  'BrowserHome',
  'BrowserSearch',
  'BrowserStop',
  'ContextMenu',
]);
// With Ctrl/Cmd: reload, close, quit, new window/tab, print, open, save, find, view source,
// devtools (with Shift), zoom in/out/reset, address bar, history, downloads, tab switching.
const WITH_COMMAND = new Set([
  'r',
  'w',
  'q',
  'n',
  't',
  'p',
  'o',
  's',
  'f',
  'g',
  'u',
  'i',
  'j',
  'c',
  'l',
  'h',
  'd',
  'e',
  'k',
  'm',
  '+',
  '=',
  '-',
  '_',
  '0',
  'Tab',
  'PageUp',
  'PageDown',
  'F4',
]);
// Copy, paste and select-all stay usable for typing into a form; C is only blocked with Shift
// (element inspector). Everything else listed above is blocked with or without Shift.
const COMMAND_ALLOWED_WITHOUT_SHIFT = new Set(['c']);

/**
 * True when a key press would reload, close, zoom, navigate or open developer tools. Plain
 * typing (including a keyboard-wedge scanner's characters and Enter) passes.
 */
export function isBlockedShortcut(input: KeyInput): boolean {
  if (input.type !== 'keyDown' && input.type !== 'rawKeyDown') return false;
  const key = input.key.length === 1 ? input.key.toLowerCase() : input.key;
  if (ALWAYS_BLOCKED.has(input.key)) return true;
  if (input.alt && (key === 'F4' || key === 'ArrowLeft' || key === 'ArrowRight' || key === 'Home')) return true;
  if (input.control || input.meta) {
    if (COMMAND_ALLOWED_WITHOUT_SHIFT.has(key) && !input.shift) return false;
    if (WITH_COMMAND.has(key)) return true;
    // Ctrl+1..9 switch tabs; digits also arrive as key "Digit1" codes with other layouts.
    if (/^[1-9]$/.test(key)) return true;
  }
  return false;
}
