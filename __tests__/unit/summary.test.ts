// The job summary (src/summary.ts) rendered as GitHub renders it: GitHub-flavoured Markdown with
// inline HTML (marked, GFM), read back with a DOM parser to check what an operator sees.
import { marked } from 'marked';
import { parse, type HTMLElement } from 'node-html-parser';
import { describe, expect, it } from 'vitest';
import type {
  BackupRef,
  DeletedEntry,
  KeptEntry,
  RunReport,
  TargetReport,
} from '../../src/report.js';
import { renderSummary } from '../../src/summary.js';

const HOME = 'ap-northeast-1';
const EU = 'eu-west-1';
const US = 'us-west-2';
const END = '2026-11-29T23:03:05.000Z';

const ref = (id: string, region: string, createdAt: string, sizeGiB?: number): BackupRef => ({
  id,
  region,
  createdAt,
  state: 'completed',
  ...(sizeGiB !== undefined ? { sizeGiB } : {}),
});
const kept = (backup: BackupRef, rules: string[]): KeptEntry => ({
  ...backup,
  rules,
  reasons: rules.map((rule) => `${rule}: why`),
});
const gone = (backup: BackupRef, result: DeletedEntry['result']): DeletedEntry => ({
  ...backup,
  result,
  reasons: ['9d old: outside the last 7 daily periods'],
});

/** Three volumes: one created and copied to two Regions, one reused, one whose wait timed out. */
function richReport(overrides: Partial<RunReport> = {}): RunReport {
  const web: TargetReport = {
    sourceId: 'vol-0aaaaaaaaaaaaaaaa',
    name: 'web-data',
    region: HOME,
    outcome: 'created',
    ok: true,
    backup: ref('snap-new', HOME, '2026-11-29T23:00:30.123Z', 100),
    kept: [
      kept(ref('snap-new', HOME, '2026-11-29T23:00:30.123Z', 100), ['this-run', 'newest', 'daily']),
      kept(ref('snap-k1', HOME, '2026-11-28T23:00:00.000Z', 100), ['daily']),
    ],
    deleted: [gone(ref('snap-d1', HOME, '2026-11-20T23:00:00.000Z', 100), 'deleted')],
    destinations: [
      {
        region: EU,
        copies: [{ of: 'snap-new', result: 'copied', copy: ref('snap-eu1', EU, END) }],
        kept: [kept(ref('snap-eu1', EU, END), ['this-run', 'newest'])],
        deleted: [],
      },
      {
        region: US,
        copies: [{ of: 'snap-new', result: 'queued', message: 'the Region copies 20 at once' }],
        kept: [],
        deleted: [],
      },
    ],
    warnings: [],
  };
  const db: TargetReport = {
    sourceId: 'vol-0bbbbbbbbbbbbbbbb',
    name: 'db-data',
    region: HOME,
    outcome: 'reused',
    message: 'workflow run 7 already made snap-db2 (a re-run reuses it)',
    ok: true,
    backup: ref('snap-db2', HOME, '2026-11-29T22:00:00.000Z', 500),
    kept: [
      kept(ref('snap-db2', HOME, '2026-11-29T22:00:00.000Z', 500), ['newest', 'daily']),
      kept(ref('snap-db1', HOME, '2026-11-27T22:00:00.000Z', 500), ['daily']),
      kept(ref('snap-db0', HOME, '2026-11-01T22:00:00.000Z', 500), ['monthly']),
    ],
    deleted: [gone(ref('snap-dbx', HOME, '2026-10-01T22:00:00.000Z', 500), 'deleted')],
    destinations: [
      {
        region: EU,
        copies: [{ of: 'snap-db2', result: 'exists', copy: ref('snap-eu2', EU, END) }],
        kept: [kept(ref('snap-eu2', EU, END), ['newest'])],
        deleted: [],
      },
      {
        region: US,
        copies: [{ of: 'snap-db2', result: 'copied', copy: ref('snap-us2', US, END) }],
        kept: [kept(ref('snap-us2', US, END), ['this-run'])],
        deleted: [],
      },
    ],
    warnings: [],
  };
  const logs: TargetReport = {
    sourceId: 'vol-0cccccccccccccccc',
    name: 'logs',
    region: HOME,
    outcome: 'failed',
    message:
      'snap-logs did not complete within 2h (wait-timeout); it is left in place and later runs will count it once it completes.',
    ok: false,
    kept: [kept(ref('snap-l1', HOME, '2026-11-28T20:00:00.000Z'), ['newest'])],
    deleted: [],
    destinations: [],
    warnings: [],
  };
  return {
    status: 'partial',
    dryRun: false,
    targetType: 'ebs-volume',
    region: HOME,
    backupSet: 'nightly',
    rules: 'daily 7, monthly 12 (Asia/Tokyo)',
    copyRegions: [EU, US],
    copyRules: 'generations 1',
    startedAt: '2026-11-29T23:00:00.000Z',
    finishedAt: END,
    timeZone: 'Asia/Tokyo',
    run: {
      url: 'https://github.com/acme/infra/actions/runs/42',
      repository: 'acme/infra',
      workflow: '.github/workflows/backup.yml',
      job: 'backup',
    },
    otherSets: [{ set: 'old-nightly', backups: 4, sources: 2, oldest: '2026-06-01T00:00:00.000Z' }],
    resolved: [web.sourceId, db.sourceId, logs.sourceId],
    targets: [web, db, logs],
    errors: [],
    warnings: [],
    ...overrides,
  };
}

