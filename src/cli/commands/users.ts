/**
 * `consentry user …` and `consentry apikey list|revoke`: admin users and API keys from the command line, through
 * the same services as the admin app's "Users & API keys" page. Passwords come from standard input
 * (`--password-stdin`), never from the command line where other users of the machine could read them.
 */
import type { Command } from 'commander';
import { ROLES } from '../../core/admin/roles.js';
import { addUser, changeRole, listUsers, removeUser, setPassword } from '../../services/admin/users.js';
import { resetTotp } from '../../services/admin/totp.js';
import { listKeys, revokeKey } from '../../services/organisation/api-keys.js';
import { printJson, printTable, withContext } from '../shared.js';

/**
 * The first line of standard input (a prompt on standard error when it is a terminal).
 * @throws Error when standard input is empty
 */
export async function passwordFromStdin(prompt = 'password: '): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write(prompt);
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk as Buffer);
    if (process.stdin.isTTY && chunk.includes(10)) break;
  }
  const line = Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
  if (!line) throw new Error('no password on standard input (e.g. `printf %s "$PASSWORD" | consentry user add … --password-stdin`)');
  return line;
}

const roleHelp = `role: ${ROLES.join(', ')}`;

export function registerUsers(program: Command): void {
  const user = program.command('user').description('people who sign in to the admin app (/admin)');

  user
    .command('add')
    .description('add an admin user')
    .argument('<email>', 'their e-mail address (the sign-in name)')
    .requiredOption('--role <role>', roleHelp)
    .requiredOption('--password-stdin', 'read the first password from standard input (at least 12 characters)')
    .action(async (email: string, o: { role: string }) => {
      const password = await passwordFromStdin();
      await withContext(async (ctx) => {
        const u = await addUser(ctx.deps, { email, role: o.role, password });
        console.log(`added ${u.email} (${u.role}); sign in at ${ctx.deps.baseUrl}/admin/login`);
      });
    });

  user
    .command('list')
    .description('every admin user with role and second factor')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      await withContext(async (ctx) => {
        const users = await listUsers(ctx.deps);
        if (o.json) return printJson(users);
        printTable(users.map((u) => ({ email: u.email, role: u.role, second_factor: u.secondFactor ? 'yes' : 'no', created: u.createdAt })));
      });
    });

  user
    .command('role')
    .description('change a user’s role (the last owner stays owner)')
    .argument('<email>', 'the user')
    .argument('<role>', roleHelp)
    .action(async (email: string, role: string) => {
      await withContext(async (ctx) => console.log(`${(await changeRole(ctx.deps, email, role)).email} is now ${role}`));
    });

  user
    .command('remove')
    .description('remove an admin user and end their sessions (not the last owner)')
    .argument('<email>', 'the user')
    .action(async (email: string) => {
      await withContext(async (ctx) => console.log(`removed ${(await removeUser(ctx.deps, email)).email}`));
    });

  user
    .command('reset-password')
    .description('set a new password, read from standard input; the user is signed out everywhere')
    .argument('<email>', 'the user')
    .requiredOption('--password-stdin', 'read the new password from standard input')
    .action(async (email: string) => {
      const password = await passwordFromStdin('new password: ');
      await withContext(async (ctx) => console.log(`new password set for ${(await setPassword(ctx.deps, email, password)).email}`));
    });

  user
    .command('totp-reset')
    .description('remove a user’s second factor (TOTP and recovery codes), e.g. after a lost phone; the user is signed out everywhere')
    .argument('<email>', 'the user')
    .action(async (email: string) => {
      await withContext(async (ctx) => console.log(`second factor removed for ${(await resetTotp(ctx.deps, email)).email}; they sign in with the password alone`));
    });
}

/** `apikey list` and `apikey revoke <id>` (creating a key stays `apikey <name>`, in setup.ts). */
export function registerApiKeyCommands(apikey: Command): void {
  apikey
    .command('list')
    .description('every API key with its role (the keys themselves are never shown again)')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      await withContext(async (ctx) => {
        const keys = await listKeys(ctx.deps);
        if (o.json) return printJson(keys);
        printTable(keys.map((k) => ({ id: k.id, name: k.name, role: k.role, created: k.createdAt, revoked: k.revokedAt ?? '' })));
      });
    });

  apikey
    .command('revoke')
    .description('revoke an API key at once')
    .argument('<id>', 'the key’s id (from `apikey list`)')
    .action(async (id: string) => {
      await withContext(async (ctx) => console.log(`revoked "${(await revokeKey(ctx.deps, id)).name}"`));
    });
}
