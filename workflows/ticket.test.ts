import { createActor, fromPromise, SimulatedClock, type EventObject } from 'xstate';
import { describe, expect, it } from 'vitest';
import type { IssuedTicket, TicketEstimate, TicketOptions } from '../contract/domains/tickets.ts';
import { after, walkSimplePaths } from './testing/paths.ts';
import { TICKET_RESULT_MS, ticketMachine, type IssueParams } from './ticket.ts';

const svc = (id: string, extra: Partial<TicketOptions['areas'][number]['services'][number]> = {}) => ({
  id,
  name: `Dịch vụ ${id}`,
  prefix: 'A',
  open: true,
  opensAt: null,
  capReached: false,
  counters: 'Quầy 1',
  location: 'Tầng trệt',
  ...extra,
});

const manyAreas: TicketOptions = {
  officeName: 'UBND phường An Xuyên',
  online: true,
  priorityGroups: [{ id: 'cao-tuoi', name: 'Người cao tuổi' }],
  areas: [
    {
      id: 'tu-phap',
      name: 'Tư pháp',
      services: [svc('ho-tich'), svc('chung-thuc', { open: false, opensAt: '2026-11-30T06:30:00.000Z' })],
    },
    { id: 'kinh-te', name: 'Kinh tế', services: [svc('hkd', { capReached: true })] },
  ],
};
const oneService: TicketOptions = {
  ...manyAreas,
  priorityGroups: [],
  areas: [{ id: 'tong-hop', name: 'Tổng hợp', services: [svc('tong-hop')] }],
};
const oneClosedService: TicketOptions = {
  ...oneService,
  areas: [{ id: 'tong-hop', name: 'Tổng hợp', services: [svc('tong-hop', { open: false })] }],
};

const issued = (serviceId: string, printed = true): IssuedTicket => ({
  ticket: {
    ticketId: '0190f7a4-0000-4000-8000-000000000001',
    number: 'A001',
    serviceId,
    serviceName: 'x',
    areaName: 'y',
    counters: 'Quầy 1',
    location: null,
    priorityName: null,
    issuedAt: '2026-11-30T02:00:00.000Z',
    issuedAtLocal: '09:00 30/11/2026',
    ahead: 2,
    wait: { minMinutes: 5, maxMinutes: 15 },
    origin: 'central',
    qr: 'data:image/svg+xml;base64,AA==',
  },
  print: printed
    ? { printed: true as const }
    : {
        printed: false as const,
        error: { code: 'PRINTER_PAPER_OUT' as const, message: 'paper out' },
        preview: 'data:image/png;base64,AA==',
      },
});
const estimate: TicketEstimate = { ahead: 2, wait: { minMinutes: 5, maxMinutes: 15 }, online: true };

const pending = <T, I = void>() => fromPromise<T, I>(() => new Promise<T>(() => undefined));
const walkable = ticketMachine.provide({
  actors: {
    loadOptions: pending<TicketOptions>(),
    estimate: pending<TicketEstimate, IssueParams>(),
    issue: pending<IssuedTicket, IssueParams>(),
  } as never,
});

const done = (id: string, output: unknown): EventObject => ({ type: `xstate.done.actor.${id}`, output }) as EventObject;
const failed = (id: string, error: unknown): EventObject =>
  ({ type: `xstate.error.actor.${id}`, error }) as EventObject;

