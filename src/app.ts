import type { Context, Probot } from 'probot';
import { gitHub, CHECK_RUN_NAME, type PullRef } from './github/client.js';
import { HELP_TEXT, mayRunCommands, parseCommand } from './review/commands.js';
import { CONFIG_FILE, loadConfig } from './review/config.js';
import { createRunner, type RunnerOptions } from './review/runner.js';

const configOf = (context: Context) => loadConfig(() => context.config(CONFIG_FILE, {}));

/** Built before anything else so the run's request count includes the config reads. */
const clientOf = (context: Context) => gitHub(context.octokit);

/** Probot wiring only: each handler guards, reads the config and hands the pull request to the pipeline. */
export function createApp(options: RunnerOptions = {}) {
  const run = createRunner(options);
  return (app: Probot): void => {
    app.on(['pull_request.opened', 'pull_request.synchronize', 'pull_request.reopened', 'pull_request.ready_for_review'], async (context) => {
      const pull = context.payload.pull_request;
      if (pull.state === 'closed') return context.log.info('refcheck: skipping a closed pull request');
      const github = clientOf(context);
      const config = await configOf(context);
      if (pull.draft && !config.config.drafts) return context.log.info('refcheck: skipping a draft (drafts: false)');
      const request = { ...context.repo(), pull: pull.number, headSha: pull.head.sha, deliveryId: context.id };
      await run(github, context.log, { ...request, mode: 'diff', trigger: { kind: 'pull_request', action: context.payload.action } }, config);
    });

    app.on('check_run.rerequested', async (context) => {
      const check = context.payload.check_run;
      const pull = Number(check.external_id) || check.pull_requests[0]?.number;
      if (check.name !== CHECK_RUN_NAME || pull === undefined) return;
      const github = clientOf(context);
      const request = { ...context.repo(), pull, headSha: check.head_sha, deliveryId: context.id };
      await run(github, context.log, { ...request, mode: 'diff', trigger: { kind: 'check_run' } }, await configOf(context));
    });

    app.on('issue_comment.created', async (context) => {
      const { comment, issue } = context.payload;
      const command = issue.pull_request === undefined ? undefined : parseCommand(comment.body);
      // Bots never run commands: that also keeps us from answering ourselves.
      if (command === undefined || comment.user === null || comment.user.type === 'Bot') return;
      const github = clientOf(context);
      const config = await configOf(context);
      const commenter = { login: comment.user.login, association: comment.author_association };
      if (!mayRunCommands(commenter, issue.user.login, config.config.commands.allowed)) {
        return context.log.info({ user: commenter.login }, 'refcheck: command from a user commands.allowed does not cover');
      }
      const ref: PullRef = { ...context.repo(), pull: issue.number };
      await github.react(ref, comment.id, 'eyes');
      if (command.kind === 'help') return github.reply(ref, HELP_TEXT);
      const { headSha } = await github.getPull(ref);
      const trigger = { kind: 'command', commentId: comment.id } as const;
      const outcome = await run(github, context.log, { ...ref, headSha, mode: command.mode, trigger, deliveryId: context.id }, config);
      if (outcome.kind !== 'completed') return;
      if (outcome.newFindings > 0) await github.react(ref, comment.id, 'rocket');
      else await github.reply(ref, `refcheck found no new reference-count problems at ${headSha.slice(0, 7)}.`);
    });
  };
}

export default createApp();
