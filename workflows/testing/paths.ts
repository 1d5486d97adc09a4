import { createActor, type AnyStateMachine, type EventObject } from 'xstate';
import { getSimplePaths } from 'xstate/graph';

/**
 * Path coverage for machines with delayed transitions. `createTestModel` refuses machines
 * with `after`, so we walk the machine's graph ourselves: delayed transitions are the events
 * `xstate.after.<delay>.<state id>`, which the traversal sends like any other. Each simple
 * path is then replayed on a real actor, and `check` sees every snapshot along the way.
 */
export function walkSimplePaths<M extends AnyStateMachine>(
  machine: M,
  options: {
    events: ReadonlyArray<EventObject & Record<string, unknown>>;
    input?: unknown;
    /** What makes two snapshots the same vertex; counters in context would make the graph infinite. */
    serialize?(snapshot: { value: unknown; context: unknown }): string;
    check?(snapshot: ReturnType<ReturnType<typeof createActor<M>>['getSnapshot']>, step: EventObject | null): void;
  },
): { paths: number; statesReached: Set<string> } {
  const serializeState = (s: { value: unknown; context: unknown }) => options.serialize?.(s) ?? JSON.stringify(s.value);
  const paths = getSimplePaths(machine, {
    events: options.events as never,
    input: options.input,
    serializeState,
  } as never);
  const statesReached = new Set<string>();
  for (const path of paths) {
    const actor = createActor(machine, { input: options.input } as never).start();
    const record = (step: EventObject | null) => {
      const snapshot = actor.getSnapshot();
      statesReached.add(JSON.stringify((snapshot as { value: unknown }).value));
      options.check?.(snapshot as never, step);
    };
    record(null);
    for (const step of path.steps.slice(1)) {
      actor.send(step.event);
      record(step.event);
    }
    actor.stop();
  }
  return { paths: paths.length, statesReached };
}

/** The event a delayed transition fires: `after: { <delay>: ... }` on state `<id>`. */
export const after = (delay: string, stateId: string): EventObject => ({ type: `xstate.after.${delay}.${stateId}` });
