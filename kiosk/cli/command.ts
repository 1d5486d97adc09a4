/** One `kioskctl` verb. `run` returns the process exit code. */
export interface Command {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  run(args: string[], io: CommandIO): Promise<number>;
}

export interface CommandIO {
  out(line: string): void;
  err(line: string): void;
  env: NodeJS.ProcessEnv;
}
