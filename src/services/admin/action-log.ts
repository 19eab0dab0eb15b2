/**
 * The admin action log (issue 9): who (an admin user, an API key or the command line), what, when and on which
 * object, for every change made in the admin app, the JSON API or the CLI. It is written at the three
 * boundaries, not by each use case: the admin route table's hook after a successful POST (web/admin/plugin.ts),
 * the API's hook after a successful non-GET call (web/api/index.ts) and the CLI's hook after a command that
 * changes something (cli/main.ts). Objects are named by id; an address given as an id (the API allows a
 * contact's address in its paths) is replaced by that contact's id, so the log holds no data subject's address.
 */
import { normaliseAddress } from '../../core/address.js';
import { insertAdminAction, listAdminActions } from '../../store/admin-actions.js';
import { contactByEmail } from '../../store/contacts.js';
import type { Data, Deps } from '../deps.js';

/** Who acted. */
export const ACTOR_KINDS = ['user', 'api_key', 'cli', 'system'] as const;
export type ActorKind = (typeof ACTOR_KINDS)[number];

/** One change to record. */
export interface ActionInput {
  actor: { kind: ActorKind; id: string | null; name: string };
  /** What was done: the route pattern ('POST /admin/users/:id/role') or the command ('cli user add'). */
  action: string;
  /** The kind of object ('users', 'contacts', …) and its id, when the action names one. */
  object?: { kind: string; id: string | null } | undefined;
  /** HTTP status or exit code. */
  status?: number;
}

/** An entry as the log page shows it. */
export interface ActionEntry {
  position: number;
  at: string;
  actor: { kind: string; id: string | null; name: string };
  action: string;
  object: { kind: string | null; id: string | null };
  status: number | null;
}

/** An object id safe to keep: an address becomes the id of the contact it names (or nothing). */
async function safeObjectId(deps: Data, id: string | null): Promise<string | null> {
  if (id === null || !id.includes('@')) return id;
  const n = normaliseAddress(id);
  return n.ok ? ((await contactByEmail(deps.db, n.value.address))?.id ?? null) : null;
}

/** Appends one entry. Never throws for a bad object id; the caller's change has already happened. */
export async function logAction(deps: Data & Pick<Deps, 'clock'>, input: ActionInput): Promise<void> {
  await insertAdminAction(deps.db, {
    at: deps.clock.now().toISOString(),
    actor_kind: input.actor.kind,
    actor_id: input.actor.id,
    actor_name: input.actor.name.slice(0, 320),
    action: input.action.slice(0, 200),
    object_kind: input.object?.kind ?? null,
    object_id: await safeObjectId(deps, input.object?.id ?? null),
    status: input.status ?? null,
  });
}

/**
 * One page of the log, newest first.
 * @param opts.before the `next` cursor of the previous page
 * @returns the entries and the cursor of the next (older) page, or null at the end
 */
export async function readActionLog(deps: Data, opts: { limit?: number; before?: number } = {}): Promise<{ entries: ActionEntry[]; next: number | null }> {
  const limit = Math.min(Math.max(opts.limit ?? 50, 1), 500);
  const rows = await listAdminActions(deps.db, { limit: limit + 1, ...(opts.before !== undefined ? { before: opts.before } : {}) });
  const page = rows.slice(0, limit);
  return {
    entries: page.map((r) => ({
      position: Number(r.position),
      at: r.at,
      actor: { kind: r.actor_kind, id: r.actor_id, name: r.actor_name },
      action: r.action,
      object: { kind: r.object_kind, id: r.object_id },
      status: r.status,
    })),
    next: rows.length > limit ? Number(page[page.length - 1]!.position) : null,
  };
}
