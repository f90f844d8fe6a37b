/**
 * An AWS-fidelity layer for the test proxy (DESIGN.md §8, issue 13): moto is kinder than AWS, so
 * the proxy in front of it (scripts/counting-proxy.mjs, `startCountingProxy(target, { fidelity })`)
 * makes moto's answers behave as AWS documents, each behaviour switchable, so that tests can prove
 * the action is right for AWS rather than for moto.
 *
 * The model reads the query-protocol parameters of EC2 and RDS requests (`Action=…&Version=…`
 * form bodies), may refuse a request with AWS's error (the XML of the right protocol), may change
 * the request it forwards, and rewrites moto's XML answers. It also sends requests of its own to
 * moto (reading an image's block device mappings, tagging snapshots, deleting them); those are not
 * counted as calls of the action. moto's XML is regular (no CDATA, no mixed content), so a small
 * element tree (`parseXml`, `serializeXml`) is enough to rewrite it faithfully.
 *
 * What moto 5.2.5 does and AWS does not, as verified against its source and a running server:
 * - every snapshot, image and RDS snapshot is complete (`completed`, `available`, 100 %) and
 *   listed the moment it is made (AWS: `pending` / `creating` for minutes, and EC2's describe calls
 *   are eventually consistent);
 * - CreateImage answers HTTP 500 to `TagSpecification.N.ResourceType=snapshot`; CopyImage ignores
 *   every TagSpecification, `CopyImageTags` and `ClientToken`;
 * - AMI names need not be unique (AWS: `InvalidAMIName.Duplicate`); RDS snapshot identifiers are
 *   unique in moto too (`DBSnapshotAlreadyExists`, `DBClusterSnapshotAlreadyExistsFault`);
 * - DeregisterImage ignores `DeleteAssociatedSnapshots`; DeleteSnapshot of a snapshot of a still
 *   registered image already answers `InvalidSnapshot.InUse`, and is allowed the moment the image
 *   is deregistered;
 * - RDS copies carry no `SourceDBSnapshotIdentifier`, `SourceRegion` or
 *   `SourceDBClusterSnapshotArn`; DB snapshots carry no `PercentProgress`;
 * - RDS DescribeAccountAttributes, EC2 DescribeLockedSnapshots and DescribeFastSnapshotRestores are
 *   not implemented (HTTP 500);
 * - SSM DescribeInstanceInformation is not implemented (no instance is ever managed); SendCommand
 *   accepts any instance id and document name, and every invocation is `Success` with
 *   `ResponseCode` 0 and empty output the moment the command is sent (GetCommandInvocation,
 *   ListCommands; AWS: `Pending` / `InProgress` first, `InvalidInstanceId` for an instance that is
 *   not managed).
 *
 * Only Node built-ins.
 */
import { createHash, randomUUID } from 'node:crypto';

// ---------------------------------------------------------------------------------------------
// Types

/**
 * @typedef {{ status: number, headers?: Record<string, string>, body: string | Buffer, drop?: boolean }} Answer
 *   `drop`: the proxy destroys the connection instead of answering (a lost answer).
 * @typedef {{ service: string, region: string, action: string, params: Record<string, string> }} FidelityCall
 * @typedef {object} ProxyIO what the proxy lends the model for one request
 * @property {(params?: Record<string, string>) => Promise<Answer>} forward sends the request (or
 *   these parameters instead of its own, e.g. without some TagSpecification) to moto and reads the
 *   answer
 * @property {(params: Record<string, string>, region?: string) => Promise<Answer>} send sends a
 *   request of the proxy's own (same service and credentials, the region given or the request's;
 *   `Version` is added) to moto; never counted as a call of the action
 * @property {import('node:http').IncomingHttpHeaders} headers the request's headers
 * @property {string} [method] the request's HTTP method (REST services: S3)
 * @property {string} [url] the request's path and query (REST services: S3)
 * @property {Buffer | string} [body] the request's body (JSON services: SSM), when the proxy lends it
 */

/**
 * The kinds of backup the model tracks.
 *
 * @typedef {'snapshot' | 'image' | 'db-snapshot' | 'cluster-snapshot'} Kind
 */

/**
 * @typedef {object} LostAnswers
 * @property {string[]} actions the create/copy actions whose answer is lost, e.g. `['CreateSnapshot',
 *   'CreateImage', 'CopyImage', 'CreateDBSnapshot']`
 * @property {'http500' | 'drop'} [mode] `http500` (default): the client gets the protocol's internal
 *   error (EC2 `InternalError`, RDS `InternalFailure`, HTTP 500); `drop`: the connection is
 *   destroyed without an answer (ECONNRESET). Either way the SDK retries the same request.
 * @property {number} [times] at most this many answers are lost in all (default: no limit)
 */

