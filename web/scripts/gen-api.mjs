// Generates src/api/schema.ts from ../docs/openapi.json with openapi-typescript (`npm run gen:api`),
// or, with --check, generates to a temporary file and fails when src/api/schema.ts differs
// (`npm run check:api`: the committed types must match the committed OpenAPI document).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const web = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const input = path.resolve(web, '..', 'docs', 'openapi.json');
const target = path.join(web, 'src', 'api', 'schema.ts');
const HEADER =
  '// generated from docs/openapi.json by `npm run gen:api`; do not edit\n' +
  '/* eslint-disable */\n';

function generate() {
  const dir = mkdtempSync(path.join(tmpdir(), 'zapys-gen-api-'));
  try {
    const source = input;
    const out = path.join(dir, 'schema.ts');
    const cli = path.join(web, 'node_modules', 'openapi-typescript', 'bin', 'cli.js');
    execFileSync(process.execPath, [cli, source, '--output', out], { stdio: ['ignore', 'ignore', 'inherit'] });
    return HEADER + readFileSync(out, 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const fresh = generate();
if (process.argv.includes('--check')) {
  let committed = '';
  try {
    committed = readFileSync(target, 'utf8');
  } catch {
    /* missing: differs */
  }
  if (committed !== fresh) {
    console.error('src/api/schema.ts is out of date with docs/openapi.json: run `npm run gen:api` in web/ and commit it');
    process.exit(1);
  }
  console.log('src/api/schema.ts matches docs/openapi.json');
} else {
  writeFileSync(target, fresh);
  console.log(`wrote ${path.relative(web, target)}`);
}
