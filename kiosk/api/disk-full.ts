/**
 * Is this error "the disk is full"? SQLite answers SQLITE_FULL (better-sqlite3 puts it in
 * `code`), Node's fs ENOSPC, and a file-size limit EFBIG; SQLite may also report a failed
 * write as SQLITE_IOERR_WRITE with ENOSPC only in its message.
 */
export function isDiskFull(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const code = (err as { code?: unknown }).code;
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EFBIG' || code === 'EDQUOT') return true;
  const message = (err as { message?: unknown }).message;
  return typeof message === 'string' && /database or disk is full|ENOSPC|no space left on device/i.test(message);
}
