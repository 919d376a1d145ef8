// Fetches the pinned peer widgets of benches/peers/package.json into .cache/peers/<name>@<version>/
// (each package's own files; their browser bundles need no dependencies), checking every
// tarball against the pinned integrity. Skips what is already there.
//   node scripts/lib/peers.mjs        prints the directory of each peer as JSON
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const pins = JSON.parse(readFileSync(join(root, 'benches/peers/package.json'), 'utf8'));
const cache = join(root, '.cache/peers');
mkdirSync(cache, { recursive: true });

const dirs = {};
for (const [name, version] of Object.entries(pins.dependencies)) {
  const dir = join(cache, `${name.replace('/', '+')}@${version}`);
  dirs[name] = join(dir, 'package');
  if (existsSync(join(dir, 'package', 'package.json'))) continue;
  process.stderr.write(`fetching ${name}@${version}\n`);
  const [packed] = JSON.parse(execFileSync('npm', ['pack', `${name}@${version}`, '--json', '--silent', '--pack-destination', cache], { encoding: 'utf8' }));
  const tarball = join(cache, packed.filename);
  const actual = `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`;
  if (actual !== pins.integrity[name]) {
    rmSync(tarball, { force: true });
    throw new Error(`${name}@${version}: the tarball's integrity ${actual} is not the pinned ${pins.integrity[name]}`);
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', dir]);
  rmSync(tarball, { force: true });
}
console.log(JSON.stringify(dirs));
