import { hash, randomBytes } from 'node:crypto';

export const newSecret = (bytes = 32) => randomBytes(bytes).toString('base64url');

/** One call, no hash object: every authenticated request hashes its session or token. */
export const sha256Hex = (value: string) => hash('sha256', value, 'hex');
