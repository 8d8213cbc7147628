import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';

// ajv ships CommonJS with `exports.default`; require() gives the same object under Node and vitest.
const require = createRequire(import.meta.url);
const { default: Ajv } = require('ajv') as typeof import('ajv');
const { default: addFormats } = require('ajv-formats') as typeof import('ajv-formats');

/** A validator of docs/schema/run-report.schema.json (strict, every error); `.errors` says what failed. */
export function runReportValidator() {
  const ajv = new Ajv({ allErrors: true, strict: true });
  addFormats(ajv);
  return ajv.compile(JSON.parse(readFileSync('docs/schema/run-report.schema.json', 'utf8')) as object);
}
