import type { ConfigResult } from '../config/schema.js';
import type { GitHub } from '../github/client.js';
import { analyzeFile, type Analyzer, type FileAnalysis } from './analysis.js';
import { fetchSources, FILE_LIST_LIMIT, selectFiles, type SkippedFile, type SourceFile } from './files.js';
import { publishReview, toInlineComment, type InlineComment } from './publish.js';
import type { ReviewRequest } from './request.js';
import { labelFindings, type Labelled } from './select.js';
import { annotationsFor, batches, checkRunOutput, conclusionFor, type RunReport } from './summary.js';

export interface RunLog {
  info(fields: Record<string, unknown>, message: string): void;
}

export interface PipelineDeps {
  readonly github: GitHub;
  readonly analyzer: Analyzer;
  readonly log: RunLog;
  /** Milliseconds; injected so tests control progress updates and durations. */
  readonly now: () => number;
  /** Minimum time between two progress updates of the check run. */
  readonly progressIntervalMs: number;
}

export type RunOutcome =
  | { readonly kind: 'completed'; readonly newFindings: number; readonly posted: number }
  /** The head moved while we worked: the run for the newer head reports instead. */
  | { readonly kind: 'superseded'; readonly newHeadSha: string };

function progressReporter(deps: PipelineDeps, request: ReviewRequest, checkRunId: number, total: number) {
  let last = deps.now();
  return async (done: number): Promise<void> => {
    if (deps.now() - last < deps.progressIntervalMs) return;
    last = deps.now();
    const title = `Analysing ${done + 1} of ${total} files`;
    await deps.github.updateCheckRun(request, checkRunId, { title, summary: `${title} at ${request.headSha.slice(0, 7)}.` });
  };
}

function analyzeAll(
  sources: readonly SourceFile[],
  request: ReviewRequest,
  config: ConfigResult['config'],
  analyzer: Analyzer,
): { analyses: FileAnalysis[]; failed: SkippedFile[] } {
  const analyses: FileAnalysis[] = [];
  const failed: SkippedFile[] = [];
  for (const source of sources) {
    try {
      analyses.push(analyzeFile(source, request.mode, config, analyzer));
    } catch (error) {
      // The analyzer promises not to throw; if it does anyway, one file must not sink the run.
      failed.push({ path: source.path, reason: `the analyzer failed: ${error instanceof Error ? error.message : String(error)}` });
    }
  }
  return { analyses, failed };
}

function relabelRefused(labelled: readonly Labelled[], refused: readonly InlineComment[]): Labelled[] {
  const refusedFindings = new Set(refused.map((entry) => entry.finding));
  return labelled.map((entry) =>
    refusedFindings.has(entry.finding) ? { finding: entry.finding, placement: { kind: 'summary', reason: 'refused' } } : entry,
  );
}

/** One run on one head commit: files, touched functions, analysis, placement, one review, one check run. */
export async function runReview(request: ReviewRequest, configResult: ConfigResult, deps: PipelineDeps): Promise<RunOutcome> {
  const started = deps.now();
  const { github } = deps;
  const config = configResult.config;
  const files = await github.listPullFiles(request);
  const selection = selectFiles(files, config.paths);
  const checkRunId = await github.createCheckRun(request, request.headSha, {
    title: `Analysing ${selection.candidates.length} C/C++ files`,
    summary: `Analysing 0 of ${selection.candidates.length} files at ${request.headSha.slice(0, 7)}.`,
  });

  try {
    const progress = progressReporter(deps, request, checkRunId, selection.candidates.length);
    const fetched = await fetchSources(github, request, selection.candidates, config.max_file_bytes, progress);
    const { analyses, failed } = analyzeAll(fetched.sources, request, config, deps.analyzer);
    const anyNew = analyses.some((analysis) => analysis.newFindings.length > 0);
    const posted = anyNew ? new Set((await github.listPostedComments(request)).map((comment) => comment.fingerprint)) : new Set<string>();
    const labelled = labelFindings(analyses, posted, config.max_comments);
    const inline = labelled.flatMap((entry) => (entry.placement.kind === 'inline' ? [toInlineComment(entry.finding, entry.placement.anchor)] : []));

    if (inline.length > 0) {
      const head = await github.getPull(request);
      if (head.headSha !== request.headSha) {
        await github.completeCheckRun(request, checkRunId, 'cancelled', {
          title: 'Superseded by a newer push',
          summary: `The pull request moved to ${head.headSha.slice(0, 7)} during the run; the run for that commit reports.`,
        });
        logRun(deps, request, started, { files: files.length, analyses, labelled, posted: 0, superseded: true });
        return { kind: 'superseded', newHeadSha: head.headSha };
      }
    }

    const published = await publishReview(github, request, request.headSha, config.review_event, inline);
    const final = relabelRefused(labelled, published.refused);
    const report: RunReport = {
      headSha: request.headSha,
      mode: request.mode,
      configErrors: configResult.ok ? [] : configResult.errors,
      fileListTruncated: files.length >= FILE_LIST_LIMIT,
      analyses,
      skipped: [...selection.skipped, ...fetched.skipped, ...failed],
      labelled: final,
    };
    await completeWithAnnotations(deps, request, checkRunId, report, conclusionFor(final, config.fail_on));
    logRun(deps, request, started, { files: files.length, analyses, labelled: final, posted: published.posted.length, superseded: false });
    return { kind: 'completed', newFindings: final.filter((entry) => entry.placement.kind !== 'pre-existing').length, posted: published.posted.length };
  } catch (error) {
    await github.completeCheckRun(request, checkRunId, 'neutral', {
      title: 'refcheck could not finish',
      summary: `The run stopped on an error: ${error instanceof Error ? error.message : String(error)}. Comment \`/refcheck\` to try again.`,
    });
    throw error;
  }
}

/** Annotations go 50 to a request; the last request also completes the run. */
async function completeWithAnnotations(
  deps: PipelineDeps,
  request: ReviewRequest,
  checkRunId: number,
  report: RunReport,
  conclusion: ReturnType<typeof conclusionFor>,
): Promise<void> {
  const output = checkRunOutput(report);
  const groups = batches(annotationsFor(report.labelled));
  const last = groups.pop() ?? [];
  for (const annotations of groups) await deps.github.updateCheckRun(request, checkRunId, { ...output, annotations });
  await deps.github.completeCheckRun(request, checkRunId, conclusion, { ...output, annotations: last });
}

function logRun(
  deps: PipelineDeps,
  request: ReviewRequest,
  started: number,
  facts: { files: number; analyses: readonly FileAnalysis[]; labelled: readonly Labelled[]; posted: number; superseded: boolean },
): void {
  const count = (kind: Labelled['placement']['kind']) => facts.labelled.filter((entry) => entry.placement.kind === kind).length;
  deps.log.info(
    {
      delivery: request.deliveryId,
      repository: `${request.owner}/${request.repo}`,
      pull: request.pull,
      head: request.headSha,
      mode: request.mode,
      trigger: request.trigger.kind,
      files: facts.files,
      analysedFiles: facts.analyses.length,
      touchedFunctions: facts.analyses.reduce((sum, analysis) => sum + analysis.analysedFunctions, 0),
      findings: {
        new: facts.labelled.length - count('pre-existing'),
        preExisting: count('pre-existing'),
        inline: facts.posted,
        alreadyPosted: count('already-posted'),
        summary: count('summary'),
      },
      superseded: facts.superseded,
      requests: deps.github.requestCount(),
      ms: deps.now() - started,
    },
    'refcheck run',
  );
}
