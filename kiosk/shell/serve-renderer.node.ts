import { readFile, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { contentSecurityPolicy } from '../host/security.ts';
import { APP_HOST, APP_SCHEME } from './policy.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.mp3': 'audio/mpeg',
  '.ogg': 'audio/ogg',
  '.wav': 'audio/wav',
  '.txt': 'text/plain; charset=utf-8',
};

/** Headers on every answer of the app:// scheme: the same CSP as the web host, no sniffing. */
export function securityHeaders(): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-cache',
  };
}

const answer = (status: number, body: string) =>
  new Response(body, { status, headers: { ...securityHeaders(), 'Content-Type': 'text/plain; charset=utf-8' } });

/**
 * The app:// protocol handler: serves the built renderer (renderer/dist) and nothing else.
 * GET only, our host only, no path escaping the folder (`..`, encoded or not), files only.
 */
export function rendererProtocolHandler(rendererDir: string): (request: Request) => Promise<Response> {
  const root = resolve(rendererDir);
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return answer(405, 'method not allowed');
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return answer(400, 'bad url');
    }
    if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return answer(404, 'not found');
    let path: string;
    try {
      path = decodeURIComponent(url.pathname);
    } catch {
      return answer(400, 'bad path');
    }
    if (path.includes('\0')) return answer(400, 'bad path');
    const file = resolve(root, `.${path === '/' ? '/index.html' : path}`);
    if (file !== root && !file.startsWith(root + sep)) return answer(404, 'not found');
    try {
      if (!(await stat(file)).isFile()) return answer(404, 'not found');
    } catch {
      return answer(404, 'not found');
    }
    const body = await readFile(file);
    return new Response(request.method === 'HEAD' ? null : body, {
      status: 200,
      headers: {
        ...securityHeaders(),
        'Content-Type': TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
      },
    });
  };
}
