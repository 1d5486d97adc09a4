import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Fake notification providers on loopback, for tests (docs/phone.md): each speaks its
 * provider's request and answer shape and records what it received. `fail(n)` makes the next n
 * requests fail (HTTP 503), as an outage would.
 */
export interface Received {
  at: number;
  headers: IncomingMessage['headers'];
  body: Buffer;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the recorded JSON, as each test reads it
  json: any;
}

export interface FakeProvider {
  readonly url: string;
  readonly received: Received[];
  fail(n: number): void;
  close(): Promise<void>;
}

async function fake(path: string, answer: (r: Received) => unknown): Promise<FakeProvider> {
  const received: Received[] = [];
  let failing = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (failing > 0) {
        failing -= 1;
        res.writeHead(503).end('down');
        return;
      }
      const body = Buffer.concat(chunks);
      let json: unknown = null;
      try {
        json = JSON.parse(body.toString('utf8'));
      } catch {
        // Web Push bodies are encrypted bytes.
      }
      const r: Received = { at: Date.now(), headers: req.headers, body, json };
      received.push(r);
      const out = answer(r);
      res.writeHead(out === null ? 201 : 200, { 'content-type': 'application/json' }).end(JSON.stringify(out ?? {}));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    received,
    fail: (n) => void (failing = n),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Zalo ZNS `POST /message/template` (header `access_token`): `{ error: 0, data: { msg_id } }`. */
export const fakeZalo = () =>
  fake('/message/template', (r) =>
    r.headers.access_token === 'zalo-test-token'
      ? { error: 0, message: 'Success', data: { msg_id: String(r.at), sent_time: String(r.at) } }
      : { error: -124, message: 'Access token is invalid' },
  );

/** A brandname SMS gateway in eSMS.vn's JSON shape: `{ CodeResult: "100", SMSID }`. */
export const fakeSms = () =>
  fake('/MainService.svc/json/SendMultipleMessage_V4_post_json/', (r) =>
    r.json?.ApiKey === 'sms-key' && r.json?.SecretKey === 'sms-secret'
      ? { CodeResult: '100', SMSID: String(r.at) }
      : { CodeResult: '101', ErrorMessage: 'Authorize Failed' },
  );

/** A push service endpoint: 201 Created for every message (the body is RFC 8291-encrypted). */
export const fakePushService = () => fake('/push/subscription-1', () => null);

/** Environment for a central process using the fakes (as docs/phone.md configures real ones). */
export const fakeProviderEnv = (zalo: FakeProvider, sms: FakeProvider): Record<string, string> => ({
  CENTRAL_ZALO_ZNS_URL: zalo.url,
  CENTRAL_ZALO_ACCESS_TOKEN: 'zalo-test-token',
  CENTRAL_ZALO_TEMPLATE_SOON: 'tpl-sap-den-luot',
  CENTRAL_ZALO_TEMPLATE_CALLED: 'tpl-moi-den-quay',
  CENTRAL_ZALO_TEMPLATE_DOSSIER: 'tpl-ho-so',
  CENTRAL_ZALO_TEMPLATE_BOOKING: 'tpl-lich-hen',
  CENTRAL_SMS_URL: sms.url,
  CENTRAL_SMS_API_KEY: 'sms-key',
  CENTRAL_SMS_SECRET_KEY: 'sms-secret',
  CENTRAL_SMS_BRANDNAME: 'UBND-ANXUYEN',
});