/**
 * Every behaviour is off unless set. Times are in milliseconds from the moment moto answered the
 * create or copy call.
 *
 * @typedef {object} FidelityOptions
 * @property {number} [visibilityDelayMs] EC2's eventual consistency ("Eventual consistency in the
 *   Amazon EC2 API", https://docs.aws.amazon.com/ec2/latest/devguide/eventual-consistency.html):
 *   for this long after CreateSnapshot, CopySnapshot, CreateImage, CopyImage (the image and its
 *   snapshots), CreateDBSnapshot, CopyDBSnapshot, CreateDBClusterSnapshot and
 *   CopyDBClusterSnapshot, the new backup is left out of DescribeSnapshots, DescribeImages,
 *   DescribeDBSnapshots and DescribeDBClusterSnapshots answers; a describe that names it
 *   (`SnapshotId.N`, `ImageId.N`, `DBSnapshotIdentifier`, `DBClusterSnapshotIdentifier`) answers
 *   AWS's not-found error (`InvalidSnapshot.NotFound`, `InvalidAMIID.NotFound`,
 *   `DBSnapshotNotFound`, `DBClusterSnapshotNotFoundFault`).
 * @property {number} [pendingMs] real creation times: for this long after the create or copy call the
 *   new backup reports `pending` (EBS snapshot `status`, with `progress` growing from `0%`; image
 *   `imageState`, and its snapshots `pending`) or the RDS `Status` of `pendingState` (`creating`,
 *   `copying`, `pending` for a queued cross-Region DB snapshot copy) with `PercentProgress`,
 *   in describe answers and in the create/copy call's own answer where it carries a state
 *   (CreateSnapshot, CreateDBSnapshot, CopyDBSnapshot, CreateDBClusterSnapshot,
 *   CopyDBClusterSnapshot); describe filters on the state (`status`, `state`) are applied to the
 *   state shown. Afterwards moto's own state shows. Copies still pending hold a copy slot (see
 *   `copySlotsTaken`).
 * @property {boolean} [amiSnapshotTags] AMI tagging at creation as the CreateImage and CopyImage API
 *   references describe `TagSpecification.N`: `ResourceType=snapshot` tags every snapshot of the new
 *   image (removed from the request moto sees, which would answer 500, and applied with CreateTags
 *   once the image exists); CopyImage's `ResourceType=image` tags and, with `CopyImageTags=true`,
 *   the source image's user tags (not `aws:` ones) are applied to the copy, which moto leaves bare.
 * @property {boolean | { inUseMs?: number }} [deregistration] DeregisterImage as the API reference
 *   describes it: with `DeleteAssociatedSnapshots=true` the image's snapshots are deleted in the
 *   same call unless another registered image uses them, and the answer carries
 *   `deleteSnapshotResultSet` (`snapshotId`, `returnCode` `success` | `skipped` |
 *   `missing-permissions` | `internal-error` | `client-error`; a locked snapshot is `client-error`).
 *   Without it, DeleteSnapshot of the image's snapshots answers `InvalidSnapshot.InUse` for
 *   `inUseMs` after the deregistration (a race observed on AWS, undocumented). DeleteSnapshot of a
 *   snapshot of a registered image answers `InvalidSnapshot.InUse` in moto already.
 * @property {boolean} [rdsFields] RDS source fields as the DBSnapshot and DBClusterSnapshot data types
 *   document them: `SourceDBSnapshotIdentifier` (the source ARN) and `SourceRegion` only on a DB
 *   snapshot copied across Regions or accounts; `SourceDBClusterSnapshotArn` on every DB cluster
 *   snapshot copy; removed everywhere else. Only copies made through this proxy are known.
 * @property {Record<string, string>} [dbInstanceStatus] by DB instance identifier: the
 *   `DBInstanceStatus` DescribeDBInstances reports (e.g. `storage-optimization`, `modifying`,
 *   `backing-up`); CreateDBSnapshot of an instance whose status is neither `available` nor
 *   `storage-optimization` is refused with `InvalidDBInstanceState` (CreateDBSnapshot API
 *   reference: "The source DB instance must be in the available or storage-optimization state").
 * @property {Record<string, string>} [dbClusterStatus] by DB cluster identifier: the `Status`
 *   DescribeDBClusters reports (e.g. `modifying`, `backing-up`); CreateDBClusterSnapshot of a
 *   cluster that is not `available` is refused with `InvalidDBClusterStateFault` (Aurora User Guide,
 *   "Your DB cluster must be in the available state to take a DB cluster snapshot").
 * @property {LostAnswers} [lostAnswers] answers lost on the way back: moto carries out the first
 *   attempt of each matching call and the client hears a 500 or nothing, so the SDK sends the same
 *   request again (recognised by its `amz-sdk-invocation-id`, or its body).
 * @property {boolean} [uniqueAmiNames] AMI names are unique per account and Region: CreateImage and
 *   CopyImage with the name of a registered image answer `InvalidAMIName.Duplicate` ("AMI name … is
 *   already in use by AMI ami-…"); CopyImage repeated with the same `ClientToken` answers the image
 *   the first call made instead (EC2 idempotency, "Ensuring idempotency in Amazon EC2 API requests").
 *   RDS identifiers moto keeps unique itself.
 * @property {Record<string, number | Partial<Record<Kind, number>>>} [copySlotsTaken] by destination
 *   Region: copy slots other tools hold there (a number: of every kind). A copy into the Region is
 *   refused while those plus this proxy's copies still pending reach the per-destination limit:
 *   EBS CopySnapshot 20 ("Concurrent snapshot copies per destination Region") and CopyImage 300
 *   (EC2 `ResourceLimitExceeded`), CopyDBSnapshot 20 and CopyDBClusterSnapshot 5 (RDS
 *   `SnapshotQuotaExceeded`).
 * @property {string[]} [archived] EBS snapshot ids in the archive tier: DescribeSnapshots shows
 *   `storageTier` `archive` for them, and CopySnapshot of one is refused ("You can't copy an
 *   archived snapshot", EBS User Guide; AWS documents no error code, see `ERRORS.archived`).
 * @property {string[]} [locked] EBS snapshot ids locked by EBS snapshot lock: DeleteSnapshot is
 *   refused (no error code documented, see `ERRORS.locked`), DeregisterImage with
 *   `DeleteAssociatedSnapshots` reports them `client-error`, and DescribeLockedSnapshots lists them
 *   in `governance` mode.
 * @property {string[]} [fastRestore] EBS snapshot ids with fast snapshot restore enabled:
 *   DescribeFastSnapshotRestores lists them `enabled` in the request's Region's first Availability
 *   Zone. AWS does not refuse their deletion ("When you delete a snapshot that you own, fast snapshot
 *   restore is automatically disabled", EBS User Guide): DeleteSnapshot succeeds and disables it.
 * @property {number} [s3RestoreMs] S3 restores of archived objects take time (S3 user guide,
 *   "Restoring an archived object": minutes to hours by tier; moto restores at once): for this long
 *   after a RestoreObject that S3 accepted (202), HeadObject of the object shows
 *   `x-amz-restore: ongoing-request="true"`, GetObject answers 403 `InvalidObjectState`, and a
 *   repeated RestoreObject answers 409 `RestoreAlreadyInProgress`.
 * @property {string[]} [ssmManagedInstances] EC2 instance ids that are managed nodes of Systems
 *   Manager (SSM Agent running, instance profile allowing it) in every Region: SSM
 *   DescribeInstanceInformation, which moto lacks, answers them as the API reference documents the
 *   `InstanceInformation` data type (`InstanceId`, `PingStatus` `Online`, `PlatformType` `Linux`,
 *   `ResourceType` `EC2Instance`, `AgentVersion`, `LastPingDateTime`…), only those named by an
 *   `InstanceIds` filter (`Filters` or the legacy `InstanceInformationFilterList`) when the request
 *   has one, so an instance that is not managed is simply absent from the list; an id that is not an
 *   instance id answers `InvalidInstanceId`. The filter is read from the request's body (`io.body`);
 *   a proxy that does not lend it gets every managed instance, as for a request without filter.
 * @property {Record<string, number>} [accountQuotas] RDS DescribeAccountAttributes (which moto lacks)
 *   answers these quotas by `AccountQuotaName`, e.g. `{ ManualSnapshots: 100,
 *   ManualClusterSnapshots: 100 }`, `Max` as given and `Used` counted in moto's Region: manual DB
 *   snapshots, manual DB cluster snapshots, DB instances, DB clusters (others 0).
 * @property {() => number} [clock] milliseconds now (default `Date.now`)
 */

// ---------------------------------------------------------------------------------------------
// XML

/**
 * An element of a parsed document. Text children are kept as written (escaped).
 *
 * @typedef {{ name: string, attrs: string, children: XmlNode[] }} XmlElement
 * @typedef {XmlElement | string} XmlNode
 */

const TOKEN = /<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<\/[^>]*>|<[^>]*>|[^<]+/g;

/**
 * Parses XML into a tree whose root is a `#document` element (its children: the declaration as a
 * string, the root element, whitespace).
 *
 * @param {string} text
 * @returns {XmlElement}
 */
export function parseXml(text) {
  /** @type {XmlElement} */
  const document = { name: '#document', attrs: '', children: [] };
  const stack = [document];
  for (const [token] of text.matchAll(TOKEN)) {
    const top = /** @type {XmlElement} */ (stack.at(-1));
    if (token.startsWith('</')) {
      if (stack.length > 1) stack.pop();
    } else if (token.startsWith('<![CDATA[')) {
      top.children.push(escapeXml(token.slice(9, -3)));
    } else if (token.startsWith('<?') || token.startsWith('<!')) {
      top.children.push(token);
    } else if (token.startsWith('<')) {
      const selfClosing = token.endsWith('/>');
      const inner = token.slice(1, selfClosing ? -2 : -1);
      const match = /^([^\s/>]+)([\s\S]*)$/.exec(inner.trim());
      /** @type {XmlElement} */
      const element = { name: match?.[1] ?? '', attrs: match?.[2] ?? '', children: [] };
      top.children.push(element);
      if (!selfClosing) stack.push(element);
    } else {
      top.children.push(token);
    }
  }
  return document;
}

/**
 * @param {XmlNode} node
 * @returns {string}
 */
export function serializeXml(node) {
  if (typeof node === 'string') return node;
  const inner = node.children.map(serializeXml).join('');
  if (node.name === '#document') return inner;
  return node.children.length === 0
    ? `<${node.name}${node.attrs}/>`
    : `<${node.name}${node.attrs}>${inner}</${node.name}>`;
}

/** @param {string} text */
export function escapeXml(text) {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;');
}

/** @param {string} text */
function unescapeXml(text) {
  return text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_, entity) => {
    const named = /** @type {Record<string, string>} */ ({
      amp: '&',
      lt: '<',
      gt: '>',
      quot: '"',
      apos: "'",
    })[entity.toLowerCase()];
    if (named) return named;
    const code = entity[1] === 'x' ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10);
    return String.fromCodePoint(code);
  });
}

/**
 * The child elements (of this name).
 *
 * @param {XmlElement | undefined} element
 * @param {string} [name]
 * @returns {XmlElement[]}
 */
function elements(element, name) {
  return /** @type {XmlElement[]} */ (
    (element?.children ?? []).filter(
      (child) => typeof child !== 'string' && (name === undefined || child.name === name),
    )
  );
}

/**
 * The element reached by following child names.
 *
 * @param {XmlElement | undefined} element
 * @param {...string} names
 * @returns {XmlElement | undefined}
 */
function path(element, ...names) {
  let current = element;
  for (const name of names) current = elements(current, name)[0];
  return current;
}

/**
 * The document's root element.
 *
 * @param {XmlElement} document
 */
function rootOf(document) {
  return elements(document)[0];
}

/**
 * The text of a child element, unescaped; undefined when absent.
 *
 * @param {XmlElement | undefined} element
 * @param {string} name
 * @returns {string | undefined}
 */
function textOf(element, name) {
  const child = elements(element, name)[0];
  if (!child) return undefined;
  return unescapeXml(child.children.filter((node) => typeof node === 'string').join(''));
}

/**
 * Sets the text of a child element, adding it (last) when absent.
 *
 * @param {XmlElement} element
 * @param {string} name
 * @param {string} value
 */
function setText(element, name, value) {
  const child = elements(element, name)[0];
  if (child) child.children = [escapeXml(value)];
  else element.children.push({ name, attrs: '', children: [escapeXml(value)] });
}

/**
 * Removes the child elements of this name.
 *
 * @param {XmlElement} element
 * @param {string} name
 */
