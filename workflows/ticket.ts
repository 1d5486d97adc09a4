import { assign, fromPromise, setup } from 'xstate';
import { asError, type FlowError } from './errors.ts';
import type { IssuedTicket, TicketEstimate, TicketOptions } from '../contract/domains/tickets.ts';

export interface TicketContext {
  options: TicketOptions | null;
  areaId: string | null;
  serviceId: string | null;
  priorityGroupId: string | null;
  /** The priority question was put to the citizen (its own screen): "Quay lại" from the confirm step goes back to it. */
  priorityAsked: boolean;
  estimate: TicketEstimate | null;
  issued: IssuedTicket | null;
  error: FlowError | null;
}

export type TicketEvent =
  | { type: 'SELECT_AREA'; areaId: string }
  /**
   * `ticket`: which ticket the citizen pressed on the service's row — 'regular' ("Thường") goes
   * straight to the confirm step, 'priority' ("Ưu tiên") asks which priority group; without it
   * (a service row with one button) the priority question follows when the office has groups.
   */
  | { type: 'SELECT_SERVICE'; serviceId: string; ticket?: 'regular' | 'priority' }
  | { type: 'SELECT_PRIORITY'; priorityGroupId: string | null }
  | { type: 'CONFIRM' }
  | { type: 'BACK' }
  | { type: 'RETRY' }
  | { type: 'DONE' };

export interface IssueParams {
  serviceId: string;
  priorityGroupId: string | null;
}

/** The result screen clears itself for the next citizen after this long (the session idle is longer). */
export const TICKET_RESULT_MS = 90_000;

const area = (c: TicketContext) => c.options?.areas.find((a) => a.id === c.areaId) ?? null;
const serviceOf = (c: TicketContext, id: string | null) =>
  c.options?.areas.flatMap((a) => a.services).find((s) => s.id === id) ?? null;
/** Open, not full, and in the chosen area. */
const available = (c: TicketContext, serviceId: string) => {
  const s = serviceOf(c, serviceId);
  return !!s && s.open && !s.capReached && area(c)?.services.some((x) => x.id === s.id) === true;
};

/**
 * The citizen's queue ticket: area → service, with "Thường" / "Ưu tiên" on the service's row
 * (priority group only after "Ưu tiên") → people ahead and wait → issue and print → the number. A step with one choice is skipped; a closed service cannot be
 * chosen (the screen says when it opens). I/O is the actors `loadOptions`, `estimate`, `issue`.
 * `left` = the citizen went back out of the flow; `finished` = done (the screen goes home).
 */
