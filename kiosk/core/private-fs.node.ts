import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';

/**
 * The kiosk's files hold personal data (dossiers in kiosk.db and its WAL, log lines): they are
 * created private whatever the umask (issue 19.9): directories 0700, files 0600. Existing ones are
 * tightened too, so an installation made before this rule is fixed at its next start.
 */
export function makePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
}

/** Creates `file` empty if missing (0600), and makes it 0600 if it exists. SQLite gives its WAL and shm files the database file's mode. */
export function makePrivateFile(file: string): void {
  closeSync(openSync(file, 'a', 0o600));
  chmodSync(file, 0o600);
}