function removeChildren(element, name) {
  element.children = element.children.filter(
    (child) => typeof child === 'string' || child.name !== name,
  );
}

/**
 * Every descendant element of this name (not looking inside a match).
 *
 * @param {XmlElement | undefined} element
 * @param {string} name
 * @returns {XmlElement[]}
 */
function descendants(element, name) {
  /** @type {XmlElement[]} */
  const found = [];
  for (const child of elements(element)) {
    if (child.name === name) found.push(child);
    else found.push(...descendants(child, name));
  }
  return found;
}

/**
 * @param {Answer} answer
 * @returns {string}
 */
function bodyText(answer) {
  return typeof answer.body === 'string' ? answer.body : answer.body.toString('utf8');
}

/**
 * The answer with this document as its body.
 *
 * @param {Answer} answer
 * @param {XmlElement} document
 * @returns {Answer}
 */
function withBody(answer, document) {
  return { ...answer, body: serializeXml(document) };
}

/** @param {Answer} answer */
const ok = (answer) => answer.status >= 200 && answer.status < 300;

// ---------------------------------------------------------------------------------------------
// AWS's answers

const EC2_XMLNS = 'http://ec2.amazonaws.com/doc/2016-11-15/';
const RDS_XMLNS = 'http://rds.amazonaws.com/doc/2014-10-31/';

/**
 * An S3 error answer as S3 words it (REST XML).
 *
 * @param {number} status
 * @param {string} code
 * @param {string} message
 * @returns {Answer}
 */
export function s3Error(status, code, message) {
  return {
    status,
    headers: { 'content-type': 'application/xml' },
    body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${escapeXml(message)}</Message></Error>`,
  };
}

/**
 * An EC2 error answer (EC2 API reference, "Error codes": `Response/Errors/Error` with `Code` and
 * `Message`, then `RequestID`).
 *
 * @param {string} code
 * @param {string} message
 * @param {number} [status]
 * @returns {Answer}
 */
export function ec2Error(code, message, status = 400) {
  return {
    status,
    headers: { 'content-type': 'text/xml;charset=UTF-8' },
    body:
      `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${escapeXml(code)}</Code>` +
      `<Message>${escapeXml(message)}</Message></Error></Errors><RequestID>${randomUUID()}</RequestID></Response>`,
  };
}

/**
 * An RDS (query protocol) error answer: `ErrorResponse/Error` with `Type`, `Code` and `Message`,
 * then `RequestId`.
 *
 * @param {string} code
 * @param {string} message
 * @param {number} [status]
 * @returns {Answer}
 */
export function rdsError(code, message, status = 400) {
  const requestId = randomUUID();
  return {
    status,
    headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
    body:
      `<ErrorResponse xmlns="${RDS_XMLNS}"><Error><Type>${status >= 500 ? 'Receiver' : 'Sender'}</Type>` +
      `<Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message></Error>` +
      `<RequestId>${requestId}</RequestId></ErrorResponse>`,
  };
}

/**
 * A successful EC2 answer of the action with these fields.
 *
 * @param {string} action
 * @param {string} inner
 * @returns {Answer}
 */
function ec2Answer(action, inner) {
  return {
    status: 200,
    headers: { 'content-type': 'text/xml;charset=UTF-8' },
    body:
      `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${EC2_XMLNS}">` +
      `<requestId>${randomUUID()}</requestId>${inner}</${action}Response>`,
  };
}

/**
 * A successful RDS answer of the action with this result.
 *
 * @param {string} action
 * @param {string} result
 * @returns {Answer}
 */
function rdsAnswer(action, result) {
  const requestId = randomUUID();
  return {
    status: 200,
    headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
    body:
      `<${action}Response xmlns="${RDS_XMLNS}"><${action}Result>${result}</${action}Result>` +
      `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`,
  };
}

/**
 * A JSON-protocol answer (SSM: `application/x-amz-json-1.1`).
 *
 * @param {unknown} value
 * @param {number} [status]
 * @returns {Answer}
 */
function jsonAnswer(value, status = 200) {
  return {
    status,
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': randomUUID() },
    body: JSON.stringify(value),
  };
}

/**
 * A JSON-protocol error answer (`__type` and `message`, HTTP 400).
 *
 * @param {string} code
 * @param {string} message
 * @returns {Answer}
 */
export function jsonError(code, message) {
  return jsonAnswer({ __type: code, message }, 400);
}

/** The form of an EC2 instance id (`i-` + 8 or 17 hex digits) or of a hybrid managed node (`mi-`). */
const INSTANCE_ID = /^(i-[0-9a-f]{8}([0-9a-f]{9})?|mi-[0-9a-f]{17})$/;

/**
 * The instance ids a DescribeInstanceInformation request filters on (`Filters` with `Key`
 * `InstanceIds`, or the legacy `InstanceInformationFilterList` with `key` / `valueSet`); undefined
 * without such a filter (or when the body is not lent or not JSON).
 *
 * @param {Buffer | string | undefined} body
 * @returns {string[] | undefined}
 */
function instanceIdsFilter(body) {
  if (body === undefined) return undefined;
  /** @type {{ Filters?: { Key?: string, Values?: string[] }[], InstanceInformationFilterList?: { key?: string, valueSet?: string[] }[] }} */
  let request;
  try {
    request = JSON.parse(typeof body === 'string' ? body : body.toString('utf8') || '{}');
  } catch {
    return undefined;
  }
  const filters = [
    ...(request.Filters ?? []).map((f) => ({ key: f.Key, values: f.Values })),
    ...(request.InstanceInformationFilterList ?? []).map((f) => ({
      key: f.key,
      values: f.valueSet,
    })),
  ].filter((f) => f.key === 'InstanceIds');
  return filters.length > 0 ? filters.flatMap((f) => f.values ?? []) : undefined;
}

/**
 * The errors the model answers, by situation: code, HTTP status and message as AWS gives them.
 * Where AWS documents no code the choice is marked; tests should then rely on the refusal, not on
 * the code.
 */
export const ERRORS = {
  /** EC2 error codes table; message as AWS writes it. */
  snapshotNotFound: (/** @type {string} */ id) =>
    ec2Error('InvalidSnapshot.NotFound', `The snapshot '${id}' does not exist.`),
  /** EC2 error codes table; moto and AWS write the message alike. */
  imageNotFound: (/** @type {string[]} */ ids) =>
    ec2Error(
      'InvalidAMIID.NotFound',
      ids.length > 1
        ? `The image ids '[${ids.join(', ')}]' do not exist`
        : `The image id '[${ids[0]}]' does not exist`,
    ),
  /** RDS DescribeDBSnapshots errors: DBSnapshotNotFound, HTTP 404. */
  dbSnapshotNotFound: (/** @type {string} */ id) =>
    rdsError('DBSnapshotNotFound', `DBSnapshot ${id} not found.`, 404),
  /** RDS DescribeDBClusterSnapshots errors: DBClusterSnapshotNotFoundFault, HTTP 404. */
  clusterSnapshotNotFound: (/** @type {string} */ id) =>
    rdsError('DBClusterSnapshotNotFoundFault', `DBClusterSnapshot ${id} not found.`, 404),
  /** EC2 error codes table: the snapshot is in use by one or more AMIs. */
  snapshotInUse: (/** @type {string} */ id, /** @type {string} */ imageId) =>
    ec2Error('InvalidSnapshot.InUse', `The snapshot ${id} is currently in use by ${imageId}`),
  /** EC2 error codes table: InvalidAMIName.Duplicate. */
  duplicateAmiName: (/** @type {string} */ name, /** @type {string} */ imageId) =>
    ec2Error('InvalidAMIName.Duplicate', `AMI name ${name} is already in use by AMI ${imageId}`),
  /** EC2 error codes table: ResourceLimitExceeded ("too many snapshot copies in progress"). */
  copyLimit: (/** @type {Kind} */ kind, /** @type {number} */ limit) =>
    kind === 'snapshot' || kind === 'image'
      ? ec2Error(
          'ResourceLimitExceeded',
          `Too many ${kind === 'snapshot' ? 'snapshot' : 'image'} copies in progress. The limit is ${limit} for this destination region.`,
        )
      : rdsError(
          'SnapshotQuotaExceeded',
          `Cannot copy more than ${limit} snapshots across regions`,
        ),
  /** CreateDBSnapshot errors: InvalidDBInstanceState, HTTP 400; the message AWS writes. */
  dbInstanceState: (/** @type {string} */ id) =>
    rdsError(
      'InvalidDBInstanceState',
      `Cannot create a snapshot because the database instance ${id} is not currently in the available state.`,
    ),
  /** CreateDBClusterSnapshot errors: InvalidDBClusterStateFault, HTTP 400. */
  dbClusterState: (/** @type {string} */ id) =>
    rdsError(
      'InvalidDBClusterStateFault',
      `DBCluster ${id} is not in the available state and cannot be snapshotted.`,
    ),
  /**
   * CopySnapshot of an archived snapshot: "You can't copy an archived snapshot" (EBS User Guide);
   * AWS documents no code. `IncorrectState` is the EC2 code for a resource in the wrong state.
   */
  archived: (/** @type {string} */ id) =>
    ec2Error(
      'IncorrectState',
      `The snapshot '${id}' is in the archive tier. Restore it before you copy it.`,
    ),
  /**
   * DeleteSnapshot of a locked snapshot: "A locked snapshot can't be deleted" (LockSnapshot API
   * reference); AWS documents no code. `IncorrectState` as above.
   */
  locked: (/** @type {string} */ id) =>
    ec2Error('IncorrectState', `The snapshot '${id}' is locked and can't be deleted.`),
  /** EC2's internal error (a lost answer). */
  ec2Internal: () => ec2Error('InternalError', 'An internal error has occurred.', 500),
  /** The query services' internal error (RDS; a lost answer). */
  rdsInternal: () => rdsError('InternalFailure', 'An internal error has occurred.', 500),
  /** SSM DescribeInstanceInformation errors: InvalidInstanceId, HTTP 400. */
  invalidInstanceId: (/** @type {string} */ id) =>
    jsonError('InvalidInstanceId', `Instance Id ${id} is not a valid instance id.`),
};

