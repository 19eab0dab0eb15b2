/**
 * The suppression key: HMAC-SHA256 of the normalised address under a key derived from the server secret, so
 * the list holds no address in the clear and cannot be matched against guessed addresses without the secret.
 */
import { createHmac } from 'node:crypto';

/**
 * @param secret the server secret
 * @param normalisedAddress the `address` of core/address.ts normaliseAddress
 * @returns 64 hex characters
 */
export function suppressionHash(secret: string, normalisedAddress: string): string {
  const key = createHmac('sha256', secret).update('consentry-suppression').digest();
  return createHmac('sha256', key).update(normalisedAddress).digest('hex');
}

/**
 * A short, non-reversible id of the server secret, so that two servers (or a data folder and the configuration)
 * can tell whether they use the same secret without revealing it.
 * @returns the first 16 hex characters of HMAC-SHA256(secret, "consentry-evidence-key-id")
 */
export function suppressionKeyId(secret: string): string {
  return createHmac('sha256', secret).update('consentry-evidence-key-id').digest('hex').slice(0, 16);
}
