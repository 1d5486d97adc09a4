import { z } from 'zod';
import { Procedure, ProcedureLevel, OnlineLevel } from '../../protocol/catalog.ts';
import { DossierLookup } from '../../protocol/dossiers.ts';
import { call, noInput } from '../define.ts';
import { PrintOutcome } from '../print.ts';

/** One line of a result list: what a citizen needs to pick the right procedure. */
export const ProcedureSummary = z.object({
  code: z.string(),
  name: z.string(),
  fieldId: z.string(),
  fieldName: z.string(),
  level: ProcedureLevel,
  onlineLevel: OnlineLevel,
  /** The in-person channel's time limit and fee as published (the first channel if none). */
  timeLimit: z.string(),
  fee: z.string(),
  /** This kiosk has a form for it: the detail screen links into the submission flow. */
  submittableHere: z.boolean(),
});
export type ProcedureSummary = z.infer<typeof ProcedureSummary>;

const Freshness = z.object({
  /** Catalog version and when the kiosk received it; null when it has none yet. */
  version: z.string().nullable(),
  receivedAt: z.string().nullable(),
});

export const CatalogFields = Freshness.extend({
  total: z.number().int(),
  fields: z.array(z.object({ id: z.string(), name: z.string(), count: z.number().int() })),
  levels: z.array(z.object({ level: ProcedureLevel, count: z.number().int() })),
});
export type CatalogFields = z.infer<typeof CatalogFields>;

const ProcedureList = z.object({ total: z.number().int(), items: z.array(ProcedureSummary) });

/**
 * A dossier lookup's answer. Each way it can go is a value the screen words differently:
 * found (maybe the offline copy, with its age), a code that is not one, a code of another
 * province, a code central does not know, or no answer and no copy.
 */
export const DossierStatusResult = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('found'),
    dossier: DossierLookup,
    /** true when central could not be asked and this is the last answer the kiosk kept. */
    stale: z.boolean(),
    /** When central gave this answer, and how long ago (ms). */
    checkedAt: z.string(),
    ageMs: z.number().int().nonnegative(),
  }),
  z.object({ kind: z.literal('malformed'), text: z.string() }),
  z.object({ kind: z.literal('other-province'), code: z.string(), agencyId: z.string() }),
  z.object({ kind: z.literal('unknown'), code: z.string() }),
  z.object({ kind: z.literal('offline'), code: z.string() }),
]);
export type DossierStatusResult = z.infer<typeof DossierStatusResult>;

const Code = z.string().min(1).max(60);

/**
 * The timeline a citizen sees, in the order a dossier goes through it. National statuses
 * (vietnam.md §3) fold into these stages; the optional ones show only when they happened.
 */
export const TIMELINE_STAGES = [
  { stage: 'received', optional: false },
  { stage: 'processing', optional: false },
  { stage: 'supplement', optional: true },
  { stage: 'financial', optional: true },
  { stage: 'stopped', optional: true },
  { stage: 'done', optional: false },
  { stage: 'returned', optional: false },
] as const;
export type TimelineStage = (typeof TIMELINE_STAGES)[number]['stage'];

export function statusStage(status: number): TimelineStage {
  switch (status) {
    case 1:
    case 2:
      return 'received';
    case 4:
      return 'processing';
    case 5:
      return 'supplement';
    case 6:
      return 'financial';
    case 9:
      return 'done';
    case 10:
      return 'returned';
    default:
      // 3 not accepted, 7 withdrawn, 8 stopped.
      return 'stopped';
  }
}

export type StepState = 'done' | 'current' | 'pending';

/**
 * The timeline a citizen reads: each stage done, current or pending. "Đã trả kết quả" is the end
 * of the road, not a step the dossier is still on: once returned, every stage reached is done.
 */
export function timelineSteps<E extends { status: number }>(status: number, timeline: readonly E[]) {
  const current = statusStage(status);
  const finished = current === 'returned';
  const reached = new Set(timeline.map((e) => statusStage(e.status)));
  const order = TIMELINE_STAGES.map((s) => s.stage);
  const currentAt = order.indexOf(current);
  return TIMELINE_STAGES.filter((s) => !s.optional || reached.has(s.stage)).map((s) => {
    const event = timeline.filter((e) => statusStage(e.status) === s.stage).at(-1);
    const state: StepState =
      s.stage === current && !finished
        ? 'current'
        : s.stage === current || event || order.indexOf(s.stage) < currentAt
          ? 'done'
          : 'pending';
    return { stage: s.stage, state, event };
  });
}

export const calls = {
  /** Fields and levels with their procedure counts (the browse screen), and the catalog's age. */
  'catalog.fields': call(noInput, CatalogFields),
  /** Procedures of a field and/or level, in catalog order, a page at a time. */
  'catalog.browse': call(
    z
      .object({
        fieldId: z.string().max(60).optional(),
        level: ProcedureLevel.optional(),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(100).default(20),
      })
      .strict(),
    ProcedureList,
  ),
  /** Search as you type: diacritic- and case-insensitive (đ = d), best matches first. */
  'catalog.search': call(
    z
      .object({
        query: z.string().max(200),
        fieldId: z.string().max(60).optional(),
        level: ProcedureLevel.optional(),
        limit: z.number().int().min(1).max(100).default(30),
      })
      .strict(),
    ProcedureList.extend({ tookMs: z.number() }),
  ),
  /** One procedure in full. NOT_FOUND when the catalog has no such code. */
  'catalog.get': call(
    z.object({ code: Code }).strict(),
    z.object({ procedure: Procedure, fieldName: z.string(), submittableHere: z.boolean() }),
  ),
  /** Prints the checklist of documents to bring ("In hướng dẫn"). */
  'catalog.printChecklist': call(z.object({ code: Code }).strict(), PrintOutcome),
  /**
   * Looks a dossier up from what was typed or scanned: a bare code, a lookup URL, or the
   * structured content of a receipt QR.
   */
  'dossier.status': call(z.object({ text: z.string().min(1).max(4000) }).strict(), DossierStatusResult),
  /** Prints the status of a dossier looked up in this session (from the kiosk's last answer). */
  'dossier.printStatus': call(z.object({ code: Code }).strict(), PrintOutcome),
};

export const events = {};
