/** Types of release-notes.mjs for the TypeScript tests; the JSDoc there is the documentation. */
export declare function changelogSection(changelog: string, version: string): string | undefined;
export declare function releaseCheck(
  tag: string,
  version: string,
  changelog: string,
): { problems: string[]; notes: string | undefined };
