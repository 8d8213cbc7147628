#!/usr/bin/env node
// The `idgate` executable: everything lives in run-cli.ts so tests can call it in-process.
import { main } from './run-cli.js';

process.exitCode = await main(process.argv.slice(2));
