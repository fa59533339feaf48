#!/usr/bin/env node
import { processDeps } from './cli/deps.js';
import { runCli } from './cli/run.js';

process.exitCode = await runCli(process.argv.slice(2), processDeps());
