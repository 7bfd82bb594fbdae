/** wideproof's version, from the package.json next to the sources or the build. */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function packageVersion(): string {
  try {
    const here = dirname(fileURLToPath(import.meta.url));
    for (const up of ['../..', '..']) {
      try {
        const pkg = JSON.parse(readFileSync(join(here, up, 'package.json'), 'utf8')) as { name?: string; version?: string };
        if (pkg.name === 'wideproof' && pkg.version) return pkg.version;
      } catch {
        /* try the next candidate */
      }
    }
  } catch {
    /* fall through */
  }
  return '0.0.0';
}