/** Per-destination limits of copies in progress, by kind (see `copySlotsTaken`). */
export const COPY_LIMITS = /** @type {const} */ ({
  snapshot: 20,
  image: 300,
  'db-snapshot': 20,
  'cluster-snapshot': 5,
});

/**
 * The state AWS shows while a backup is made. EBS snapshots and images: `pending`. DB cluster
 * snapshots: `creating`, copies `copying` (DBClusterSnapshot data type: "available, copying,
 * creating"). DB snapshots (no documented list; observed): `creating`, also for a copy in the same
 * Region; a copy across Regions or accounts is first `pending` (queued, without progress) for a third
 * of the time, then `copying`.
 *
 * @param {Kind} kind
 * @param {{ copy: boolean, cross: boolean }} birth
 * @param {number} fraction how far it is made, 0 ≤ fraction < 1
 * @returns {string}
 */
export function pendingState(kind, { copy, cross }, fraction) {
  if (kind === 'snapshot' || kind === 'image') return 'pending';
  if (kind === 'cluster-snapshot') return copy ? 'copying' : 'creating';
  if (!copy || !cross) return 'creating';
  return fraction < 1 / 3 ? 'pending' : 'copying';
}

// ---------------------------------------------------------------------------------------------
// Query parameters

/**
 * The numbered groups of a query list parameter (`Prefix.N` or `Prefix.N.Rest`), by N, each as
 * its members by the rest of their names (`''` for `Prefix.N` itself).
 *
 * @param {Record<string, string>} params
 * @param {string} prefix
 * @returns {Map<number, Record<string, string>>}
 */
export function paramGroups(params, prefix) {
  /** @type {Map<number, Record<string, string>>} */
  const groups = new Map();
  const pattern = new RegExp(`^${prefix.replaceAll('.', '\\.')}\\.(\\d+)(?:\\.(.+))?$`);
  for (const [key, value] of Object.entries(params)) {
    const match = pattern.exec(key);
    if (!match) continue;
    const index = Number(match[1]);
    const group = groups.get(index) ?? {};
    group[match[2] ?? ''] = value;
    groups.set(index, group);
  }
  return new Map([...groups.entries()].sort(([a], [b]) => a - b));
}

/**
 * The parameters with the groups of `prefix` replaced by these, numbered from 1.
 *
 * @param {Record<string, string>} params
 * @param {string} prefix
 * @param {Record<string, string>[]} groups
 * @returns {Record<string, string>}
 */
export function withParamGroups(params, prefix, groups) {
  const pattern = new RegExp(`^${prefix.replaceAll('.', '\\.')}\\.\\d+(?:\\..+)?$`);
  /** @type {Record<string, string>} */
  const result = {};
  for (const [key, value] of Object.entries(params)) if (!pattern.test(key)) result[key] = value;
  groups.forEach((group, index) => {
    for (const [rest, value] of Object.entries(group)) {
      result[rest === '' ? `${prefix}.${index + 1}` : `${prefix}.${index + 1}.${rest}`] = value;
    }
  });
  return result;
}

/**
 * The values of a list parameter (`Prefix.1`, `Prefix.2`, …).
 *
 * @param {Record<string, string>} params
 * @param {string} prefix
 * @returns {string[]}
 */
function listParam(params, prefix) {
  return [...paramGroups(params, prefix).values()].flatMap((group) =>
    group[''] === undefined ? [] : [group['']],
  );
}

/**
 * The tags of a TagSpecification group, as `{ Key, Value }`.
 *
 * @param {Record<string, string>} group
 * @returns {{ Key: string, Value: string }[]}
 */
function specTags(group) {
  return [...paramGroups(group, 'Tag').values()].map((tag) => ({
    Key: tag.Key ?? '',
    Value: tag.Value ?? '',
  }));
}

/**
 * CreateTags parameters for these resources and tags.
 *
 * @param {string[]} resources
 * @param {{ Key: string, Value: string }[]} tags
 * @returns {Record<string, string>}
 */
function createTagsParams(resources, tags) {
  /** @type {Record<string, string>} */
  const params = { Action: 'CreateTags' };
  resources.forEach((id, index) => (params[`ResourceId.${index + 1}`] = id));
  tags.forEach((tag, index) => {
    params[`Tag.${index + 1}.Key`] = tag.Key;
    params[`Tag.${index + 1}.Value`] = tag.Value;
  });
  return params;
}

/**
 * Parses an RDS ARN.
 *
 * @param {string} arn
 * @returns {{ region: string, account: string, type: string, id: string } | undefined}
 */
function parseRdsArn(arn) {
  const match = /^arn:[^:]+:rds:([^:]*):([^:]*):([^:]+):(.+)$/.exec(arn);
  return match
    ? { region: match[1] ?? '', account: match[2] ?? '', type: match[3] ?? '', id: match[4] ?? '' }
    : undefined;
}

// ---------------------------------------------------------------------------------------------
// The model

/**
 * @typedef {{ at: number, kind: Kind, copy: boolean, cross: boolean }} Birth
 *   `cross`: a copy from another Region or account
 * @typedef {{ until: number, imageId: string }} InUse
 */

/** The state the model keeps between requests, and the behaviours it applies. */
export class AwsFidelity {
  /** @param {FidelityOptions} [options] */
  constructor(options = {}) {
    /** @type {FidelityOptions} */
    this.options = { ...options };
    this.clock = options.clock ?? (() => Date.now());
    /** Backups made through the proxy, by `region|kind|id`. @type {Map<string, Birth>} */
    this.born = new Map();
    /** Snapshots taken off DeleteSnapshot for a while after deregistration. @type {Map<string, InUse>} */
    this.inUse = new Map();
    /** Source fields of RDS copies, by `region|kind|id`. @type {Map<string, Record<string, string>>} */
    this.rdsSources = new Map();
    /** CopyImage client tokens, by `region|token`: the image made. @type {Map<string, string>} */
    this.copyTokens = new Map();
    /** Requests already seen by lostAnswers (first attempts). @type {Set<string>} */
    this.attempts = new Set();
    /** The answers lost so far. @type {{ action: string, region: string, id: string | undefined }[]} */
    this.lost = [];
    /** @type {Map<string, Promise<unknown>>} */
    this.locks = new Map();
    /** S3 objects being restored, by path: when the restore ends. @type {Map<string, number>} */
    this.restoring = new Map();
  }

  /**
   * Changes options while the proxy runs (e.g. `archived` once the snapshot ids are known).
   *
   * @param {FidelityOptions} options
   */
  set(options) {
    Object.assign(this.options, options);
  }

  /** Forgets every backup, copy, token and attempt (moto was reset). */
  reset() {
    this.born.clear();
    this.inUse.clear();
    this.rdsSources.clear();
    this.copyTokens.clear();
    this.attempts.clear();
    this.lost.length = 0;
    this.restoring.clear();
  }

  /**
   * Answers one request: refuses it, forwards it (changed or not) and rewrites moto's answer, or
   * loses the answer.
   *
   * @param {FidelityCall} call
   * @param {ProxyIO} io
   * @returns {Promise<Answer>}
   */
  async handle(call, io) {
    if (call.service === 's3' && this.options.s3RestoreMs) return this.s3Restore(io);
    const handler = HANDLERS[`${call.service}:${call.action}`];
    if (!handler) return io.forward();
    const answer = await handler.call(this, call, io);
    return this.loseAnswer(call, io, answer);
  }

