/**
 * `npm run demo`: the bundled action rotating the snapshots of one EBS volume in a local moto
 * server, four runs in a row with `generations: 3`, each copied to a disaster-recovery region that
 * keeps one copy, showing after each run what a workflow would see (outputs, job summary) and what
 * EC2 then holds in both regions; then a round of `target-type: files` (a directory backed up to
 * S3, backed up again after a change, restored). No AWS account is needed.
 *
 * The action talks to moto through the test proxy's AWS-fidelity layer, so that it meets what AWS
 * does and moto does not: new snapshots invisible for a moment, then pending for seconds. Its own
 * waits run at a fiftieth of AWS's pace (`SNAPSHOT_ROTATION_TIME_SCALE`).
 */
import {
  CreateSnapshotCommand,
  CreateVolumeCommand,
  DescribeSnapshotsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { existsSync } from 'node:fs';
import { ACTION_ENTRY, runAction } from './action-runner.mjs';
import { filesRound } from './demo-files.mjs';
import { awsLike } from './aws-fidelity.mjs';
import { startCountingProxy } from './counting-proxy.mjs';
import { startMoto } from './moto.mjs';

const REGION = 'us-east-1';
const RUNS = 4;
const GENERATIONS = '3';
const DR_REGION = 'eu-west-1';

/**
 * The job summary (HTML) as readable plain text: headings and rows on their own lines, list items
 * as bullets, tags dropped, entities decoded.
 *
 * @param {string} html
 */
function summaryToText(html) {
  return html
    .replace(/<\/(h\d|p|tr|summary|li)>/g, '\n')
    .replace(/<(br|\/table|\/ul|\/details)\s*\/?>/g, '\n')
    .replace(/<li>/g, '  - ')
    .replace(/<\/t[hd]>\s*<t[hd]>/g, ' | ')
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .split('\n')
    .map((line) => line.trimEnd())
    .filter((line) => line.trim() !== '')
    .join('\n');
}

/**
 * @param {string} text
 * @param {string} prefix
 */
function indent(text, prefix = '    ') {
  return text
    .split('\n')
    .map((line) => prefix + line)
    .join('\n');
}

/**
 * Wraps a paragraph at `width` columns.
 *
 * @param {string} text
 * @param {number} width
 */
function wrap(text, width = 96) {
  const lines = [''];
  for (const word of text.split(/\s+/)) {
    const last = lines.length - 1;
    if (lines[last] && lines[last].length + word.length + 1 > width) lines.push(word);
    else lines[last] = lines[last] ? `${lines[last]} ${word}` : word;
  }
  return lines.join('\n');
}

/**
 * What the runner tells a step of job `snapshots` in `.github/workflows/backup.yml`: the action
 * names its default backup set after them and tags its backups with where they came from.
 */
const WORKFLOW_ENV = {
  GITHUB_WORKFLOW_REF: 'example/infra/.github/workflows/backup.yml@refs/heads/main',
  GITHUB_WORKFLOW: 'backup',
  GITHUB_JOB: 'snapshots',
  GITHUB_REPOSITORY: 'example/infra',
  GITHUB_SERVER_URL: 'https://github.com',
};
/** The default backup set of that step: `<workflow file>.<job id>`. */
const DEMO_SET = 'backup.yml.snapshots';

/**
 * The snapshots of the demo's backup set (of one volume, or in the DR region all), oldest first.
 *
 * @param {EC2Client} ec2
 * @param {string} [volumeId]
 */
async function setSnapshots(ec2, volumeId) {
  const { Snapshots = [] } = await ec2.send(
    new DescribeSnapshotsCommand({
      Filters: [
        ...(volumeId ? [{ Name: 'volume-id', Values: [volumeId] }] : []),
        { Name: 'tag:snapshot-rotation:backup-set', Values: [DEMO_SET] },
      ],
    }),
  );
  const tag = (/** @type {import('@aws-sdk/client-ec2').Snapshot} */ s, /** @type {string} */ k) =>
    s.Tags?.find((t) => t.Key === k)?.Value ?? '';
  return Snapshots.map((snapshot) => ({
    id: snapshot.SnapshotId ?? '',
    createdAt: tag(snapshot, 'snapshot-rotation:created-at'),
    run: tag(snapshot, 'snapshot-rotation:run'),
    copyOf: tag(snapshot, 'snapshot-rotation:copy-of'),
    state: snapshot.State ?? '',
  })).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

async function main() {
  if (!existsSync(ACTION_ENTRY)) {
    throw new Error(`${ACTION_ENTRY} is missing: run \`npm run demo\`, which bundles first.`);
  }
  const moto = await startMoto({ log: (message) => console.log(`[moto] ${message}`) });
  const aws = await startCountingProxy(moto.endpoint, {
    // No lost answers here: the retries they cause (and the duplicates deleted) would blur the story.
    fidelity: awsLike({ visibilityDelayMs: 1000, pendingMs: 3000, lostAnswers: undefined }),
  });
  try {
    const ec2 = new EC2Client({
      region: REGION,
      endpoint: moto.endpoint,
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    });
    const drEc2 = new EC2Client({
      region: DR_REGION,
      endpoint: moto.endpoint,
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    });
    const volume = await ec2.send(
      new CreateVolumeCommand({
        AvailabilityZone: `${REGION}a`,
        Size: 1,
        TagSpecifications: [
          { ResourceType: 'volume', Tags: [{ Key: 'Name', Value: 'demo-data' }] },
        ],
      }),
    );
    const volumeId = volume.VolumeId ?? '';
    const snapshot = await ec2.send(
      new CreateSnapshotCommand({ VolumeId: volumeId, Description: 'made by hand' }),
    );
    const handMade = snapshot.SnapshotId ?? '';
    console.log(`\nCreated volume ${volumeId} (Name=demo-data) in moto, ${REGION},`);
    console.log(`and a snapshot of it by hand, ${handMade}, which the action must leave alone.`);
    console.log(
      `Each run: target-type: ebs-volume, resource-id: ${volumeId}, generations: ${GENERATIONS},\n` +
        `          copy-to-regions: ${DR_REGION}, copy-generations: 1`,
    );
    console.log(
      `The action reaches moto through a proxy that behaves as AWS does where moto does not: a new\n` +
        `snapshot or copy is invisible for 1 s, then pending for 3 s (on AWS: minutes).\n`,
    );

    let failures = 0;
    for (let n = 1; n <= RUNS; n++) {
      const run = await runAction({
        inputs: {
          'target-type': 'ebs-volume',
          'resource-id': volumeId,
          generations: GENERATIONS,
          'copy-to-regions': DR_REGION,
          'copy-generations': '1',
        },
        endpoint: aws.endpoint,
        region: REGION,
        runId: String(9000 + n),
        env: { SNAPSHOT_ROTATION_TIME_SCALE: '0.02', ...WORKFLOW_ENV },
      });
      if (run.code !== 0) failures++;
      console.log(`${'='.repeat(72)}\nRun ${n} of ${RUNS} (GITHUB_RUN_ID ${run.runId})`);
      console.log(`  exit code:   ${run.code}`);
      console.log(`  status:      ${run.outputs.status ?? '(not set)'}`);
      console.log(`  backup-id:   ${run.outputs['backup-id'] || '(none)'}`);
      console.log(`  copies:      ${run.outputs.copies ?? '(not set)'}`);
      console.log(`  deleted-ids: ${run.outputs['deleted-ids'] ?? '(not set)'}`);
      const snapshots = await setSnapshots(ec2, volumeId);
      console.log(`  snapshots of the set in moto now (${snapshots.length}, oldest first):`);
      for (const s of snapshots) {
        console.log(`    ${s.id}  created-at ${s.createdAt}  run ${s.run}  ${s.state}`);
      }
      const copies = await setSnapshots(drEc2);
      console.log(`  copies in ${DR_REGION} now (${copies.length}):`);
      for (const s of copies) console.log(`    ${s.id}  copy of ${s.copyOf}  ${s.state}`);
      if (copies.length !== 1 || copies[0]?.copyOf !== run.outputs['backup-id']) failures++;
      console.log('  job summary:');
      console.log(indent(summaryToText(run.summary) || '(empty)'));
      if (run.code !== 0) {
        console.log('  action log:');
        console.log(indent(`${run.stdout}${run.stderr}`.trim()));
      }
    }

    console.log(`${'='.repeat(72)}\n`);
    const handMadeLeft = (await ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [handMade] })))
      .Snapshots?.length;
    console.log(`Hand-made snapshot ${handMade}: ${handMadeLeft ? 'still there' : 'GONE'}.\n`);
    if (!handMadeLeft) failures++;
    console.log(
      wrap(
        `What happened: each run is what a scheduled workflow does once a day. The action ` +
          `snapshotted ${volumeId}, tagging the snapshot at creation as its own (backup set ` +
          `${DEMO_SET}, named after the workflow file and job; source volume, creation time, ` +
          `repository, workflow and run), then applied the retention rule "generations: ` +
          `${GENERATIONS}" to the snapshots of that backup set only. The first ${GENERATIONS} runs ` +
          `only added snapshots; from then on each run deleted the oldest, so the ${GENERATIONS} ` +
          `newest remain. Each run also copied its new snapshot to ${DR_REGION} and, with ` +
          `"copy-generations: 1", deleted the previous copy there, so the disaster-recovery ` +
          `region holds one copy, of the newest snapshot. The snapshot made by hand is not the action's and was never touched, ` +
          `nor would be the snapshots of another backup set. Try a re-run with the same ` +
          `GITHUB_RUN_ID (it reuses its snapshot), 'dry-run: true' (changes nothing and reports ` +
          `what it would do) or 'min-interval: 20h' (skips a run that comes too soon).`,
      ),
    );
    failures += await filesRound({
      endpoint: moto.endpoint.replace('//localhost', '//127.0.0.1'),
      awsEndpoint: aws.endpoint,
      region: REGION,
      show: (run) => {
        console.log(`  exit code: ${run.code}, status: ${run.outputs.status ?? '(not set)'}`);
        console.log(`  backup-id: ${run.outputs['backup-id'] || '(none)'}`);
        if (run.outputs['restore-state'])
          console.log(`  restore-state: ${run.outputs['restore-state']}`);
        console.log('  job summary:');
        console.log(indent(summaryToText(run.summary) || '(empty)'));
        if (run.code !== 0) console.log(indent(`${run.stdout}${run.stderr}`.trim()));
      },
    });
    if (failures > 0) {
      console.error(`\nThe demo did not go as expected (${failures} failures; see above).`);
      process.exitCode = 1;
    }
  } finally {
    await aws.stop();
    await moto.stop();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
