/** How a flow holds a failure: the kiosk API's error body (code, message), or INTERNAL. */
export interface FlowError {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

/** What an actor threw (an API error body from `unwrap`, or anything else) as a FlowError. */
export const asError = (e: unknown): FlowError =>
  e && typeof e === 'object' && 'code' in e
    ? (e as FlowError)
    : { code: 'INTERNAL', message: e instanceof Error ? e.message : String(e) };
