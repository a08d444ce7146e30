// Runs a README's quick start: the ```js block between <!-- quickstart:start -->
// and <!-- quickstart:end -->, with its import specifier pointed at the build
// under test.  Returns { expected, output }: the trailing `// …` comment of
// the block and what the script printed.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../../', import.meta.url));

export function runQuickstart(readmePath, fromSpecifier, toModule) {
  const readme = readFileSync(readmePath, 'utf8');
  const block = readme.match(/<!-- quickstart:start -->\s*```js\n([\s\S]*?)```\s*<!-- quickstart:end -->/);
  if (!block) throw new Error(`${readmePath} has no quick start block`);
  const code = block[1];
  const lines = code.split('\n').filter((l) => l.trim()).length;
  if (lines > 10) throw new Error(`the quick start has ${lines} lines; keep it to 10`);
  const expected = code.match(/\/\/ (.*)\s*$/)[1].trim();
  const runnable = code.replace(`'${fromSpecifier}'`, JSON.stringify(toModule));
  if (runnable === code) throw new Error(`the quick start no longer imports '${fromSpecifier}'`);
  const file = join(repo, 'build', `quickstart-${Buffer.from(readmePath).toString('hex').slice(-16)}.mjs`);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, runnable);
  return { expected, output: execFileSync(process.execPath, [file], { encoding: 'utf8' }).trim() };
}

export { repo };
