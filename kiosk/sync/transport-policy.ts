/**
 * Kiosk ⇄ central transport policy (issue 19.5). Until the province's TLS set-up lands, the
 * kiosk refuses to send its credential and citizens' data over plain `http://` to another
 * machine; `http://` to this machine (loopback: the embedded central, tests) stays allowed. A
 * technician at the kiosk may allow it explicitly (`kioskctl config set allowInsecureCentral
 * true`); central can never push that key.
 */
const LOOPBACK_HOSTS = new Set(['localhost', '[::1]', '::1']);

export const isLoopbackHost = (hostname: string): boolean =>
  LOOPBACK_HOSTS.has(hostname.toLowerCase()) || /^127(\.\d{1,3}){3}$/.test(hostname);

export const INSECURE_CENTRAL_MESSAGE =
  'Địa chỉ máy chủ trung tâm dùng http:// (không mã hóa) tới máy khác: hãy dùng https://, hoặc kỹ thuật viên bật allowInsecureCentral. / The central address uses unencrypted http:// to another machine: use https://, or a technician sets allowInsecureCentral.';

/** Null when the kiosk may talk to `url`; else the reason, in Vietnamese and English. */
export function centralUrlProblem(url: string, allowInsecure: boolean): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `Địa chỉ máy chủ trung tâm không hợp lệ / Invalid central address: ${url.slice(0, 100)}`;
  }
  if (parsed.protocol === 'https:') return null;
  if (parsed.protocol !== 'http:') return `Chỉ dùng https:// / Only https:// central addresses: ${parsed.protocol}`;
  return isLoopbackHost(parsed.hostname) || allowInsecure ? null : INSECURE_CENTRAL_MESSAGE;
}
