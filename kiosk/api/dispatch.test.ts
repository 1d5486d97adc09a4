import { describe, expect, it, vi } from 'vitest';
import { createDispatcher, EventBus, type Handlers } from './dispatch.ts';
import { KioskError } from '../../contract/errors.ts';

const info = {
  version: '1',
  kioskId: 'K1',
  kioskName: 'Kiosk 1',
  officeName: 'UBND',
  defaultLang: 'vi' as const,
  languages: ['vi' as const, 'en' as const],
  textSize: 'normal' as const,
  toneStyle: 'old' as const,
  timeouts: { idleWarningMs: 1000, warningMs: 20_000, attractMs: 5000 },
  startedAt: new Date(0).toISOString(),
};

const handlers = (over: Partial<Handlers> = {}): Handlers =>
  ({
    'app.info': () => info,
    'app.syncState': () => ({ online: true, pending: 0, parked: 0, lastSuccessAt: null, lastErrorKind: null }),
    'session.end': () => ({ ok: true as const }),
    ...over,
  }) as Handlers;

describe('dispatch', () => {
  it('validates input and output against the contract', async () => {
    const dispatch = createDispatcher(handlers(), () => {});
    expect(await dispatch('app.info', {}, { carrier: 'test' })).toEqual({ ok: true, value: info });
    expect(await dispatch('session.end', { reason: 'bogus' }, { carrier: 'test' })).toMatchObject({
      ok: false,
      error: { code: 'BAD_INPUT' },
    });
    expect(await dispatch('app.info', { extra: 1 }, { carrier: 'test' })).toMatchObject({
      ok: false,
      error: { code: 'BAD_INPUT' },
    });
  });

  it('refuses names that are not in the contract, including prototype keys', async () => {
    const dispatch = createDispatcher(handlers(), () => {});
    for (const name of ['nope', '__proto__', 'constructor', 'toString']) {
      expect(await dispatch(name, {}, { carrier: 'test' })).toMatchObject({
        ok: false,
        error: { code: 'UNKNOWN_CALL' },
      });
    }
  });

  it('turns a KioskError into its typed error and anything else into INTERNAL, logged', async () => {
    const onInternal = vi.fn();
    const dispatch = createDispatcher(
      handlers({
        'app.info': () => {
          throw new KioskError('OFFLINE', 'central unreachable');
        },
        'app.syncState': () => {
          throw new TypeError('boom');
        },
      }),
      onInternal,
    );
    expect(await dispatch('app.info', {}, { carrier: 'test' })).toEqual({
      ok: false,
      error: { code: 'OFFLINE', message: 'central unreachable' },
    });
    expect(await dispatch('app.syncState', {}, { carrier: 'test' })).toEqual({
      ok: false,
      error: { code: 'INTERNAL', message: 'internal error' },
    });
    expect(onInternal).toHaveBeenCalledOnce();
  });

  it('never lets a handler answer outside the contract', async () => {
    const onInternal = vi.fn();
    const dispatch = createDispatcher(handlers({ 'app.info': () => ({ ...info, version: 42 }) as never }), onInternal);
    expect(await dispatch('app.info', {}, { carrier: 'test' })).toMatchObject({
      ok: false,
      error: { code: 'INTERNAL' },
    });
    expect(onInternal.mock.calls[0]?.[1]).toBeInstanceOf(Error);
  });
});

describe('EventBus', () => {
  it('refuses to push an event that breaks its schema', () => {
    const bus = new EventBus();
    const got: unknown[] = [];
    bus.subscribe((name, payload) => got.push([name, payload]));
    expect(() => bus.emit('sync.state', { online: 'yes' } as never)).toThrow();
    bus.emit('sync.state', { online: false, pending: 1, parked: 0, lastSuccessAt: null, lastErrorKind: 'timeout' });
    expect(got).toHaveLength(1);
  });
});