/** The summary as GitHub would show it: Markdown with inline HTML rendered by a GFM renderer. */
function rendered(report: RunReport): { html: string; doc: HTMLElement } {
  const html = marked.parse(renderSummary(report), { gfm: true, async: false });
  return { html, doc: parse(html) };
}

const texts = (elements: HTMLElement[]): string[] =>
  elements.map((element) => element.text.replace(/\s+/g, ' ').trim());

/** The table that follows a heading or paragraph whose text starts with `title`. */
function tableAfter(doc: HTMLElement, title: string): HTMLElement {
  const heads = doc.querySelectorAll('h3, p');
  const head = heads.find((element) => element.text.startsWith(title));
  let next = head?.nextElementSibling;
  while (next && next.tagName !== 'TABLE') next = next.nextElementSibling;
  if (!next) throw new Error(`no table after ${title}`);
  return next;
}

const bodyRows = (table: HTMLElement): HTMLElement[][] =>
  table.querySelectorAll('tbody tr').map((row) => row.querySelectorAll('td'));

describe('the job summary, rendered as GitHub renders it', () => {
  const { html, doc } = rendered(richReport());

  it('opens with the counts, the run’s length and a link to the run', () => {
    const header = doc.querySelectorAll('p')[0];
    expect(header?.text).toBe(
      '1 created · 1 reused · 0 skipped · 1 failed · 2 copied · 2 deleted · 1 queued · in 3 min 05 s · workflow run of acme/infra',
    );
    expect(header?.querySelector('a')?.getAttribute('href')).toBe(
      'https://github.com/acme/infra/actions/runs/42',
    );
    expect(doc.querySelectorAll('p')[1]?.text).toBe(
      'ebs-volume in ap-northeast-1, backup set nightly; retention: daily 7, monthly 12 (Asia/Tokyo); copies in eu-west-1, us-west-2, retention there: generations 1.',
    );
  });

  it('puts the failure, with what to do, before the table of resources', () => {
    const failures = doc.querySelector('h3');
    expect(failures?.text).toBe('❌ 1 failure');
    const item = failures?.nextElementSibling?.querySelector('li');
    expect(item?.text).toContain('logs vol-0cccccccccccccccc: snap-logs did not complete');
    expect(item?.text).toContain("What to do: Raise 'wait-timeout', or set 'wait: false'");
    const firstTable = doc.querySelector('table');
    expect(html.indexOf(item?.outerHTML ?? '')).toBeLessThan(
      html.indexOf(firstTable?.outerHTML ?? '?'),
    );
  });

  it('names each resource by its Name tag beside its id, with its backup linked, sized and counted', () => {
    const rows = bodyRows(doc.querySelector('table') as HTMLElement).map(texts);
    expect(rows).toEqual([
      ['web-data vol-0aaaaaaaaaaaaaaaa', 'created', 'snap-new · 100 GiB', '3', '1', ''],
      [
        'db-data vol-0bbbbbbbbbbbbbbbb',
        'reused (re-run)',
        'snap-db2 · 500 GiB',
        '5',
        '1',
        'workflow run 7 already made snap-db2 (a re-run reuses it)',
      ],
      ['logs vol-0cccccccccccccccc', '❌ failed', '', '1', '0', 'see the failures above'],
    ]);
  });

  it('links every backup to its console page in its own Region', () => {
    const hrefs = new Map(
      doc.querySelectorAll('a').map((a) => [a.text.trim(), a.getAttribute('href')] as const),
    );
    expect(hrefs.get('snap-new')).toBe(
      'https://ap-northeast-1.console.aws.amazon.com/ec2/home?region=ap-northeast-1#SnapshotDetails:snapshotId=snap-new',
    );
    expect(hrefs.get('snap-eu1')).toBe(
      'https://eu-west-1.console.aws.amazon.com/ec2/home?region=eu-west-1#SnapshotDetails:snapshotId=snap-eu1',
    );
    expect(hrefs.get('snap-us2')).toMatch(
      /^https:\/\/us-west-2\.console\.aws\.amazon\.com\/.*region=us-west-2#/,
    );
  });

  it('shows times in the run’s time zone to the minute, with their age at the end of the run', () => {
    expect(doc.text).toContain('2026-11-30 08:00 UTC+9, 2 min ago');
    expect(doc.text).toContain('2026-11-29 08:00 UTC+9, 24 h ago');
    expect(doc.text).toContain('2026-10-02 07:00 UTC+9, 59 d ago');
    expect(doc.text).not.toMatch(/\d{2}:\d{2}:\d{2}|\.\d{3}Z|T\d{2}:/);
  });

  it('gives one copies row per resource with one cell per destination Region', () => {
    const table = tableAfter(doc, 'Copies');
    expect(texts(table.querySelectorAll('thead th'))).toEqual(['Resource', EU, US]);
    expect(bodyRows(table).map(texts)).toEqual([
      [
        'web-data vol-0aaaaaaaaaaaaaaaa',
        '✅ copied snap-eu1',
        '⏳ queued for a later run: the Region copies 20 at once',
      ],
      ['db-data vol-0bbbbbbbbbbbbbbbb', '✅ already there snap-eu2', '✅ copied snap-us2'],
    ]);
  });

  it('shows the restore points of each resource per Region: how many, newest and oldest', () => {
    const table = tableAfter(doc, 'Restore points');
    expect(texts(table.querySelectorAll('thead th'))).toEqual(['Resource', HOME, EU, US]);
    const [web, db] = bodyRows(table).map(texts);
    expect(web).toEqual([
      'web-data vol-0aaaaaaaaaaaaaaaa',
      '2 restore points newest 2026-11-30 08:00 UTC+9, 2 min ago oldest 2026-11-29 08:00 UTC+9, 24 h ago',
      '1 restore point newest 2026-11-30 08:03 UTC+9, just now',
      'no restore point yet',
    ]);
    expect(db?.[1]).toContain(
      '3 restore points newest 2026-11-30 07:00 UTC+9, 1 h ago oldest 2026-11-02 07:00 UTC+9, 28 d ago',
    );
  });

  it('groups the kept backups by resource, each with the rules that keep it as short words', () => {
    const details = doc.querySelectorAll('details').find((d) => d.text.startsWith('Kept'));
    expect(details?.querySelector('summary')?.text).toBe('Kept: 9 backups of 3 resources');
    expect(texts(details?.querySelectorAll('p') ?? [])).toEqual([
      'web-data vol-0aaaaaaaaaaaaaaaa: 3 backups kept',
      'db-data vol-0bbbbbbbbbbbbbbbb: 5 backups kept',
      'logs vol-0cccccccccccccccc: 1 backup kept',
    ]);
    const web = tableAfter(details as HTMLElement, 'web-data');
    const keptBy = bodyRows(web).map((cells) => texts(cells[4]?.querySelectorAll('code') ?? []));
    expect(keptBy).toEqual([['this-run', 'newest', 'daily'], ['daily'], ['this-run', 'newest']]);
    expect(web.querySelector('code[title]')?.getAttribute('title')).toBe('this-run: why');
    expect(bodyRows(web)[0]?.[3]?.text).toBe('completed');
  });

  it('notes the other backup sets that hold backups of these resources', () => {
    const note = doc.querySelectorAll('p').find((p) => p.text.startsWith('ℹ️'));
    expect(note?.text).toContain('never prunes them');
    expect(note?.nextElementSibling?.text.trim()).toBe(
      'backup set old-nightly: 4 backups of 2 resources, the oldest from 2026-06-01 09:00 UTC+9',
    );
    expect(rendered(richReport({ otherSets: [] })).doc.text).not.toContain('Other backup sets');
  });

  it('writes singular and plural right', () => {
    expect(doc.text).not.toMatch(/\b1 (backups|resources|failures|restore points)\b/);
  });
});

