import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueEnrolCode } from '../../central/admin.node.ts';
import { DEMO_OFFICE_ID, seedDemo } from '../../central/demo/seed.node.ts';
import { startCentral, type RunningCentral } from '../../central/server.node.ts';
import { freePort } from '../../bench/province.node.ts';
import { ConfigError, loadConfig } from '../config/config.node.ts';
import { openDatabase } from '../store/db.node.ts';
import { CentralClient, CentralClientError, UNTRUSTED_CENTRAL_MESSAGE } from './central-client.node.ts';
import { enrolKiosk } from '../tech/enrol.node.ts';
import { INSECURE_CENTRAL_MESSAGE } from './transport-policy.ts';
import { createSyncParts } from './wire.node.ts';

/**
 * Issue 18: kiosks reach central over HTTPS through the province's TLS-terminating HAProxy,
 * trusting only the province's CA (pinned, KIOSK_CENTRAL_CA). The test makes its own CAs with
 * openssl: the right one works, another one is refused, the system's list alone is refused, and
 * plain http:// to another machine is refused by the configuration before any connection.
 */
const dir = mkdtempSync(join(tmpdir(), 'kiosk-tls-'));
const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });

function makeCa(name: string) {
  ssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '2',
    '-subj',
    `/CN=${name}`,
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.pem`,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  );
  return join(dir, `${name}.pem`);
}

let central: RunningCentral;
let haproxy: ReturnType<typeof spawn>;
let httpsUrl = '';
let rightCa = '';
let wrongCa = '';

beforeAll(async () => {
  rightCa = makeCa('province-ca');
  wrongCa = makeCa('other-ca');
  // central's certificate for 127.0.0.1, signed by the province's CA.
  ssl(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    '/CN=central.province.test',
    '-keyout',
    'central.key',
    '-out',
    'central.csr',
  );
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  ssl(
    'x509',
    '-req',
    '-in',
    'central.csr',
    '-CA',
    'province-ca.pem',
    '-CAkey',
    'province-ca.key',
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    'san.ext',
    '-out',
    'central.crt',
  );
  // HAProxy wants the certificate and its key in one file.
  writeFileSync(
    join(dir, 'central-haproxy.pem'),
    readFileSync(join(dir, 'central.crt'), 'utf8') + readFileSync(join(dir, 'central.key'), 'utf8'),
  );

  central = await startCentral({ db: join(dir, 'central.sqlite'), trustProxy: ['127.0.0.1'] });
  await seedDemo(central.store);
  const port = await freePort();
  // The documented set-up (docs/province.md): HAProxy terminates TLS and forwards to central on loopback.
  writeFileSync(
    join(dir, 'haproxy.cfg'),
    `global\n  maxconn 256\ndefaults\n  mode http\n  timeout connect 2s\n  timeout client 30s\n  timeout server 30s\n` +
      `frontend https\n  bind 127.0.0.1:${port} ssl crt ${join(dir, 'central-haproxy.pem')}\n  option forwardfor\n` +
      `  http-request set-header X-Forwarded-Proto https\n  default_backend central\n` +
      `backend central\n  server c1 127.0.0.1:${central.port}\n`,
  );
  haproxy = spawn('haproxy', ['-db', '-f', join(dir, 'haproxy.cfg')], { stdio: 'ignore' });
  httpsUrl = `https://127.0.0.1:${port}`;
  const client = new CentralClient({ baseUrl: httpsUrl, credentials: () => null, ca: readFileSync(rightCa, 'utf8') });
  for (let i = 0; ; i++) {
    try {
      await client.health(1_000);
      break;
    } catch (err) {
      if (i > 100) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}, 60_000);

afterAll(async () => {
  if (haproxy && haproxy.exitCode === null) {
    const exited = new Promise((r) => haproxy.once('exit', r));
    haproxy.kill('SIGTERM');
    await exited;
  }
  await central?.close();
  rmSync(dir, { recursive: true, force: true });
});

const refusal = async (p: Promise<unknown>) => {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CentralClientError);
  return err as CentralClientError;
};

