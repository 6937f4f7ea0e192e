/**
 * Prints the SHA-256 of an API key read from stdin (its first line), the form FACADE_API_KEYS holds:
 *
 *   printf %s "$KEY" | npm run -s hash-api-key      # -> 64 hex characters
 *   FACADE_API_KEYS="dashboard:read:<that hash>"
 *
 * Keys should be random and long (e.g. `openssl rand -hex 32`): an unsalted hash protects only a key
 * that cannot be guessed.
 */
import { text } from 'node:stream/consumers';
import { hashApiKey } from '../src/auth/api-keys.js';

const MIN_LENGTH = 32;

if (process.stdin.isTTY) process.stderr.write('Paste the API key, then press Enter and Ctrl-D (piping it in keeps it out of the terminal):\n');
const key = (await text(process.stdin)).split(/\r?\n/)[0]!.trim();
if (!key) {
  console.error('No key on stdin. Usage: printf %s "$KEY" | npm run -s hash-api-key');
  process.exit(1);
}
if (key.length < MIN_LENGTH || /\s/.test(key)) {
  console.error(`An API key must be at least ${MIN_LENGTH} characters without spaces; make one with: openssl rand -hex 32`);
  process.exit(1);
}
console.log(hashApiKey(key));