  /**
   * S3 restores that take time (`s3RestoreMs`): the object stays unreadable while it is restored.
   *
   * @param {ProxyIO} io
   * @returns {Promise<Answer>}
   */
  async s3Restore(io) {
    const [path = '', query = ''] = (io.url ?? '').split('?');
    const until = this.restoring.get(path);
    const busy = until !== undefined && this.clock() < until;
    if (until !== undefined && !busy) this.restoring.delete(path);
    const restore = io.method === 'POST' && new URLSearchParams(query).has('restore');
    if (restore && busy) {
      return s3Error(409, 'RestoreAlreadyInProgress', 'Object restore is already in progress');
    }
    if (!busy || restore) {
      const answer = await io.forward();
      if (restore && answer.status === 202) {
        this.restoring.set(path, this.clock() + (this.options.s3RestoreMs ?? 0));
      }
      return answer;
    }
    if (io.method === 'GET') {
      return s3Error(
        403,
        'InvalidObjectState',
        "The operation is not valid for the object's storage class",
      );
    }
    const answer = await io.forward();
    if (io.method !== 'HEAD' || answer.status !== 200) return answer;
    return { ...answer, headers: { ...answer.headers, 'x-amz-restore': 'ongoing-request="true"' } };
  }

  // -- time ------------------------------------------------------------------------------------

  /**
   * @param {string} region
   * @param {Kind} kind
   * @param {string} id
   */
  key(region, kind, id) {
    return `${region}|${kind}|${kind === 'db-snapshot' || kind === 'cluster-snapshot' ? id.toLowerCase() : id}`;
  }

  /**
   * Notes a backup made now.
   *
   * @param {string} region
   * @param {Kind} kind
   * @param {string} id
   * @param {{ copy?: boolean, cross?: boolean, at?: number }} [options]
   */
  birth(region, kind, id, { copy = false, cross = false, at = this.clock() } = {}) {
    this.born.set(this.key(region, kind, id), { at, kind, copy, cross });
  }

  /**
   * Whether the backup is still left out of describe answers.
   *
   * @param {string} region
   * @param {Kind} kind
   * @param {string} id
   */
  hidden(region, kind, id) {
    const birth = this.born.get(this.key(region, kind, id));
    const delay = this.options.visibilityDelayMs ?? 0;
    return birth !== undefined && delay > 0 && this.clock() < birth.at + delay;
  }

  /**
   * How far the backup is made (0 ≤ fraction < 1) while it is shown pending; undefined once done.
   *
   * @param {string} region
   * @param {Kind} kind
   * @param {string} id
   * @returns {number | undefined}
   */
  pending(region, kind, id) {
    const birth = this.born.get(this.key(region, kind, id));
    const duration = this.options.pendingMs ?? 0;
    if (!birth || duration <= 0) return undefined;
    const elapsed = this.clock() - birth.at;
    return elapsed < duration ? Math.max(0, elapsed) / duration : undefined;
  }

  /**
   * The state shown while the backup is made, and how far it is; undefined once done.
   *
   * @param {string} region
   * @param {Kind} kind
   * @param {string} id
   * @returns {{ state: string, fraction: number } | undefined}
   */
  shownPending(region, kind, id) {
    const fraction = this.pending(region, kind, id);
    const birth = this.born.get(this.key(region, kind, id));
    if (fraction === undefined || !birth) return undefined;
    return { state: pendingState(kind, birth, fraction), fraction };
  }

  /**
   * Runs `task` alone for this key (e.g. a name check and the create it allows).
   *
   * @template T
   * @param {string} key
   * @param {() => Promise<T>} task
   * @returns {Promise<T>}
   */
  async exclusive(key, task) {
    const before = this.locks.get(key) ?? Promise.resolve();
    const run = before.then(task, task);
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    this.locks.set(key, settled);
    try {
      return await run;
    } finally {
      if (this.locks.get(key) === settled) this.locks.delete(key);
    }
  }

  // -- lost answers ----------------------------------------------------------------------------

  /**
   * @param {FidelityCall} call
   * @param {ProxyIO} io
   * @param {Answer} answer
   * @returns {Answer}
   */
  loseAnswer(call, io, answer) {
    const lost = this.options.lostAnswers;
    if (!lost || !lost.actions.includes(call.action) || !ok(answer)) return answer;
    const invocation = io.headers['amz-sdk-invocation-id'];
    const attempt =
      typeof invocation === 'string' && invocation
        ? `invocation:${invocation}`
        : `body:${createHash('sha256').update(new URLSearchParams(call.params).toString()).digest('hex')}`;
    if (this.attempts.has(attempt)) return answer;
    this.attempts.add(attempt);
    if (this.lost.length >= (lost.times ?? Infinity)) return answer;
    const document = parseXml(bodyText(answer));
    const id =
      descendants(document, 'snapshotId')[0] ??
      descendants(document, 'imageId')[0] ??
      descendants(document, 'DBSnapshotIdentifier')[0] ??
      descendants(document, 'DBClusterSnapshotIdentifier')[0];
    this.lost.push({
      action: call.action,
      region: call.region,
      id: id ? unescapeXml(String(id.children[0] ?? '')) : undefined,
    });
    if (lost.mode === 'drop') return { status: 0, body: '', drop: true };
    return call.service === 'rds' ? ERRORS.rdsInternal() : ERRORS.ec2Internal();
  }

  // -- copy slots ------------------------------------------------------------------------------

  /**
   * The refusal of a copy into `region` when its slots are all taken.
   *
   * @param {string} region
   * @param {Kind} kind
   * @returns {Answer | undefined}
   */
  copySlotRefusal(region, kind) {
    const taken = this.options.copySlotsTaken?.[region];
    if (taken === undefined) return undefined;
    const others = typeof taken === 'number' ? taken : (taken[kind] ?? 0);
    let ours = 0;
    for (const [key, birth] of this.born) {
      if (!birth.copy || birth.kind !== kind || !key.startsWith(`${region}|`)) continue;
      const [, , id] = key.split('|');
      if (this.pending(region, kind, id ?? '') !== undefined) ours += 1;
    }
    const limit = COPY_LIMITS[kind];
    return others + ours >= limit ? ERRORS.copyLimit(kind, limit) : undefined;
  }

  // -- EC2 helpers -----------------------------------------------------------------------------

  /**
   * The snapshots of an image's block device mappings, read from moto; undefined when moto does not
   * know the image.
   *
   * @param {ProxyIO} io
   * @param {string} region
   * @param {string} imageId
   * @returns {Promise<{ snapshots: string[], tags: { Key: string, Value: string }[], name: string } | undefined>}
   */
  async readImage(io, region, imageId) {
    const answer = await io.send({ Action: 'DescribeImages', 'ImageId.1': imageId }, region);
    if (!ok(answer)) return undefined;
    const item = elements(path(rootOf(parseXml(bodyText(answer))), 'imagesSet'), 'item')[0];
    if (!item) return undefined;
    return {
      snapshots: descendants(path(item, 'blockDeviceMapping'), 'snapshotId').map((element) =>
        unescapeXml(String(element.children[0] ?? '')),
      ),
      tags: elements(path(item, 'tagSet'), 'item').map((tag) => ({
        Key: textOf(tag, 'key') ?? '',
        Value: textOf(tag, 'value') ?? '',
      })),
      name: textOf(item, 'name') ?? '',
    };
  }

  /**
   * Every registered image of the account in the region, with its snapshots and name.
   *
   * @param {ProxyIO} io
   * @param {string} region
   * @returns {Promise<{ id: string, name: string, snapshots: string[] }[]>}
   */
  async listImages(io, region) {
    const answer = await io.send({ Action: 'DescribeImages', 'Owner.1': 'self' }, region);
    if (!ok(answer)) return [];
    return elements(path(rootOf(parseXml(bodyText(answer))), 'imagesSet'), 'item').map((item) => ({
      id: textOf(item, 'imageId') ?? '',
      name: textOf(item, 'name') ?? '',
      snapshots: descendants(path(item, 'blockDeviceMapping'), 'snapshotId').map((element) =>
        unescapeXml(String(element.children[0] ?? '')),
      ),
    }));
  }

