// The release's checks (scripts/release-notes.mjs, run by .github/workflows/release.yml): the tag
// must be package.json's version and CHANGELOG.md must have that version's section, which becomes
// the release's notes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { changelogSection, releaseCheck } from '../../scripts/release-notes.mjs';
import { ROOT } from '../readme-iam.js';

const CHANGELOG = [
  '# Changelog',
  '',
  '## [Unreleased]',
  '',
  '- Next thing.',
  '',
  '## [1.1.0] - 2027-01-02',
  '',
  '### Added',
  '',
  '- Second.',
  '',
  '## [1.0.0] - 2026-11-30',
  '',
  '- First.',
  '',
  '[1.1.0]: https://example.com/compare/v1.0.0...v1.1.0',
  '',
].join('\n');

describe('release notes', () => {
  it("are a version's section, without its heading, the next section or link references", () => {
    expect(changelogSection(CHANGELOG, '1.1.0')).toBe('### Added\n\n- Second.');
    expect(changelogSection(CHANGELOG, '1.0.0')).toBe('- First.');
    expect(changelogSection(CHANGELOG, '1.0')).toBeUndefined();
    expect(changelogSection(CHANGELOG, '2.0.0')).toBeUndefined();
    expect(
      changelogSection('## [2.0.0] - 2027-02-02\n\n## [1.0.0] - 2026-11-30\n', '2.0.0'),
    ).toBeUndefined();
  });

  it('need the tag to be the version, and the version in the changelog', () => {
    expect(releaseCheck('v1.1.0', '1.1.0', CHANGELOG)).toEqual({
      problems: [],
      notes: '### Added\n\n- Second.',
    });
    expect(releaseCheck('v1.2.0', '1.1.0', CHANGELOG).problems).toEqual([
      "The tag v1.2.0 is not package.json's version (1.1.0): tag v1.1.0, or set the version to 1.2.0 and commit it first.",
    ]);
    expect(releaseCheck('v1.2.0', '1.2.0', CHANGELOG).problems).toEqual([
      'CHANGELOG.md has no section "## [1.2.0] - YYYY-MM-DD" with text: move the changes of this release under it.',
    ]);
    expect(releaseCheck('latest', '1.1.0', CHANGELOG).problems[0]).toBe(
      'The tag latest is not a version tag such as v1.2.3.',
    );
  });

  it("this repository's version can be released: CHANGELOG.md has its section", () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      version: string;
    };
    const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
      version: string;
      packages: Record<string, { version?: string }>;
    };
    expect([lock.version, lock.packages['']?.version]).toEqual([version, version]);
    const { problems, notes } = releaseCheck(
      `v${version}`,
      version,
      readFileSync(join(ROOT, 'CHANGELOG.md'), 'utf8'),
    );
    expect(problems).toEqual([]);
    expect(notes).toContain('### Added');
  });

  it('the release workflow runs on version tags, checks dist/ and the notes, and moves the major tag', () => {
    const text = readFileSync(join(ROOT, '.github/workflows/release.yml'), 'utf8');
    const workflow = parse(text) as {
      on: { push: { tags: string[] } };
      permissions: Record<string, string>;
    };
    expect(workflow.on.push.tags).toEqual(['v*.*.*']);
    expect(workflow.permissions).toEqual({ contents: 'write' });
    for (const step of [
      'npm ci',
      'npm run bundle',
      'git status --porcelain -- dist',
      'node scripts/release-notes.mjs "$TAG"',
      'gh release create "$TAG"',
      'git push -f origin "refs/tags/$major"',
    ])
      expect(text).toContain(step);
  });
});
