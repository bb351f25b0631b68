/**
 * Session ids: the start time in base 36 (so ids sort by start) and 48
 * random bits (so two instances starting in the same millisecond differ).
 * Uses `crypto.getRandomValues`, which exists in insecure contexts too.
 */

/** A new session id, e.g. `lxk3v2a1-9f0c2e4d1b7a`. */
export function newSessionId(wallStartMs: number): string {
  const random = new Uint8Array(6);
  crypto.getRandomValues(random);
  const hex = Array.from(random, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${Math.max(0, Math.floor(wallStartMs)).toString(36)}-${hex}`;
}
