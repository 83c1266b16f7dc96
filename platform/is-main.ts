import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** True when the module at `url` is the script Node was started with. */
export function isMain(url: string): boolean {
  return process.argv[1] !== undefined && fileURLToPath(url) === path.resolve(process.argv[1]);
}