describe('ticket machine: every path', () => {
  for (const [label, options] of [
    ['several areas, a closed and a full service, one priority group', manyAreas],
    ['one area with one service and no priority groups', oneService],
    ['one area whose only service is closed', oneClosedService],
  ] as const) {
    it(`never issues for a closed or full service and always ends in home or the ticket (${label})`, () => {
      const allServices = options.areas.flatMap((a) => a.services);
      const events = [
        done('loadOptions', options),
        failed('loadOptions', { code: 'NOT_PROVISIONED', message: 'no config' }),
        ...options.areas.map((a) => ({ type: 'SELECT_AREA', areaId: a.id })),
        { type: 'SELECT_AREA', areaId: 'khong-co' },
        ...allServices.map((s) => ({ type: 'SELECT_SERVICE', serviceId: s.id })),
        // "Thường" / "Ưu tiên" on the service's row (issue 20, item 17).
        ...allServices.flatMap((s) => [
          { type: 'SELECT_SERVICE', serviceId: s.id, ticket: 'regular' },
          { type: 'SELECT_SERVICE', serviceId: s.id, ticket: 'priority' },
        ]),
        { type: 'SELECT_PRIORITY', priorityGroupId: null },
        ...options.priorityGroups.map((g) => ({ type: 'SELECT_PRIORITY', priorityGroupId: g.id })),
        { type: 'SELECT_PRIORITY', priorityGroupId: 'khong-co' },
        done('estimate', estimate),
        failed('estimate', { code: 'OFFLINE', message: 'x' }),
        { type: 'CONFIRM' },
        done('issue', issued('ho-tich')),
        done('issue', issued('ho-tich', false)),
        failed('issue', { code: 'SERVICE_CLOSED', message: 'closed' }),
        { type: 'BACK' },
        { type: 'RETRY' },
        { type: 'DONE' },
        after('result', 'ticket.done'),
      ] as EventObject[];
      const { paths, statesReached } = walkSimplePaths(walkable, {
        events,
        serialize: (s) => {
          const c = s.context as {
            areaId: string | null;
            serviceId: string | null;
            priorityGroupId: string | null;
            options: unknown;
            error: { code: string } | null;
            issued: { print: { printed: boolean } } | null;
            estimate: unknown;
          };
          // Which service was chosen matters only through the guards; the check below sees the real ids.
          return JSON.stringify([
            s.value,
            c.areaId,
            c.serviceId !== null,
            (c as { priorityAsked?: boolean }).priorityAsked,
            c.options !== null,
            c.error?.code ?? null,
            c.issued?.print.printed ?? null,
          ]);
        },
        check: (snap) => {
          const c = snap.context;
          if (snap.matches('estimating') || snap.matches('confirm') || snap.matches('issuing')) {
            const s = allServices.find((x) => x.id === c.serviceId);
            expect(s, 'a chosen service').toBeDefined();
            expect(s!.open && !s!.capReached).toBe(true);
          }
          if (snap.matches('done')) expect(c.issued).not.toBeNull();
          if (snap.matches('chooseArea')) expect(c.serviceId).toBeNull();
          // A regular ticket chosen on the service's row never carries a priority group.
          if (snap.matches('confirm') && !c.priorityAsked) expect(c.priorityGroupId).toBeNull();
        },
      });
      expect(paths).toBeGreaterThan(5);
      const reached = [...statesReached].map((v) => JSON.parse(v) as string);
      expect(reached).toEqual(expect.arrayContaining(['loading', 'unavailable', 'left']));
      if (options === oneClosedService) {
        expect(reached).not.toContain('issuing');
        expect(reached).toContain('chooseService');
      } else {
        expect(reached).toEqual(
          expect.arrayContaining(['confirm', 'issuing', 'done', 'failed', 'finished', 'reloading']),
        );
      }
      if (options === manyAreas)
        expect(reached).toEqual(expect.arrayContaining(['chooseArea', 'chooseService', 'choosePriority']));
      if (options === oneService) expect(reached).not.toEqual(expect.arrayContaining(['chooseArea']));
    });
  }
});

function run(
  options: TicketOptions,
  issue: (p: IssueParams) => Promise<IssuedTicket>,
  est: () => Promise<TicketEstimate> = async () => estimate,
) {
  const clock = new SimulatedClock();
  const calls: IssueParams[] = [];
  let loads = 0;
  const actor = createActor(
    ticketMachine.provide({
      actors: {
        loadOptions: fromPromise(async () => {
          loads++;
          return options;
        }),
        estimate: fromPromise(est),
        issue: fromPromise(async ({ input }: { input: IssueParams }) => {
          calls.push(input);
          return issue(input);
        }),
      },
    }),
    { clock },
  ).start();
  const settle = () => new Promise((r) => setTimeout(r, 0));
  return { actor, clock, calls, settle, loads: () => loads };
}

