import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { REDACT } from './log.node.ts';

describe('kiosk logs never carry personal data', () => {
  it('redacts citizens’ mobile numbers however deep the opt-in sits, and ID numbers and names', () => {
    let out = '';
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        out += chunk.toString();
        done();
      },
    });
    const log = pino({ redact: REDACT }, sink);
    log.info({ phone: '84912345678' }, 'top');
    log.info({ notify: { channel: 'sms', phone: '84912345671' } }, 'opt-in');
    log.info({ payload: { notify: { channel: 'zalo', phone: '84912345672' } } }, 'outbox entry');
    log.info({ applicant: { fullName: 'NGUYỄN VĂN A', idNumber: '079203001234' } }, 'dossier');
    expect(out).not.toMatch(/849123456\d\d|079203001234|NGUYỄN/);
    expect(out.match(/\[redacted\]/g)).toHaveLength(5);
    expect(out).toContain('"channel":"zalo"');
  });
});
