import { assign, fromPromise, setup } from 'xstate';
import type { OfficeSummary } from '../protocol/office.ts';
import { asError, type FlowError } from './errors.ts';

/**
 * The setup wizard of a new kiosk: central and office → enrolment code → printer and scanner →
 * a test print and a test scan → technician PIN → done. Every step's I/O is an actor the
 * screen provides (`loadOffices`, `enrol`, `useDevices`, `testPrint`, `finish`); a failure
 * keeps the technician on the step with the error, never half-way into the next one.
 */

export interface ProvisioningContext {
  centralUrl: string;
  offices: OfficeSummary[];
  officeId: string | null;
  kioskName: string;
  deviceId: string | null;
  /** Central's office for the code, when it differs from the one picked. */
  officeMismatch: string | null;
  printer: string;
  scanner: string;
  testPrintOk: boolean;
  testScanOk: boolean;
  /** What the last test scan was understood as (a kind, never the scanned text). */
  lastScanKind: string | null;
  error: FlowError | null;
}

export type ProvisioningEvent =
  | { type: 'LOAD_OFFICES'; centralUrl: string }
  | { type: 'CHOOSE_OFFICE'; officeId: string; kioskName: string }
  | { type: 'SUBMIT_CODE'; code: string }
  | { type: 'CHOOSE_DEVICES'; printer: string; scanner: string }
  | { type: 'TEST_PRINT' }
  | { type: 'SCAN_SEEN'; kind: string }
  | { type: 'NEXT' }
  | { type: 'BACK' }
  | { type: 'SUBMIT_PIN'; pin: string };

export interface ProvisioningInput {
  centralUrl: string;
  kioskName: string;
  printer: string;
  scanner: string;
  /** Already enrolled (restart mid-setup): resume at the devices step. */
  enrolled: boolean;
  deviceId?: string | null;
}

export const provisioningMachine = setup({
  types: {
    context: {} as ProvisioningContext,
    events: {} as ProvisioningEvent,
    input: {} as ProvisioningInput,
  },
  actors: {
    loadOffices: fromPromise<OfficeSummary[], { centralUrl: string }>(async () => {
      throw new Error('loadOffices not provided');
    }),
    enrol: fromPromise<
      { deviceId: string; officeId: string; officeName: string; officeMatches: boolean },
      { centralUrl: string; code: string; kioskName: string; officeId: string }
    >(async () => {
      throw new Error('enrol not provided');
    }),
    useDevices: fromPromise<void, { printer: string; scanner: string }>(async () => {
      throw new Error('useDevices not provided');
    }),
    testPrint: fromPromise<void, void>(async () => {
      throw new Error('testPrint not provided');
    }),
    finish: fromPromise<void, { pin: string }>(async () => {
      throw new Error('finish not provided');
    }),
  },
  guards: {
    testsPassed: ({ context }) => context.testPrintOk && context.testScanOk,
    resumeEnrolled: ({ context }) => context.deviceId !== null,
  },
}).createMachine({
  id: 'provisioning',
  context: ({ input }) => ({
    centralUrl: input.centralUrl,
    offices: [],
    officeId: null,
    kioskName: input.kioskName,
    deviceId: input.enrolled ? (input.deviceId ?? 'enrolled') : null,
    officeMismatch: null,
    printer: input.printer,
    scanner: input.scanner,
    testPrintOk: false,
    testScanOk: false,
    lastScanKind: null,
    error: null,
  }),
  initial: 'start',
  states: {
    start: { always: [{ guard: 'resumeEnrolled', target: 'devices' }, { target: 'office' }] },
    office: {
      initial: 'idle',
      states: {
        idle: {},
        loading: {
          invoke: {
            id: 'loadOffices',
            src: 'loadOffices',
            input: ({ context }) => ({ centralUrl: context.centralUrl }),
            onDone: { target: 'idle', actions: assign({ offices: ({ event }) => event.output, error: null }) },
            onError: { target: 'idle', actions: assign({ offices: [], error: ({ event }) => asError(event.error) }) },
          },
        },
      },
      on: {
        LOAD_OFFICES: {
          target: '.loading',
          actions: assign({ centralUrl: ({ event }) => event.centralUrl, error: null }),
        },
        CHOOSE_OFFICE: {
          target: 'enrol',
          actions: assign({
            officeId: ({ event }) => event.officeId,
            kioskName: ({ event }) => event.kioskName,
            error: null,
          }),
        },
      },
    },
    enrol: {
      initial: 'idle',
      states: {
        idle: {},
        sending: {
          invoke: {
            id: 'enrol',
            src: 'enrol',
            input: ({ context, event }) => ({
              centralUrl: context.centralUrl,
              code: (event as { code: string }).code,
              kioskName: context.kioskName,
              officeId: context.officeId ?? '',
            }),
            onDone: {
              target: '#provisioning.devices',
              actions: assign({
                deviceId: ({ event }) => event.output.deviceId,
                officeMismatch: ({ event }) => (event.output.officeMatches ? null : event.output.officeName),
                error: null,
              }),
            },
            onError: { target: 'idle', actions: assign({ error: ({ event }) => asError(event.error) }) },
          },
        },
      },
      on: {
        SUBMIT_CODE: { target: '.sending', actions: assign({ error: null }) },
        BACK: { target: 'office', actions: assign({ error: null }) },
      },
    },
    devices: {
      initial: 'idle',
      states: {
        idle: {},
        saving: {
          invoke: {
            id: 'useDevices',
            src: 'useDevices',
            input: ({ context }) => ({ printer: context.printer, scanner: context.scanner }),
            onDone: {
              target: '#provisioning.tests',
              actions: assign({ testPrintOk: false, testScanOk: false, lastScanKind: null, error: null }),
            },
            onError: { target: 'idle', actions: assign({ error: ({ event }) => asError(event.error) }) },
          },
        },
      },
      on: {
        CHOOSE_DEVICES: {
          target: '.saving',
          actions: assign({
            printer: ({ event }) => event.printer,
            scanner: ({ event }) => event.scanner,
            error: null,
          }),
        },
      },
    },
    tests: {
      initial: 'idle',
      states: {
        idle: {},
        printing: {
          invoke: {
            id: 'testPrint',
            src: 'testPrint',
            onDone: { target: 'idle', actions: assign({ testPrintOk: true, error: null }) },
            onError: {
              target: 'idle',
              actions: assign({ testPrintOk: false, error: ({ event }) => asError(event.error) }),
            },
          },
        },
      },
      on: {
        TEST_PRINT: { target: '.printing', actions: assign({ error: null }) },
        SCAN_SEEN: { actions: assign({ testScanOk: true, lastScanKind: ({ event }) => event.kind }) },
        NEXT: { guard: 'testsPassed', target: 'pin' },
        BACK: { target: 'devices', actions: assign({ error: null }) },
      },
    },
    pin: {
      initial: 'idle',
      states: {
        idle: {},
        finishing: {
          invoke: {
            id: 'finish',
            src: 'finish',
            input: ({ event }) => ({ pin: (event as { pin: string }).pin }),
            onDone: { target: '#provisioning.done' },
            onError: { target: 'idle', actions: assign({ error: ({ event }) => asError(event.error) }) },
          },
        },
      },
      on: {
        SUBMIT_PIN: { target: '.finishing', actions: assign({ error: null }) },
        BACK: { target: 'tests', actions: assign({ error: null }) },
      },
    },
    done: { type: 'final' },
  },
});