  /**
   * Splits the TagSpecification groups of a request into those moto gets and the tags the model
   * applies itself, by resource type.
   *
   * @param {Record<string, string>} params
   * @param {string[]} takenTypes resource types the model applies
   * @returns {{ params: Record<string, string>, taken: Record<string, { Key: string, Value: string }[]> }}
   */
  takeTagSpecifications(params, takenTypes) {
    /** @type {Record<string, string>[]} */
    const kept = [];
    /** @type {Record<string, { Key: string, Value: string }[]>} */
    const taken = {};
    for (const group of paramGroups(params, 'TagSpecification').values()) {
      const type = group.ResourceType ?? '';
      if (takenTypes.includes(type)) taken[type] = [...(taken[type] ?? []), ...specTags(group)];
      else kept.push(group);
    }
    return { params: withParamGroups(params, 'TagSpecification', kept), taken };
  }

  /**
   * CreateImage and CopyImage: name uniqueness, client token, tags at creation, birth.
   *
   * @param {FidelityCall} call
   * @param {ProxyIO} io
   * @returns {Promise<Answer>}
   */
  async makeImage(call, io) {
    const copy = call.action === 'CopyImage';
    const { region, params } = call;
    const token = copy && this.options.uniqueAmiNames ? params.ClientToken : undefined;
    const run = async () => {
      if (token) {
        const made = this.copyTokens.get(`${region}|${token}`);
        if (made) return ec2Answer('CopyImage', `<imageId>${made}</imageId>`);
      }
      if (copy) {
        const refusal = this.copySlotRefusal(region, 'image');
        if (refusal) return refusal;
      }
      const name = params.Name;
      if (this.options.uniqueAmiNames && name) {
        const taken = (await this.listImages(io, region)).find((image) => image.name === name);
        if (taken) return ERRORS.duplicateAmiName(name, taken.id);
      }
      const tagging = this.options.amiSnapshotTags
        ? this.takeTagSpecifications(params, copy ? ['snapshot', 'image'] : ['snapshot'])
        : undefined;
      const answer = await io.forward(tagging?.params);
      if (!ok(answer)) return answer;
      const imageId = textOf(rootOf(parseXml(bodyText(answer))), 'imageId');
      if (!imageId) return answer;
      const at = this.clock();
      this.birth(region, 'image', imageId, { copy, at });
      if (token) this.copyTokens.set(`${region}|${token}`, imageId);
      const timed = (this.options.visibilityDelayMs ?? 0) > 0 || (this.options.pendingMs ?? 0) > 0;
      /** @type {{ Key: string, Value: string }[]} */
      const imageTags = [...(tagging?.taken.image ?? [])];
      if (copy && tagging && params.CopyImageTags === 'true' && params.SourceImageId) {
        const source = await this.readImage(
          io,
          params.SourceRegion || region,
          params.SourceImageId,
        );
        for (const tag of source?.tags ?? []) {
          if (!tag.Key.startsWith('aws:') && !imageTags.some((own) => own.Key === tag.Key)) {
            imageTags.unshift(tag);
          }
        }
      }
      const snapshotTags = tagging?.taken.snapshot ?? [];
      if (!timed && imageTags.length === 0 && snapshotTags.length === 0) return answer;
      const image = await this.readImage(io, region, imageId);
      const snapshots = image?.snapshots ?? [];
      for (const snapshot of snapshots) this.birth(region, 'snapshot', snapshot, { copy, at });
      if (imageTags.length > 0) await io.send(createTagsParams([imageId], imageTags), region);
      if (snapshotTags.length > 0 && snapshots.length > 0) {
        await io.send(createTagsParams(snapshots, snapshotTags), region);
      }
      return answer;
    };
    if (!this.options.uniqueAmiNames) return run();
    // One name (and one token) at a time: a second call must see the image the first one made.
    return this.exclusive(`${region}|ami-name|${params.Name ?? ''}`, run);
  }

  /**
   * Rewrites the state of an EBS snapshot element (`status`, `progress`, `storageTier`).
   *
   * @param {string} region
   * @param {XmlElement} item
   */
  showSnapshot(region, item) {
    const id = textOf(item, 'snapshotId') ?? '';
    const fraction = this.pending(region, 'snapshot', id);
    if (fraction !== undefined) {
      setText(item, 'status', pendingState('snapshot', { copy: false, cross: false }, fraction));
      setText(item, 'progress', `${Math.floor(fraction * 100)}%`);
    }
    if (this.options.archived?.includes(id)) setText(item, 'storageTier', 'archive');
  }

  /**
   * Applies the `status` / `state` filters of a describe to the states shown (moto filtered on its
   * own): the filter is taken off the forwarded request and applied to the rewritten answer.
   *
   * @param {Record<string, string>} params
   * @param {string} filterName
   * @returns {{ params: Record<string, string>, values: string[] | undefined }}
   */
  takeStateFilter(params, filterName) {
    if ((this.options.pendingMs ?? 0) <= 0) return { params, values: undefined };
    /** @type {Record<string, string>[]} */
    const kept = [];
    /** @type {string[] | undefined} */
    let values;
    for (const group of paramGroups(params, 'Filter').values()) {
      if (group.Name === filterName) {
        const these = Object.entries(group)
          .filter(([key]) => /^Value\.\d+$/.test(key))
          .map(([, value]) => value);
        values = values ? values.filter((value) => these.includes(value)) : these;
      } else kept.push(group);
    }
    return values
      ? { params: withParamGroups(params, 'Filter', kept), values }
      : { params, values };
  }

  // -- RDS helpers -----------------------------------------------------------------------------

  /**
   * Rewrites an RDS snapshot element: hidden (returns false), pending, source fields.
   *
   * @param {string} region
   * @param {'db-snapshot' | 'cluster-snapshot'} kind
   * @param {XmlElement} element
   * @returns {boolean} whether the element stays
   */
  showRdsSnapshot(region, kind, element) {
    const idField = kind === 'db-snapshot' ? 'DBSnapshotIdentifier' : 'DBClusterSnapshotIdentifier';
    const id = textOf(element, idField) ?? '';
    if (this.hidden(region, kind, id)) return false;
    this.decorateRdsSnapshot(region, kind, id, element);
    return true;
  }

  /**
   * Shows an RDS snapshot's state while it is made, and its source fields as AWS sets them.
   *
   * @param {string} region
   * @param {'db-snapshot' | 'cluster-snapshot'} kind
   * @param {string} id
   * @param {XmlElement} element
   */
  decorateRdsSnapshot(region, kind, id, element) {
    const shown = this.shownPending(region, kind, id);
    if (shown) {
      setText(element, 'Status', shown.state);
      // A queued cross-Region copy shows no progress yet.
      if (shown.state === 'pending') removeChildren(element, 'PercentProgress');
      else setText(element, 'PercentProgress', String(Math.floor(shown.fraction * 100)));
    }
    if (this.options.rdsFields) {
      const fields =
        kind === 'db-snapshot'
          ? ['SourceDBSnapshotIdentifier', 'SourceRegion']
          : ['SourceDBClusterSnapshotArn'];
      for (const field of fields) removeChildren(element, field);
      const source = this.rdsSources.get(this.key(region, kind, id));
      for (const [field, value] of Object.entries(source ?? {})) setText(element, field, value);
    }
  }

  /**
   * CreateDBSnapshot, CopyDBSnapshot, CreateDBClusterSnapshot, CopyDBClusterSnapshot after moto
   * made the snapshot: birth, source fields, the answer's state.
   *
   * @param {FidelityCall} call
   * @param {Answer} answer
   * @param {'db-snapshot' | 'cluster-snapshot'} kind
   * @param {boolean} copy
   * @returns {Answer}
   */
  madeRdsSnapshot(call, answer, kind, copy) {
    if (!ok(answer)) return answer;
    const document = parseXml(bodyText(answer));
    const element = descendants(
      document,
      kind === 'db-snapshot' ? 'DBSnapshot' : 'DBClusterSnapshot',
    )[0];
    if (!element) return answer;
    const id =
      textOf(
        element,
        kind === 'db-snapshot' ? 'DBSnapshotIdentifier' : 'DBClusterSnapshotIdentifier',
      ) ?? '';
    let cross = false;
    if (copy) {
      const arn =
        textOf(element, kind === 'db-snapshot' ? 'DBSnapshotArn' : 'DBClusterSnapshotArn') ?? '';
      const account = parseRdsArn(arn)?.account ?? '';
      const source =
        (kind === 'db-snapshot'
          ? call.params.SourceDBSnapshotIdentifier
          : call.params.SourceDBClusterSnapshotIdentifier) ?? '';
      const parsed = parseRdsArn(source);
      cross = parsed !== undefined && (parsed.region !== call.region || parsed.account !== account);
      if (kind === 'db-snapshot') {
        if (parsed && cross) {
          this.rdsSources.set(this.key(call.region, kind, id), {
            SourceDBSnapshotIdentifier: source,
            SourceRegion: parsed.region,
          });
        }
      } else {
        this.rdsSources.set(this.key(call.region, kind, id), {
          SourceDBClusterSnapshotArn: parsed
            ? source
            : `arn:aws:rds:${call.region}:${account}:cluster-snapshot:${source.toLowerCase()}`,
        });
      }
    }
    this.birth(call.region, kind, id, { copy, cross });
    // The answer shows the state at once, even within the visibility delay.
    this.decorateRdsSnapshot(call.region, kind, id, element);
    return withBody(answer, document);
  }

