/**
 * A per-device mutex whose waiters give up after a short time: a second print on a device that is
 * printing answers BUSY instead of queueing behind a job that may never end.
 */
const held = new Map<string, Promise<void>>();

/** Runs `fn` holding the lock on `key`; resolves `undefined` (without running `fn`) if the lock stayed held for `timeoutMs`. */
export async function withDeviceLock<T>(
  key: string,
  timeoutMs: number,
  fn: () => Promise<T>,
): Promise<{ ran: true; value: T } | { ran: false }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const current = held.get(key);
    if (!current) break;
    const left = deadline - Date.now();
    if (left <= 0) return { ran: false };
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      current.then(() => false),
      new Promise<boolean>((r) => (timer = setTimeout(() => r(true), left))),
    ]);
    clearTimeout(timer);
    if (timedOut) return { ran: false };
  }
  let release!: () => void;
  held.set(key, new Promise<void>((r) => (release = r)));
  try {
    return { ran: true, value: await fn() };
  } finally {
    held.delete(key);
    release();
  }
}

export const isDeviceLocked = (key: string): boolean => held.has(key);