describe('kiosk → central over HTTPS with a pinned CA', () => {
  it('works with the province CA, and the kiosk enrols and syncs through it', async () => {
    const kioskDir = mkdtempSync(join(dir, 'kiosk-'));
    const { code } = await issueEnrolCode(central.store, { officeId: DEMO_OFFICE_ID });
    const { credentials } = await enrolKiosk({ centralUrl: httpsUrl, code, dataDir: kioskDir, caFile: rightCa });
    expect(credentials.officeId).toBe(DEMO_OFFICE_ID);

    // The kiosk's own wiring: KIOSK_CENTRAL_CA from the environment, through kiosk/config.
    const config = loadConfig({ KIOSK_DATA_DIR: kioskDir, KIOSK_CENTRAL_CA: rightCa });
    expect(config.centralUrl).toBe(httpsUrl);
    const db = openDatabase(join(kioskDir, 'kiosk.db'));
    try {
      const parts = createSyncParts({ config, db, log: pino({ level: 'silent' }), clock: { now: () => new Date() } });
      expect((await parts.central.health()).ok).toBe(true);
      const me = await parts.central.request('GET', '/v1/me', (await import('../../protocol/enrol.ts')).WhoAmIResponse);
      expect(me.value?.deviceId).toBe(credentials.deviceId);
    } finally {
      db.close();
    }
  });

  it('refuses a central whose certificate is from another CA, and one trusted only by nobody (system list)', async () => {
    const other = await refusal(
      new CentralClient({ baseUrl: httpsUrl, credentials: () => null, ca: readFileSync(wrongCa, 'utf8') }).health(),
    );
    expect(other.code).toBe('CENTRAL_TLS_UNTRUSTED');
    expect(other.message).toContain(UNTRUSTED_CENTRAL_MESSAGE);
    expect(other.message).toMatch(/Chứng chỉ của máy chủ trung tâm/);

    const system = await refusal(new CentralClient({ baseUrl: httpsUrl, credentials: () => null }).health());
    expect(system.code).toBe('CENTRAL_TLS_UNTRUSTED');

    // An enrolment with the wrong CA never sends the code.
    const kioskDir = mkdtempSync(join(dir, 'kiosk-'));
    const { code } = await issueEnrolCode(central.store, { officeId: DEMO_OFFICE_ID });
    const refused = await refusal(enrolKiosk({ centralUrl: httpsUrl, code, dataDir: kioskDir, caFile: wrongCa }));
    expect(refused.code).toBe('CENTRAL_TLS_UNTRUSTED');
    const row = await central.store.get<{ n: number }>('SELECT COUNT(*) AS n FROM devices');
    expect(Number(row?.n)).toBe(1);
  });

  it('refuses http:// to another machine in the configuration, before any connection, unless a technician allows it', () => {
    const kioskDir = mkdtempSync(join(dir, 'kiosk-'));
    let err: unknown;
    try {
      loadConfig({ KIOSK_DATA_DIR: kioskDir, KIOSK_CENTRAL_URL: 'http://central.example.invalid' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toContain(INSECURE_CENTRAL_MESSAGE);
    expect((err as Error).message).toContain('KIOSK_CENTRAL_URL');

    writeFileSync(join(kioskDir, 'kiosk.json'), JSON.stringify({ allowInsecureCentral: true }));
    expect(
      loadConfig({ KIOSK_DATA_DIR: kioskDir, KIOSK_CENTRAL_URL: 'http://central.example.invalid' }).centralUrl,
    ).toBe('http://central.example.invalid');
    // Loopback stays allowed (the embedded central, tests).
    expect(
      loadConfig({ KIOSK_DATA_DIR: mkdtempSync(join(dir, 'k-')), KIOSK_CENTRAL_URL: 'http://127.0.0.1:8620' })
        .centralUrl,
    ).toBe('http://127.0.0.1:8620');
  });

  it('refuses a KIOSK_CENTRAL_CA that is not a certificate', () => {
    const bad = join(dir, 'not-a-ca.pem');
    writeFileSync(bad, 'hello');
    expect(() => loadConfig({ KIOSK_DATA_DIR: mkdtempSync(join(dir, 'k-')), KIOSK_CENTRAL_CA: bad })).toThrow(
      /KIOSK_CENTRAL_CA \(centralCaFile\).*chứng chỉ CA/,
    );
  });
});