describe('the summary of a dry run refused by max-deletions', () => {
  const report = (): RunReport => {
    const base = richReport({ dryRun: true, status: 'failed', otherSets: [] });
    const held = (entry: DeletedEntry): DeletedEntry => ({ ...entry, result: 'not-attempted' });
    const targets = base.targets.map((target, index) => ({
      ...target,
      ok: true,
      outcome: 'would-create' as const,
      deleted: [
        ...target.deleted.map(held),
        ...Array.from({ length: index + 2 }, (_, n) =>
          held(
            gone(ref(`snap-old-${index}-${n}`, HOME, '2026-09-01T00:00:00.000Z'), 'would-delete'),
          ),
        ),
      ],
      destinations: target.destinations.map((place) => ({
        ...place,
        copies: place.copies.map((copy) => ({ ...copy, result: 'would-copy' as const })),
      })),
    }));
    return {
      ...base,
      targets,
      errors: [
        "This run would delete 11 backups, more than max-deletions (10); nothing was deleted. If this is intended, set 'max-deletions: 11' for one run.",
      ],
    };
  };
  const { doc } = rendered(report());

  it('counts in every row and in the header what the list of deletions shows', () => {
    const details = doc.querySelectorAll('details').find((d) => d.text.startsWith('Would delete'));
    expect(details?.querySelector('summary')?.text).toBe(
      'Would delete: 11 backups; 11 held back: see the failures above',
    );
    const listed = texts(details?.querySelectorAll('p') ?? []);
    const perResource = listed.map((line) => Number(/: (\d+) backups?$/.exec(line)?.[1]));
    expect(perResource).toEqual([3, 4, 4]);
    const listRows = details?.querySelectorAll('tbody tr') ?? [];
    expect(listRows).toHaveLength(11);
    expect(listRows.every((row) => row.text.includes('held back: 9d old'))).toBe(true);

    const table = doc.querySelector('table') as HTMLElement;
    expect(texts(table.querySelectorAll('thead th'))[4]).toBe('Would delete');
    const cells = bodyRows(table).map((cells) => cells[4]?.text);
    expect(cells).toEqual(['3 (3 held back)', '4 (4 held back)', '4 (4 held back)']);
    expect(doc.querySelectorAll('p')[1]?.text).toContain('11 would delete · 11 held back');
  });

  it('puts the refusal first, with what to do', () => {
    const item = doc.querySelector('h3')?.nextElementSibling?.querySelector('li');
    expect(item?.text).toContain('more than max-deletions (10)');
    expect(item?.text).toContain(
      "What to do: Check what the rules would delete with 'dry-run: true'",
    );
  });
});