export const ticketMachine = setup({
  types: {
    context: {} as TicketContext,
    events: {} as TicketEvent,
  },
  actors: {
    loadOptions: fromPromise<TicketOptions>(async () => {
      throw new Error('loadOptions not provided');
    }),
    estimate: fromPromise<TicketEstimate, IssueParams>(async () => {
      throw new Error('estimate not provided');
    }),
    issue: fromPromise<IssuedTicket, IssueParams>(async () => {
      throw new Error('issue not provided');
    }),
  },
  guards: {
    singleArea: ({ context }) => (context.options?.areas.length ?? 0) === 1,
    multipleAreas: ({ context }) => (context.options?.areas.length ?? 0) > 1,
    singleServiceInArea: ({ context }) => area(context)?.services.length === 1,
    serviceStepShown: ({ context }) => (area(context)?.services.length ?? 0) > 1,
    onlyServiceAvailable: ({ context }) => {
      const s = area(context)?.services[0];
      return area(context)?.services.length === 1 && !!s && s.open && !s.capReached;
    },
    serviceAvailable: ({ context }, params: { serviceId: string }) => available(context, params.serviceId),
    hasPriorityGroups: ({ context }) => (context.options?.priorityGroups.length ?? 0) > 0,
    regularTicket: ({ context }, params: { serviceId: string; ticket?: 'regular' | 'priority' }) =>
      params.ticket === 'regular' && available(context, params.serviceId),
    priorityAsked: ({ context }) => context.priorityAsked,
    knownArea: ({ context }, params: { areaId: string }) =>
      context.options?.areas.some((a) => a.id === params.areaId) === true,
    knownPriority: ({ context }, params: { priorityGroupId: string | null }) =>
      params.priorityGroupId === null ||
      context.options?.priorityGroups.some((g) => g.id === params.priorityGroupId) === true,
    choiceError: ({ context }) => ['SERVICE_CLOSED', 'DAILY_CAP_REACHED'].includes(context.error?.code ?? ''),
  },
  actions: {
    clearChoice: assign({ serviceId: null, priorityGroupId: null, priorityAsked: false, estimate: null, error: null }),
  },
  delays: { result: TICKET_RESULT_MS },
}).createMachine({
  id: 'ticket',
  context: {
    options: null,
    areaId: null,
    serviceId: null,
    priorityGroupId: null,
    priorityAsked: false,
    estimate: null,
    issued: null,
    error: null,
  },
  initial: 'loading',
  states: {
    loading: {
      invoke: {
        id: 'loadOptions',
        src: 'loadOptions',
        onDone: { target: 'routing', actions: assign({ options: ({ event }) => event.output, error: null }) },
        onError: { target: 'unavailable', actions: assign({ error: ({ event }) => asError(event.error) }) },
      },
    },
    unavailable: {
      on: { RETRY: 'loading', DONE: 'finished', BACK: 'left' },
    },
    routing: {
      always: [
        {
          guard: 'singleArea',
          target: 'areaChosen',
          actions: assign({ areaId: ({ context }) => context.options!.areas[0]!.id }),
        },
        { target: 'chooseArea' },
      ],
    },
    chooseArea: {
      entry: 'clearChoice',
      on: {
        SELECT_AREA: {
          guard: { type: 'knownArea', params: ({ event }) => ({ areaId: event.areaId }) },
          target: 'areaChosen',
          actions: assign({ areaId: ({ event }) => event.areaId }),
        },
        BACK: 'left',
      },
    },
    areaChosen: {
      always: [
        {
          guard: 'onlyServiceAvailable',
          target: 'serviceChosen',
          actions: assign({ serviceId: ({ context }) => area(context)!.services[0]!.id }),
        },
        { target: 'chooseService' },
      ],
    },
    chooseService: {
      entry: 'clearChoice',
      on: {
        SELECT_SERVICE: [
          {
            guard: {
              type: 'regularTicket',
              params: ({ event }) => ({ serviceId: event.serviceId, ticket: event.ticket }),
            },
            target: 'estimating',
            actions: assign({ serviceId: ({ event }) => event.serviceId, priorityGroupId: null }),
          },
          {
            guard: { type: 'serviceAvailable', params: ({ event }) => ({ serviceId: event.serviceId }) },
            target: 'serviceChosen',
            actions: assign({ serviceId: ({ event }) => event.serviceId }),
          },
        ],
        BACK: [{ guard: 'multipleAreas', target: 'chooseArea' }, { target: 'left' }],
      },
    },
    serviceChosen: {
      always: [{ guard: 'hasPriorityGroups', target: 'choosePriority' }, { target: 'estimating' }],
    },
    choosePriority: {
      entry: assign({ priorityAsked: true }),
      on: {
        SELECT_PRIORITY: {
          guard: { type: 'knownPriority', params: ({ event }) => ({ priorityGroupId: event.priorityGroupId }) },
          target: 'estimating',
          actions: assign({ priorityGroupId: ({ event }) => event.priorityGroupId }),
        },
        BACK: [
          { guard: 'serviceStepShown', target: 'chooseService' },
          { guard: 'multipleAreas', target: 'chooseArea' },
          { target: 'left' },
        ],
      },
    },
    estimating: {
      invoke: {
        id: 'estimate',
        src: 'estimate',
        input: ({ context }) => ({ serviceId: context.serviceId!, priorityGroupId: context.priorityGroupId }),
        onDone: { target: 'confirm', actions: assign({ estimate: ({ event }) => event.output }) },
        // Not knowing is an answer too: the screen says "chưa xác định".
        onError: { target: 'confirm', actions: assign({ estimate: { ahead: null, wait: null, online: false } }) },
      },
    },
    confirm: {
      on: {
        CONFIRM: 'issuing',
        BACK: [
          { guard: 'priorityAsked', target: 'choosePriority' },
          { guard: 'serviceStepShown', target: 'chooseService' },
          { guard: 'multipleAreas', target: 'chooseArea' },
          { target: 'left' },
        ],
      },
    },
    issuing: {
      invoke: {
        id: 'issue',
        src: 'issue',
        input: ({ context }) => ({ serviceId: context.serviceId!, priorityGroupId: context.priorityGroupId }),
        onDone: { target: 'done', actions: assign({ issued: ({ event }) => event.output, error: null }) },
        onError: { target: 'failed', actions: assign({ error: ({ event }) => asError(event.error) }) },
      },
    },
    failed: {
      on: {
        RETRY: 'issuing',
        // Closed or full: choose another service.
        BACK: [{ guard: 'choiceError', target: 'reloading' }, { target: 'confirm' }],
        DONE: 'finished',
      },
    },
    reloading: {
      // The service list changed (closed, cap): read it again before choosing.
      invoke: {
        id: 'loadOptions',
        src: 'loadOptions',
        onDone: { target: 'routing', actions: assign({ options: ({ event }) => event.output, error: null }) },
        onError: { target: 'unavailable', actions: assign({ error: ({ event }) => asError(event.error) }) },
      },
    },
    done: {
      after: { result: 'finished' },
      on: { DONE: 'finished' },
    },
    finished: { type: 'final' },
    left: { type: 'final' },
  },
});
