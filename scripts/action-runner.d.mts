/** Types of action-runner.mjs for the TypeScript tests; the JSDoc there is the documentation. */
export declare const ROOT: string;
export declare const ACTION_ENTRY: string;
export declare const ACTION_YML: string;
export interface RunOptions {
  inputs: Record<string, string>;
  endpoint: string;
  runId?: string;
  region?: string;
  env?: Record<string, string | undefined>;
  signal?: AbortSignal;
  killSignal?: NodeJS.Signals;
  timeoutMs?: number;
  /** The action's state of an earlier run, as STATE_* variables (the action's post step). */
  state?: Record<string, string>;
}
export interface ActionRun {
  code: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  runId: string;
  /** The action's state saved to GITHUB_STATE, the last value of each name. */
  state: Record<string, string>;
}
export declare function actionDefaults(): Record<string, string>;
export declare function inputVariable(name: string): string;
export declare function buildActionEnv(
  options: RunOptions & {
    runId: string;
    outputFile: string;
    summaryFile: string;
    awsConfigFile: string;
    stateFile?: string;
  },
): Record<string, string>;
export declare function parseOutputs(text: string): Record<string, string>;
export declare function runAction(options: RunOptions): Promise<ActionRun>;
