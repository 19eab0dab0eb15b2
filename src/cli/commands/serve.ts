/**
 * `consentry serve`: the web server with the sending worker and ledger checkpoints, until SIGINT/SIGTERM. While
 * no owner exists it prints a one-time set-up link for the browser (services/admin/first-run.ts).
 */
import type { Command } from 'commander';
import { loadConfig, logs } from '../../config.js';
import { createContext, rememberBaseUrl } from '../../context.js';
import { issueSetupToken } from '../../services/admin/first-run.js';
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
      info(`  data: ${config.dataDir}   database: ${ctx.store.dialect}   mail: ${config.smtpUrl ? 'SMTP' : `outbox in ${config.paths.outbox}`}`);
      const setupToken = await issueSetupToken(ctx.deps);
      if (setupToken) {
        // Printed whatever LOG_LEVEL says: without it nobody can set up the installation in the browser.
        console.log('');
        console.log(`  Set up Consentry in your browser (this link works until the first owner exists; keep it to yourself):`);
        console.log(`  ${ctx.deps.baseUrl}/admin/setup?token=${setupToken}`);
        console.log('');
        console.log((await getOrganisation(ctx.deps.db))
          ? '  (or from the command line: `npx consentry user add you@example.nl --role owner --password-stdin`)'
          : '  (or from the command line: `npx consentry init --help`, with `--owner you@example.nl`)');
      } else {
        info(`  admin app: ${ctx.deps.baseUrl}/admin/login`);
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
