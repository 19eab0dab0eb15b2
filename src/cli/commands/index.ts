/**
 * Every command group, in the order `consentry --help` lists them. A group is a function that adds its
 * commands to the program.
 */
import type { Command } from 'commander';
import { registerAudit } from './audit.js';
import { registerBounces } from './bounces.js';
import { registerCampaign } from './campaign.js';
import { registerContacts } from './contacts.js';
import { registerContent } from './content.js';
import { registerCounts } from './counts.js';
import { registerDecide } from './decide.js';
import { registerFacts } from './facts.js';
import { registerDemo } from './demo.js';
import { registerEvidence } from './evidence.js';
import { registerImport } from './import.js';
import { registerLedger } from './ledger.js';
import { registerOrganisation } from './organisation.js';
import { registerOutbox } from './outbox.js';
import { registerRights } from './rights.js';
import { registerServe } from './serve.js';
import { registerSetup } from './setup.js';
import { registerWebhook } from './webhook.js';
import { registerUsers } from './users.js';

export type RegisterCommands = (program: Command) => void;

export const COMMANDS: RegisterCommands[] = [
  registerSetup,
  registerOrganisation,
  registerServe,
  registerCampaign,
  registerBounces,
  registerContent,
  registerContacts,
  registerOutbox,
  registerLedger,
  registerCounts,
  registerImport,
  registerEvidence,
  registerAudit,
  registerFacts,
  registerDecide,
  registerDemo,
  registerRights,
  registerWebhook,
  registerUsers,
];
