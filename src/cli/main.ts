/**
 * The `consentry` command line. Each group of commands lives in its own module under commands/ and registers
 * itself on the program; this file only assembles them and turns errors into a clear message and exit code.
 */
import { Command, CommanderError } from 'commander';
import { DomainError } from '../services/errors.js';
import { logCommands } from './action-log.js';
import { COMMANDS } from './commands/index.js';

const program = new Command()
  .name('consentry')
  .description('Self-hosted newsletters that can prove every send was lawful (GDPR/AVG, Tw 11.7).')
  .showHelpAfterError()
  .exitOverride();

for (const register of COMMANDS) register(program);
logCommands(program);

// Output piped into a command that stops reading (`| head`) is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) process.exit(err.exitCode);
  const message = err instanceof Error ? err.message : String(err);
  // SQLite allows one writer; the transaction that met the other one was rolled back whole.
  const busy = (err as { code?: string }).code === 'SQLITE_BUSY'
    ? ' (another consentry command or the server is writing to the same database; the unfinished step was rolled back: run the command again when the other has finished, an import resumes where it stopped)'
    : '';
  console.error(`consentry: ${message}${busy}`);
  process.exit(err instanceof DomainError ? 2 : 1);
}