  /**
   * DescribeDBSnapshots and DescribeDBClusterSnapshots.
   *
   * @param {FidelityCall} call
   * @param {ProxyIO} io
   * @param {'db-snapshot' | 'cluster-snapshot'} kind
   * @returns {Promise<Answer>}
   */
  async describeRdsSnapshots(call, io, kind) {
    const named =
      call.params[kind === 'db-snapshot' ? 'DBSnapshotIdentifier' : 'DBClusterSnapshotIdentifier'];
    if (named && !named.startsWith('arn:') && this.hidden(call.region, kind, named)) {
      return kind === 'db-snapshot'
        ? ERRORS.dbSnapshotNotFound(named)
        : ERRORS.clusterSnapshotNotFound(named);
    }
    const answer = await io.forward();
    if (!ok(answer)) return answer;
    const document = parseXml(bodyText(answer));
    const list = descendants(
      document,
      kind === 'db-snapshot' ? 'DBSnapshots' : 'DBClusterSnapshots',
    )[0];
    if (!list) return answer;
    list.children = list.children.filter(
      (child) => typeof child === 'string' || this.showRdsSnapshot(call.region, kind, child),
    );
    return withBody(answer, document);
  }

  /**
   * Counts what moto holds in a region for DescribeAccountAttributes.
   *
   * @param {ProxyIO} io
   * @param {string} region
   * @param {string} quota
   * @returns {Promise<number>}
   */
  async used(io, region, quota) {
    /** @type {Record<string, [Record<string, string>, string]>} */
    const counted = {
      ManualSnapshots: [{ Action: 'DescribeDBSnapshots', SnapshotType: 'manual' }, 'DBSnapshot'],
      ManualClusterSnapshots: [
        { Action: 'DescribeDBClusterSnapshots', SnapshotType: 'manual' },
        'DBClusterSnapshot',
      ],
      DBInstances: [{ Action: 'DescribeDBInstances' }, 'DBInstance'],
      DBClusters: [{ Action: 'DescribeDBClusters' }, 'DBCluster'],
    };
    const how = counted[quota];
    if (!how) return 0;
    const answer = await io.send(how[0], region);
    if (!ok(answer)) throw new Error(`moto answered ${how[0].Action} with HTTP ${answer.status}`);
    return descendants(parseXml(bodyText(answer)), how[1]).length;
  }
}

/**
 * What the model does per `service:Action`.
 *
 * @type {Record<string, (this: AwsFidelity, call: FidelityCall, io: ProxyIO) => Promise<Answer>>}
 */
