/**
 * `npm start`: Probot's server with the app and an Octokit that retries after rate limits.
 * Without APP_ID it serves Probot's manifest setup page, as `probot run` does.
 */
import { run } from 'probot';
import app from './app.js';
import { RetryingOctokit } from './github/octokit.js';

await run(app, { Octokit: RetryingOctokit });
