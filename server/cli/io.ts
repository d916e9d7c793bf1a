/** Where the CLI writes: command output on stdout, messages and errors on stderr. Injected so tests can capture it. */
export interface CliIO {
  out(text: string): void;
  err(text: string): void;
}

/** Exit codes of every `syncdeck` command. */
export const EXIT = {
  ok: 0,
  /** The command could not be done: no such user, duplicate email, database unavailable. */
  failed: 1,
  /** Bad input: unknown command or option, missing or invalid value. Nothing was changed. */
  usage: 2,
} as const;

/** An expected failure: its message is shown as is on stderr and the process exits with `exitCode`. */
export class CliError extends Error {
  override name = 'CliError';

  constructor(
    message: string,
    readonly exitCode: number = EXIT.failed,
  ) {
    super(message);
  }
}

export const processIO: CliIO = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
};