const HANDLERS = {
  async 'ec2:CreateSnapshot'(call, io) {
    const answer = await io.forward();
    if (!ok(answer)) return answer;
    const document = parseXml(bodyText(answer));
    const root = rootOf(document);
    const id = textOf(root, 'snapshotId');
    if (!root || !id) return answer;
    this.birth(call.region, 'snapshot', id);
    this.showSnapshot(call.region, root);
    return withBody(answer, document);
  },

  async 'ec2:CopySnapshot'(call, io) {
    const source = call.params.SourceSnapshotId ?? '';
    if (this.options.archived?.includes(source)) return ERRORS.archived(source);
    const refusal = this.copySlotRefusal(call.region, 'snapshot');
    if (refusal) return refusal;
    const answer = await io.forward();
    if (!ok(answer)) return answer;
    const id = textOf(rootOf(parseXml(bodyText(answer))), 'snapshotId');
    if (id) this.birth(call.region, 'snapshot', id, { copy: true });
    return answer;
  },

  'ec2:CreateImage'(call, io) {
    return this.makeImage(call, io);
  },

  'ec2:CopyImage'(call, io) {
    return this.makeImage(call, io);
  },

  async 'ec2:DescribeSnapshots'(call, io) {
    const named = listParam(call.params, 'SnapshotId');
    const hidden = named.find((id) => this.hidden(call.region, 'snapshot', id));
    if (hidden) return ERRORS.snapshotNotFound(hidden);
    const { params, values } = this.takeStateFilter(call.params, 'status');
    const answer = await io.forward(values ? params : undefined);
    if (!ok(answer)) return answer;
    const document = parseXml(bodyText(answer));
    const set = path(rootOf(document), 'snapshotSet');
    if (!set) return answer;
    set.children = set.children.filter((item) => {
      if (typeof item === 'string') return true;
      if (this.hidden(call.region, 'snapshot', textOf(item, 'snapshotId') ?? '')) return false;
      this.showSnapshot(call.region, item);
      return !values || values.includes(textOf(item, 'status') ?? '');
    });
    return withBody(answer, document);
  },

  async 'ec2:DescribeImages'(call, io) {
    const named = listParam(call.params, 'ImageId');
    const hidden = named.filter((id) => this.hidden(call.region, 'image', id));
    if (hidden.length > 0) return ERRORS.imageNotFound(hidden);
    const { params, values } = this.takeStateFilter(call.params, 'state');
    const answer = await io.forward(values ? params : undefined);
    if (!ok(answer)) return answer;
    const document = parseXml(bodyText(answer));
    const set = path(rootOf(document), 'imagesSet');
    if (!set) return answer;
    set.children = set.children.filter((item) => {
      if (typeof item === 'string') return true;
      const id = textOf(item, 'imageId') ?? '';
      if (this.hidden(call.region, 'image', id)) return false;
      if (this.pending(call.region, 'image', id) !== undefined) {
        setText(item, 'imageState', pendingState('image', { copy: false, cross: false }, 0));
      }
      return !values || values.includes(textOf(item, 'imageState') ?? '');
    });
    return withBody(answer, document);
  },

  async 'ec2:DeleteSnapshot'(call, io) {
    const id = call.params.SnapshotId ?? '';
    if (this.options.locked?.includes(id)) return ERRORS.locked(id);
    const inUse = this.inUse.get(`${call.region}|${id}`);
    if (inUse && this.clock() < inUse.until) return ERRORS.snapshotInUse(id, inUse.imageId);
    const answer = await io.forward();
    if (ok(answer) && this.options.fastRestore?.includes(id)) {
      // AWS disables fast snapshot restore of a snapshot deleted by its owner.
      this.options.fastRestore = this.options.fastRestore.filter((other) => other !== id);
    }
    return answer;
  },

  async 'ec2:DeregisterImage'(call, io) {
    const setting = this.options.deregistration;
    if (!setting) return io.forward();
    const inUseMs = typeof setting === 'object' ? (setting.inUseMs ?? 0) : 0;
    const imageId = call.params.ImageId ?? '';
    const deleting = call.params.DeleteAssociatedSnapshots === 'true';
    if (!deleting && inUseMs <= 0) return io.forward();
    const image = await this.readImage(io, call.region, imageId);
    const answer = await io.forward();
    if (!ok(answer) || !image) return answer;
    if (!deleting) {
      const until = this.clock() + inUseMs;
      for (const snapshot of image.snapshots) {
        this.inUse.set(`${call.region}|${snapshot}`, { until, imageId });
      }
      return answer;
    }
    const others = (await this.listImages(io, call.region)).filter((other) => other.id !== imageId);
    /** @type {{ snapshotId: string, returnCode: string }[]} */
    const results = [];
    for (const snapshot of image.snapshots) {
      let returnCode;
      if (others.some((other) => other.snapshots.includes(snapshot))) returnCode = 'skipped';
      else if (this.options.locked?.includes(snapshot)) returnCode = 'client-error';
      else {
        const deleted = await io.send(
          { Action: 'DeleteSnapshot', SnapshotId: snapshot },
          call.region,
        );
        const code = ok(deleted)
          ? undefined
          : textOf(path(rootOf(parseXml(bodyText(deleted))), 'Errors', 'Error'), 'Code');
        returnCode = ok(deleted)
          ? 'success'
          : code === 'InvalidSnapshot.InUse'
            ? 'skipped'
            : code === 'UnauthorizedOperation'
              ? 'missing-permissions'
              : deleted.status >= 500
                ? 'internal-error'
                : 'client-error';
      }
      results.push({ snapshotId: snapshot, returnCode });
    }
    const document = parseXml(bodyText(answer));
    const root = rootOf(document);
    if (!root) return answer;
    removeChildren(root, 'deleteSnapshotResultSet');
    root.children.push({
      name: 'deleteSnapshotResultSet',
      attrs: '',
      children: results.map((result) => ({
        name: 'item',
        attrs: '',
        children: [
          { name: 'snapshotId', attrs: '', children: [escapeXml(result.snapshotId)] },
          { name: 'returnCode', attrs: '', children: [escapeXml(result.returnCode)] },
        ],
      })),
    });
    return withBody(answer, document);
  },

  async 'ec2:DescribeLockedSnapshots'(call, io) {
    const locked = this.options.locked;
    if (!locked) return io.forward();
    const named = listParam(call.params, 'SnapshotId');
    const ids = named.length > 0 ? locked.filter((id) => named.includes(id)) : locked;
    const items = ids
      .map(
        (id) =>
          `<item><snapshotId>${escapeXml(id)}</snapshotId><lockState>governance</lockState>` +
          `<lockDuration>7</lockDuration></item>`,
      )
      .join('');
    return ec2Answer('DescribeLockedSnapshots', `<snapshotSet>${items}</snapshotSet>`);
  },

  async 'ec2:DescribeFastSnapshotRestores'(call, io) {
    const enabled = this.options.fastRestore;
    if (!enabled) return io.forward();
    const items = enabled
      .map(
        (id) =>
          `<item><snapshotId>${escapeXml(id)}</snapshotId><availabilityZone>${call.region}a</availabilityZone>` +
          `<state>enabled</state></item>`,
      )
      .join('');
    return ec2Answer(
      'DescribeFastSnapshotRestores',
      `<fastSnapshotRestoreSet>${items}</fastSnapshotRestoreSet>`,
    );
  },

  async 'rds:CreateDBSnapshot'(call, io) {
    const instance = call.params.DBInstanceIdentifier ?? '';
    const status = Object.entries(this.options.dbInstanceStatus ?? {}).find(
      ([id]) => id.toLowerCase() === instance.toLowerCase(),
    )?.[1];
    if (status && status !== 'available' && status !== 'storage-optimization') {
      return ERRORS.dbInstanceState(instance);
    }
    return this.madeRdsSnapshot(call, await io.forward(), 'db-snapshot', false);
  },

  async 'rds:CopyDBSnapshot'(call, io) {
    const refusal = this.copySlotRefusal(call.region, 'db-snapshot');
    if (refusal) return refusal;
    return this.madeRdsSnapshot(call, await io.forward(), 'db-snapshot', true);
  },

  async 'rds:CreateDBClusterSnapshot'(call, io) {
    const cluster = call.params.DBClusterIdentifier ?? '';
    const status = Object.entries(this.options.dbClusterStatus ?? {}).find(
      ([id]) => id.toLowerCase() === cluster.toLowerCase(),
    )?.[1];
    if (status && status !== 'available') return ERRORS.dbClusterState(cluster);
    return this.madeRdsSnapshot(call, await io.forward(), 'cluster-snapshot', false);
  },

  async 'rds:CopyDBClusterSnapshot'(call, io) {
    const refusal = this.copySlotRefusal(call.region, 'cluster-snapshot');
    if (refusal) return refusal;
    return this.madeRdsSnapshot(call, await io.forward(), 'cluster-snapshot', true);
  },

  'rds:DescribeDBSnapshots'(call, io) {
    return this.describeRdsSnapshots(call, io, 'db-snapshot');
  },

  'rds:DescribeDBClusterSnapshots'(call, io) {
    return this.describeRdsSnapshots(call, io, 'cluster-snapshot');
  },

  async 'rds:DescribeDBInstances'(call, io) {
    const statuses = Object.entries(this.options.dbInstanceStatus ?? {});
    const answer = await io.forward();
    if (statuses.length === 0 || !ok(answer)) return answer;
    const document = parseXml(bodyText(answer));
    for (const instance of descendants(document, 'DBInstance')) {
      const id = (textOf(instance, 'DBInstanceIdentifier') ?? '').toLowerCase();
      const status = statuses.find(([name]) => name.toLowerCase() === id)?.[1];
      if (status) setText(instance, 'DBInstanceStatus', status);
    }
    return withBody(answer, document);
  },

  async 'rds:DescribeDBClusters'(call, io) {
    const statuses = Object.entries(this.options.dbClusterStatus ?? {});
    const answer = await io.forward();
    if (statuses.length === 0 || !ok(answer)) return answer;
    const document = parseXml(bodyText(answer));
    for (const cluster of descendants(document, 'DBCluster')) {
      const id = (textOf(cluster, 'DBClusterIdentifier') ?? '').toLowerCase();
      const status = statuses.find(([name]) => name.toLowerCase() === id)?.[1];
      if (status) setText(cluster, 'Status', status);
    }
    return withBody(answer, document);
  },

  async 'ssm:DescribeInstanceInformation'(call, io) {
    const managed = this.options.ssmManagedInstances;
    if (!managed) return io.forward();
    const named = instanceIdsFilter(io.body);
    const invalid = named?.find((id) => !INSTANCE_ID.test(id));
    if (invalid) return ERRORS.invalidInstanceId(invalid);
    const ids = named ? managed.filter((id) => named.includes(id)) : managed;
    const now = this.clock() / 1000;
    return jsonAnswer({
      InstanceInformationList: ids.map((id) => ({
        InstanceId: id,
        PingStatus: 'Online',
        LastPingDateTime: now,
        AgentVersion: '3.3.1142.0',
        IsLatestVersion: true,
        PlatformType: 'Linux',
        PlatformName: 'Amazon Linux',
        PlatformVersion: '2023',
        ResourceType: 'EC2Instance',
        IPAddress: '10.0.0.10',
        ComputerName: `ip-10-0-0-10.${call.region}.compute.internal`,
        AssociationStatus: 'Success',
        SourceId: id,
        SourceType: 'AWS::EC2::Instance',
      })),
    });
  },

  async 'rds:DescribeAccountAttributes'(call, io) {
    const quotas = this.options.accountQuotas;
    if (!quotas) return io.forward();
    const rows = await Promise.all(
      Object.entries(quotas).map(async ([name, max]) => {
        const used = await this.used(io, call.region, name);
        return (
          `<AccountQuota><AccountQuotaName>${escapeXml(name)}</AccountQuotaName>` +
          `<Used>${used}</Used><Max>${max}</Max></AccountQuota>`
        );
      }),
    );
    return rdsAnswer(
      'DescribeAccountAttributes',
      `<AccountQuotas>${rows.join('')}</AccountQuotas>`,
    );
  },
};

// ---------------------------------------------------------------------------------------------
// Presets

/**
 * What AWS's API does with parameters and fields, without timing or lost answers: AMI snapshot
 * tags, DeleteAssociatedSnapshots (and a short InUse race), RDS source fields, the default RDS
 * snapshot quotas, unique AMI names and CopyImage client tokens. Every integration run of the
 * action goes through a proxy with these.
 *
 * @type {Readonly<FidelityOptions>}
 */
export const AWS_SEMANTICS = Object.freeze({
  amiSnapshotTags: true,
  deregistration: Object.freeze({ inUseMs: 250 }),
  rdsFields: true,
  accountQuotas: Object.freeze({ ManualSnapshots: 100, ManualClusterSnapshots: 100 }),
  uniqueAmiNames: true,
});

/** The calls that make a backup or a copy: those whose answers `awsLike` loses by default. */
export const CREATE_AND_COPY_ACTIONS = Object.freeze([
  'CreateSnapshot',
  'CopySnapshot',
  'CreateImage',
  'CopyImage',
  'CreateDBSnapshot',
  'CopyDBSnapshot',
  'CreateDBClusterSnapshot',
  'CopyDBClusterSnapshot',
]);

/**
 * Everything at once: `AWS_SEMANTICS` plus eventual consistency and creation times (defaults 200 ms
 * and 500 ms, small enough for tests), S3 restores that take 500 ms, the first answer of every create and copy lost (HTTP 500),
 * and whatever else is given (copy slots, archived, locked, instance statuses…), which wins: e.g.
 * `lostAnswers: undefined` keeps every answer.
 *
 * @param {FidelityOptions} [options]
 * @returns {FidelityOptions}
 */
export function awsLike(options = {}) {
  return {
    ...AWS_SEMANTICS,
    deregistration: { ...AWS_SEMANTICS.deregistration },
    accountQuotas: { ...AWS_SEMANTICS.accountQuotas },
    visibilityDelayMs: 200,
    pendingMs: 500,
    lostAnswers: { actions: [...CREATE_AND_COPY_ACTIONS], mode: 'http500' },
    s3RestoreMs: 500,
    ...options,
  };
}