describe('the summary’s words and links by target type and partition', () => {
  const single = (targetType: string, region: string, id: string, files?: boolean): RunReport => {
    const backup = ref(id, region, '2026-11-29T20:00:00.000Z');
    return richReport({
      targetType,
      region,
      copyRegions: [],
      otherSets: [],
      targets: [
        {
          sourceId: 'src-1',
          region,
          outcome: 'created',
          ok: true,
          backup,
          kept: [kept(backup, ['newest'])],
          deleted: [],
          destinations: [],
          warnings: [],
          ...(files
            ? {
                files: {
                  bucket: 'backups',
                  area: 'nightly/app/',
                  scanned: 1,
                  skipped: 0,
                  changed: 1,
                  uploaded: { files: 1, objects: 1, bytes: 10 },
                  reused: 0,
                  changedWhileRead: [],
                  storedBytes: {},
                  contentDeleted: { objects: 0, bytes: 0 },
                  deferred: [],
                },
              }
            : {}),
        },
      ],
    });
  };
  const linkOf = (report: RunReport, id: string) =>
    rendered(report)
      .doc.querySelectorAll('a')
      .find((a) => a.text.trim() === id)
      ?.getAttribute('href');
  const stateOf = (report: RunReport) => {
    const details = rendered(report)
      .doc.querySelectorAll('details')
      .find((d) => d.text.startsWith('Kept'));
    return bodyRows(details?.querySelector('table') as HTMLElement)[0]?.[3]?.text;
  };

  it('links to the console of the backup’s partition', () => {
    expect(linkOf(single('ebs-volume', 'cn-north-1', 'snap-cn'), 'snap-cn')).toBe(
      'https://cn-north-1.console.amazonaws.cn/ec2/home?region=cn-north-1#SnapshotDetails:snapshotId=snap-cn',
    );
    expect(linkOf(single('ec2-image', 'us-gov-west-1', 'ami-gov'), 'ami-gov')).toBe(
      'https://us-gov-west-1.console.amazonaws-us-gov.com/ec2/home?region=us-gov-west-1#ImageDetails:imageId=ami-gov',
    );
    expect(linkOf(single('rds-cluster', 'eu-west-1', 'aurora-snap-1'), 'aurora-snap-1')).toBe(
      'https://eu-west-1.console.aws.amazon.com/rds/home?region=eu-west-1#snapshot:engine=aurora;id=aurora-snap-1',
    );
    expect(
      linkOf(
        single('files', 'us-east-1', 'nightly/app/manifests/2026 x.json', true),
        'nightly/app/manifests/2026 x.json',
      ),
    ).toBe(
      'https://us-east-1.console.aws.amazon.com/s3/object/backups?region=us-east-1&prefix=nightly/app/manifests/2026%20x.json',
    );
  });

  it('shows AWS’s own word for a backup’s state', () => {
    expect(stateOf(single('ec2-image', 'us-east-1', 'ami-1'))).toBe('available');
    expect(stateOf(single('rds-instance', 'us-east-1', 'db-snap-1'))).toBe('available');
    expect(stateOf(single('ebs-volume', 'us-east-1', 'snap-1'))).toBe('completed');
  });

  it('escapes every value', () => {
    const report = richReport({
      backupSet: '<script>x</script>',
      errors: ['a & b'],
      otherSets: [{ set: '<i>s</i>', backups: 1, sources: 1, oldest: '2026-01-01T00:00:00.000Z' }],
    });
    const target = report.targets[0] as TargetReport;
    report.targets[0] = { ...target, name: '<img src=x>', message: '<b>m</b>' };
    const summary = renderSummary(report);
    expect(summary).not.toMatch(/<script>|<img|<i>s/);
    expect(summary).toContain('&lt;script&gt;');
    expect(summary).toContain('a &amp; b');
  });

  it('keeps a value with blank lines inside its cell: no Markdown link or image comes of it', () => {
    const report = richReport({ errors: ['refused\n\n[here](https://evil.example/e)'] });
    const target = report.targets[0] as TargetReport;
    const name =
      'web\r\n\r\n[Fix the backup here](https://evil.example/login) ![t](https://evil.example/p.png)';
    report.targets[0] = { ...target, name, message: 'failed\n\n![i](https://evil.example/i.png)' };

    const { doc } = rendered(report);

    const evil = [...doc.querySelectorAll('a'), ...doc.querySelectorAll('img')].filter((element) =>
      /evil\.example/.test(element.getAttribute('href') ?? element.getAttribute('src') ?? ''),
    );
    expect(evil).toEqual([]);
    expect(doc.text).toContain('[Fix the backup here](https://evil.example/login)');
  });
});
