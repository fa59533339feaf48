/** `npm run demo`: the whole app on a sample pull request, against an in-process GitHub. No credentials needed. */
import { formatDemo, runDemo } from './demo/run.js';

process.stdout.write(formatDemo(await runDemo()));