describe('ticket machine: behaviour', () => {
  it('skips the area and service steps when the office has one service, and goes to the number after one touch', async () => {
    const { actor, settle, calls } = run(oneService, async (p) => issued(p.serviceId));
    await settle();
    expect(actor.getSnapshot().value).toBe('confirm');
    expect(actor.getSnapshot().context.estimate).toEqual(estimate);
    actor.send({ type: 'CONFIRM' });
    await settle();
    expect(actor.getSnapshot().value).toBe('done');
    expect(calls).toEqual([{ serviceId: 'tong-hop', priorityGroupId: null }]);
  });

  it('asks for the area, service and priority group, and issues a priority ticket', async () => {
    const { actor, settle, calls } = run(manyAreas, async (p) => issued(p.serviceId));
    await settle();
    expect(actor.getSnapshot().value).toBe('chooseArea');
    actor.send({ type: 'SELECT_AREA', areaId: 'tu-phap' });
    expect(actor.getSnapshot().value).toBe('chooseService');
    actor.send({ type: 'SELECT_SERVICE', serviceId: 'chung-thuc' });
    expect(actor.getSnapshot().value).toBe('chooseService');
    actor.send({ type: 'SELECT_SERVICE', serviceId: 'ho-tich' });
    expect(actor.getSnapshot().value).toBe('choosePriority');
    actor.send({ type: 'SELECT_PRIORITY', priorityGroupId: 'cao-tuoi' });
    await settle();
    actor.send({ type: 'CONFIRM' });
    await settle();
    expect(calls).toEqual([{ serviceId: 'ho-tich', priorityGroupId: 'cao-tuoi' }]);
    expect(actor.getSnapshot().value).toBe('done');
  });

  it('"Thường" on the service row goes straight to the confirm step: area, service row, take = three touches after home', async () => {
    const { actor, settle, calls } = run(manyAreas, async (p) => issued(p.serviceId));
    await settle();
    actor.send({ type: 'SELECT_AREA', areaId: 'tu-phap' });
    // A closed service refuses either button.
    actor.send({ type: 'SELECT_SERVICE', serviceId: 'chung-thuc', ticket: 'regular' });
    expect(actor.getSnapshot().value).toBe('chooseService');
    actor.send({ type: 'SELECT_SERVICE', serviceId: 'ho-tich', ticket: 'regular' });
    await settle();
    expect(actor.getSnapshot().value).toBe('confirm');
    expect(actor.getSnapshot().context.estimate).toEqual(estimate);
    // "Quay lại" from the confirm step returns to the service list, not to a priority question never asked.
    actor.send({ type: 'BACK' });
    expect(actor.getSnapshot().value).toBe('chooseService');
    actor.send({ type: 'SELECT_SERVICE', serviceId: 'ho-tich', ticket: 'regular' });
    await settle();
    actor.send({ type: 'CONFIRM' });
    await settle();
    expect(calls).toEqual([{ serviceId: 'ho-tich', priorityGroupId: null }]);
    expect(actor.getSnapshot().value).toBe('done');
  });

  it('"Ưu tiên" on the service row asks which priority group, and back from the confirm step returns to that question', async () => {
    const { actor, settle, calls } = run(manyAreas, async (p) => issued(p.serviceId));
    await settle();
    actor.send({ type: 'SELECT_AREA', areaId: 'tu-phap' });
    actor.send({ type: 'SELECT_SERVICE', serviceId: 'ho-tich', ticket: 'priority' });
    expect(actor.getSnapshot().value).toBe('choosePriority');
    actor.send({ type: 'SELECT_PRIORITY', priorityGroupId: 'cao-tuoi' });
    await settle();
    expect(actor.getSnapshot().value).toBe('confirm');
    actor.send({ type: 'BACK' });
    expect(actor.getSnapshot().value).toBe('choosePriority');
    actor.send({ type: 'SELECT_PRIORITY', priorityGroupId: 'cao-tuoi' });
    await settle();
    actor.send({ type: 'CONFIRM' });
    await settle();
    expect(calls).toEqual([{ serviceId: 'ho-tich', priorityGroupId: 'cao-tuoi' }]);
  });

  it('still ends on the ticket when the printer failed, carrying the on-screen copy', async () => {
    const { actor, settle } = run(oneService, async (p) => issued(p.serviceId, false));
    await settle();
    actor.send({ type: 'CONFIRM' });
    await settle();
    expect(actor.getSnapshot().value).toBe('done');
    expect(actor.getSnapshot().context.issued).toMatchObject({
      print: { printed: false, error: { code: 'PRINTER_PAPER_OUT' } },
    });
  });

  it('says "not known" when the estimate cannot be had, and still issues', async () => {
    const { actor, settle } = run(
      oneService,
      async (p) => issued(p.serviceId),
      async () => {
        throw { code: 'OFFLINE', message: 'x' };
      },
    );
    await settle();
    expect(actor.getSnapshot().value).toBe('confirm');
    expect(actor.getSnapshot().context.estimate).toEqual({ ahead: null, wait: null, online: false });
  });

  it('clears the ticket from the screen after the result time, for the next citizen', async () => {
    const { actor, settle, clock } = run(oneService, async (p) => issued(p.serviceId));
    await settle();
    actor.send({ type: 'CONFIRM' });
    await settle();
    clock.increment(TICKET_RESULT_MS - 1);
    expect(actor.getSnapshot().value).toBe('done');
    clock.increment(1);
    expect(actor.getSnapshot().status).toBe('done');
    expect(actor.getSnapshot().value).toBe('finished');
  });

  it('goes back to the service list, read again, when the service closed while the citizen decided', async () => {
    let n = 0;
    const { actor, settle, loads } = run(manyAreas, async () => {
      n++;
      throw { code: 'SERVICE_CLOSED', message: 'closed', details: { opensAt: '2026-11-30T06:30:00.000Z' } };
    });
    await settle();
    actor.send({ type: 'SELECT_AREA', areaId: 'tu-phap' });
    actor.send({ type: 'SELECT_SERVICE', serviceId: 'ho-tich' });
    actor.send({ type: 'SELECT_PRIORITY', priorityGroupId: null });
    await settle();
    actor.send({ type: 'CONFIRM' });
    await settle();
    expect(actor.getSnapshot().value).toBe('failed');
    expect(actor.getSnapshot().context.error?.code).toBe('SERVICE_CLOSED');
    actor.send({ type: 'BACK' });
    await settle();
    expect(loads()).toBe(2);
    expect(actor.getSnapshot().value).toBe('chooseArea');
    expect(n).toBe(1);
  });
});
