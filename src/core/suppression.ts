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
