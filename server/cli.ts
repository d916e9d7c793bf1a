import os from 'node:os';
import { cliActor } from '@/lib/audit/actor';
import { ConfigError, loadConfig } from '@/lib/env';
import { openCliDatabase } from './cli/database';
import { CliError, EXIT, processIO } from './cli/io';
import { createCliLogger } from './cli/logger';
import { runCli } from './cli/program';

/**
 * `syncdeck`: the administration command line (run it with `npx syncdeck --help`). Its entry is tools/syncdeck.js;
 * the commands live in server/cli/.
 */
/** The operating-system account running the command, for the audit log; some containers have no passwd entry. */
function osUserName(): string {
  try {
    return os.userInfo().username;
  } catch {
    return 'unknown';
  }
}

async function main(): Promise<void> {
  const io = processIO;
  const logger = createCliLogger({ level: 'warn', write: io.err });

  const exitCode = await runCli(process.argv, {
    io,
    actor: cliActor(osUserName()),
    setVerbose: (verbose) => void (logger.level = verbose ? 'info' : 'warn'),
    async withDatabase(work) {
      let config;
      try {
        config = loadConfig(process.env, { needsAuthSecret: false });
      } catch (error) {
        if (error instanceof ConfigError) throw new CliError(error.message, EXIT.usage);
        throw error;
      }
      const database = await openCliDatabase({ config, logger, io });
      // Ctrl-C mid-command still stops a database started for this command and removes its record.
      const interrupt = (signal: NodeJS.Signals) => {
        io.err(`syncdeck: ${signal}, stopping\n`);
        void database.close().finally(() => process.exit(130));
      };
      process.once('SIGINT', interrupt).once('SIGTERM', interrupt);
      try {
        return await work(database.db);
      } finally {
        process.off('SIGINT', interrupt).off('SIGTERM', interrupt);
        await database.close();
      }
    },
  });

  process.exitCode = exitCode;
  // Everything is closed by now; should a stray handle keep the event loop alive, do not hang the shell.
  setTimeout(() => process.exit(exitCode), 2000).unref();
}

await main();
