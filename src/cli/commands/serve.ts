/**
 * `consentry serve`: the web server with the sending worker and ledger checkpoints, until SIGINT/SIGTERM.
 */
import type { Command } from 'commander';
import { loadConfig, logs } from '../../config.js';
import { createContext, rememberBaseUrl } from '../../context.js';
import { listUsers } from '../../services/admin/users.js';
import { getOrganisation } from '../../store/settings.js';
import { startServer } from '../../server.js';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('run the web server (forms, confirm and unsubscribe pages, privacy notice, JSON API) and the sending worker')
    .action(async () => {
      const config = loadConfig();
      // The server's own URL: CONSENTRY_BASE_URL, else this port on localhost (not an older server's setting).
      const ctx = await createContext({ ...config, baseUrl: config.baseUrl ?? `http://localhost:${config.port}` });
      await rememberBaseUrl(ctx);
      const server = await startServer(ctx, { host: config.host, port: config.port, logger: config.logLevel !== 'silent' });
      // Start-up lines are information: LOG_LEVEL=warn (or higher) leaves them out, as it does the request log.
      const info = logs(config.logLevel, 'info') ? console.log : () => {};
      info(`Consentry is running at ${server.url} (public URL ${ctx.deps.baseUrl})`);
      info(`  data: ${config.dataDir}   database: ${ctx.store.dialect}   mail: ${config.smtpUrl ? 'SMTP' : `outbox in ${config.dataDir}/outbox`}`);
      info(`  admin app: ${ctx.deps.baseUrl}/admin/login`);
      const warn = logs(config.logLevel, 'warn') ? console.log : () => {};
      if (!(await getOrganisation(ctx.deps.db))) {
        warn('  Not set up yet: run `npx consentry init --help` to set up your organisation, newsletter and form');
        warn('  (add `--owner you@example.nl` to create your sign-in for the admin app; the password is read from standard input).');
      } else if ((await listUsers(ctx.deps)).length === 0) {
        warn('  No one can sign in yet: `npx consentry user add you@example.nl --role owner --password-stdin` creates the first owner.');
      }
      const stop = async () => {
        await server.stop();
        await ctx.close();
        process.exit(0);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
