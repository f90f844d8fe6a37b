/**
 * `node scripts/release-notes.mjs <tag>`: the checks of a release before it is published, and its
 * notes. The tag must be `v` + package.json's version (`v1.0.0`), and CHANGELOG.md must have a
 * `## [1.0.0] - YYYY-MM-DD` section, whose text is printed (the GitHub release's notes). Any other
 * case exits 1 with a message saying what to fix. Used by .github/workflows/release.yml.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** A released version's section of a Keep a Changelog text, without its heading; undefined if none. */
export function changelogSection(changelog, version) {
  const lines = changelog.split('\n');
  const heading = new RegExp(
    `^## \\[${version.replace(/[.+-]/g, '\\$&')}\\] - \\d{4}-\\d{2}-\\d{2}\\s*$`,
  );
  const start = lines.findIndex((line) => heading.test(line));
  if (start === -1) return undefined;
  const next = lines.findIndex((line, index) => index > start && /^## /.test(line));
  const body = lines.slice(start + 1, next === -1 ? undefined : next);
  // Link references (`[1.0.0]: https://…`) at the end of the file belong to no section.
  const text = body
    .filter((line) => !/^\[[^\]]+\]: \S+/.test(line))
    .join('\n')
    .trim();
  return text || undefined;
}

/** The problems that stop a release of `tag`, and its notes when there are none. */
export function releaseCheck(tag, version, changelog) {
  const problems = [];
  if (!/^v\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(tag)) {
    problems.push(`The tag ${tag} is not a version tag such as v1.2.3.`);
  } else if (tag !== `v${version}`) {
    problems.push(
      `The tag ${tag} is not package.json's version (${version}): tag v${version}, or set the version to ${tag.slice(1)} and commit it first.`,
    );
  }
  const notes = changelogSection(changelog, version);
  if (!notes) {
    problems.push(
      `CHANGELOG.md has no section "## [${version}] - YYYY-MM-DD" with text: move the changes of this release under it.`,
    );
  }
  return { problems, notes };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const tag = process.argv[2] ?? '';
  const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const { problems, notes } = releaseCheck(
    tag,
    version,
    readFileSync(join(ROOT, 'CHANGELOG.md'), 'utf8'),
  );
  if (problems.length) {
    for (const problem of problems) console.error(problem);
    process.exit(1);
  }
  console.log(notes);
}
