/** Types of lint-workflows.mjs for the TypeScript tests; the JSDoc there is the documentation. */
export declare const ACTIONLINT_VERSION: string;
export declare function yamlBlocks(text: string): { line: number; text: string }[];
export declare function classify(text: string): {
  kind: 'workflow' | 'steps' | 'other';
  problems: string[];
};
export declare function localised(
  text: string,
  tag: string,
): { text: string; problems: { offset: number; message: string }[] };
export declare function documents(): string[];
export declare function majorTag(): string;
