/**
 * The controller's identity as every message and page shows it (Tw 11.7; GDPR 13(1)(a)). Set by
 * `consentry init`, kept in the settings table.
 */
import { z } from 'zod';

export const organisationSchema = z.object({
  /** Legal name of the controller, e.g. "Koffiebranderij De Boon B.V.". */
  name: z.string().trim().min(2, 'the organisation name is required (at least 2 characters)'),
  /** Postal address on one line or several, shown in every footer. */
  postalAddress: z.string().trim().min(5, 'a postal address is required (it appears in every message)'),
  /** Address that receives replies; must be a working mailbox. */
  replyTo: z.email('the reply address must be a valid e-mail address'),
  /** From address of campaigns, at a domain the organisation controls. */
  fromAddress: z.email('the from address must be a valid e-mail address'),
  /** Display name in From, default the organisation name. */
  fromName: z.string().trim().min(1).optional(),
  /** Address for privacy questions (GDPR 13(1)(a)); default the reply address. */
  privacyContact: z.email().optional(),
  /** Data protection officer's contact, when one is appointed (GDPR 13(1)(b)). */
  dpoContact: z.string().trim().min(3).optional(),
  website: z.url().optional(),
  /** Chamber of Commerce number (KvK), shown in footers when set. */
  chamberOfCommerce: z.string().trim().optional(),
  /** Logo at the top of every mail: an https URL (http only on localhost), e.g. one of `consentry media add`. */
  logoUrl: z.url({ protocol: /^https?$/ }).optional(),
  /** Accent colour of mail (top bar, links, buttons) as `#rrggbb`. */
  accentColour: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'the accent colour must be #rrggbb, e.g. #1a56a6').optional(),
});

export type Organisation = z.infer<typeof organisationSchema>;
