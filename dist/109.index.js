export const id = 109;
export const ids = [109,159];
export const modules = {

/***/ 6461:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   V: () => (/* binding */ chunks)
/* harmony export */ });
/** Lists split into the batches an API takes at once. Pure. */
/**
 * Splits a list into chunks of at most `size`, in order (EC2 takes at most 200 values per filter,
 * S3's `DeleteObjects` at most 1,000 keys).
 */
function chunks(items, size) {
    if (!Number.isInteger(size) || size < 1) {
        throw new RangeError(`A chunk holds at least one item, not ${size}.`);
    }
    const out = [];
    for (let i = 0; i < items.length; i += size)
        out.push(items.slice(i, i + size));
    return out;
}


/***/ }),

/***/ 8499:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   t: () => (/* binding */ imageName),
/* harmony export */   z: () => (/* binding */ rdsSnapshotIdentifier)
/* harmony export */ });
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/**
 * Names of new backups, derived from set, source and time, within each service's rules. Pure.
 */

/**
 * A unique, valid AMI name (3–128 characters of letters, digits and `()[] ./-'@_`):
 * `snapshot-rotation-<set>-<instance>-<UTC time to the millisecond>`.
 */
function imageName(set, instanceId, createdAt) {
    const stamp = createdAt.toISOString().replace(/[-:]/g, '');
    return `snapshot-rotation-${set}-${instanceId}-${stamp}`.slice(0, 128);
}
/**
 * A valid RDS snapshot identifier: `sr-<set>-<source>-<yyyymmdd-hhmmss-mmm>`, lower case, letters,
 * digits and single hyphens, starting with a letter, at most `maxLength` characters (255 for DB
 * snapshots, 63 for cluster snapshots). When set and source do not fit, they are shortened and a
 * hash of the full pair keeps the identifier unique.
 */
function rdsSnapshotIdentifier(set, sourceId, createdAt, maxLength) {
    const stamp = createdAt
        .toISOString()
        .replace(/[-:]/g, '')
        .replace('T', '-')
        .replace('.', '-')
        .replace('Z', '');
    let middle = hyphenate(`${set}-${sourceId}`);
    const room = maxLength - 'sr-'.length - 1 - stamp.length - 1;
    if (middle.length > room) {
        const hash = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256').update(`${set}\u0000${sourceId}`).digest('hex').slice(0, 8);
        middle = `${hyphenate(middle.slice(0, room - hash.length - 1))}-${hash}`;
    }
    return `sr-${middle}-${stamp}`;
}
/** Lower case, every run of other characters as one hyphen, none at either end. */
function hyphenate(text) {
    return text
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-+|-+$/g, '');
}


/***/ }),

/***/ 2159:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   IN_USE_RETRY_SECONDS: () => (/* binding */ IN_USE_RETRY_SECONDS),
/* harmony export */   deregisterWithSnapshots: () => (/* binding */ deregisterWithSnapshots),
/* harmony export */   imageOfSnapshot: () => (/* binding */ imageOfSnapshot),
/* harmony export */   leftBehind: () => (/* binding */ leftBehind),
/* harmony export */   listImageSnapshots: () => (/* binding */ listImageSnapshots),
/* harmony export */   recoverImageTags: () => (/* binding */ recoverImageTags)
/* harmony export */ });
/* harmony import */ var _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(5193);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3916);
/* harmony import */ var _sleep_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(5613);
/* harmony import */ var _ec2_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(9984);
/* harmony import */ var _tags_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(7913);





/**
 * How long a snapshot that still answers `InvalidSnapshot.InUse` right after its image was
 * deregistered is tried again: AWS may take a little while to release it (observed, undocumented).
 */
const IN_USE_RETRY_SECONDS = 60;
/**
 * Deregisters an image with `DeleteAssociatedSnapshots`, so AWS deletes its snapshots in the same
 * call, then makes sure each one is gone: a snapshot AWS did not delete (its answer says
 * `missing-permissions`, `internal-error`, `client-error`, or names no result at all) is deleted
 * with `DeleteSnapshot`, retrying `InvalidSnapshot.InUse` for a bounded time. A snapshot that
 * another image still uses (`skipped`, or still in use after the retries) is left in place and
 * named in the outcome, never an error; the next run finds it as left behind and tries again.
 *
 * Once the image is gone nothing but the set's tags lists its snapshots again, so every snapshot is
 * tried, even after a cancellation, and those that could not be deleted fail the call together.
 */
async function deregisterWithSnapshots(ec2, imageId, snapshotIds, options = {}) {
    const { signal } = options;
    let gone = false;
    let results = [];
    try {
        const answer = await ec2.send(new _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_4__/* .DeregisterImageCommand */ .x2c({ ImageId: imageId, DeleteAssociatedSnapshots: true }), { abortSignal: signal });
        results = answer.DeleteSnapshotResults ?? [];
    }
    catch (error) {
        if (signal?.aborted)
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .CancelledError */ .cc();
        const code = (0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .awsErrorCode */ .J6)(error);
        if (code !== 'InvalidAMIID.NotFound' && code !== 'InvalidAMIID.Unavailable') {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .TargetError */ .I0((0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .describeAwsError */ .Pp)(`Could not deregister image ${imageId}`, error), {
                cause: error,
            });
        }
        gone = true;
    }
    const returned = new Map(results.map((result) => [result.SnapshotId, result.ReturnCode]));
    const notes = [];
    const leftBehind = [];
    for (const snapshotId of snapshotIds) {
        const code = returned.get(snapshotId);
        if (code === 'success') {
            notes.push(`${snapshotId} deleted`);
            continue;
        }
        if (code === 'skipped') {
            notes.push(`${snapshotId} is still used by another image; left in place`);
            continue;
        }
        try {
            const outcome = await deleteReleased(ec2, snapshotId, options);
            notes.push(outcome.result === 'skipped'
                ? outcome.message
                : `${snapshotId} ${outcome.result === 'deleted' ? 'deleted' : 'already gone'}`);
        }
        catch (error) {
            leftBehind.push(`${snapshotId} (${error instanceof Error ? error.message : String(error)})`);
        }
    }
    if (leftBehind.length > 0) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .TargetError */ .I0(`Image ${imageId} was deregistered, but these of its snapshots could not be deleted and are left behind (the next run tries again): ${leftBehind.join('; ')}`);
    }
    const message = notes.length > 0 ? `snapshots: ${notes.join('; ')}` : undefined;
    return {
        result: gone ? 'already-gone' : 'deleted',
        ...(message ? { message } : {}),
    };
}
/**
 * Deletes a snapshot whose image was just deregistered, waiting out `InvalidSnapshot.InUse` with
 * doubling pauses (1 s, 2 s, 4 s … at `scale` 1) for at most `inUseRetrySeconds`.
 */
async function deleteReleased(ec2, snapshotId, { inUseRetrySeconds = IN_USE_RETRY_SECONDS, sleep = _sleep_js__WEBPACK_IMPORTED_MODULE_1__/* .sleep */ .yy }) {
    const budgetMs = inUseRetrySeconds * 1000;
    let pauseMs = Math.max(budgetMs / 60, 1);
    let waitedMs = 0;
    for (;;) {
        // No abort signal: a cancelled run still finishes what it started (see above).
        const outcome = await (0,_ec2_js__WEBPACK_IMPORTED_MODULE_2__/* .deleteSnapshot */ .Cj)(ec2, snapshotId);
        // Only InUse may pass: a locked snapshot stays locked for days.
        const inUse = outcome.result === 'skipped' && outcome.inUse === true;
        if (!inUse || waitedMs + pauseMs > budgetMs)
            return outcome;
        await sleep(pauseMs);
        waitedMs += pauseMs;
        pauseMs *= 2;
    }
}
/**
 * Tags an image and its snapshots after the fact. Only a recovery: the action tags both at creation
 * (`TagSpecifications` on CreateImage and CopyImage); this serves an image that came back without
 * them, so that no run ever loses track of it. A refusal is a warning: the image still owns its
 * snapshots, and deregistering it deletes them.
 */
async function recoverImageTags(ec2, imageId, snapshotIds, tags, warn, signal) {
    try {
        await ec2.send(new _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_4__/* .CreateTagsCommand */ .RmG({ Resources: [imageId, ...snapshotIds], Tags: (0,_tags_js__WEBPACK_IMPORTED_MODULE_3__/* .toAwsTags */ .Ez)(tags) }), { abortSignal: signal });
    }
    catch (error) {
        if (signal?.aborted)
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .CancelledError */ .cc();
        warn?.((0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .describeAwsError */ .Pp)(`Image ${imageId} came back without the tags it was created with, and tagging it and its snapshots (${snapshotIds.join(', ') || 'none named yet'}) afterwards failed; no run will count it, so deregister it by hand`, error));
    }
}
/**
 * The image a snapshot was made for, from the description AWS gives it: `Created by
 * CreateImage(i-…) for ami-…`, or for a copied image `Copied for DestinationAmi ami-… from
 * SourceAmi ami-…` (moto: `Auto-created snapshot for AMI ami-…`).
 */
function imageOfSnapshot(description) {
    if (!description)
        return undefined;
    return (/DestinationAmi (ami-[0-9a-zA-Z]+)/.exec(description)?.[1] ??
        /\bfor (?:AMI )?(ami-[0-9a-zA-Z]+)/.exec(description)?.[1]);
}
/**
 * The set's snapshots that were made for an image, each as a failed backup whose `stateMessage`
 * names its image (`leftBehind` keeps those whose image is gone). Listed before the images, so that
 * an image registered between the two listings is never taken for gone.
 */
async function listImageSnapshots(ec2, kind, region, set, clock, sources) {
    async function* pages() {
        for (const Filters of (0,_ec2_js__WEBPACK_IMPORTED_MODULE_2__/* .listingFilters */ .U6)(set, sources)) {
            const paginator = (0,_aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_4__/* .paginateDescribeSnapshots */ .CdA)({ client: ec2, pageSize: 1000 }, { OwnerIds: ['self'], Filters });
            for await (const page of paginator) {
                yield (page.Snapshots ?? []).map((snapshot) => {
                    const owned = (0,_tags_js__WEBPACK_IMPORTED_MODULE_3__/* .ownedBackup */ .Up)(kind, region, clock, {
                        id: snapshot.SnapshotId,
                        tags: snapshot.Tags,
                        state: 'failed',
                        awsTime: snapshot.StartTime,
                    });
                    const imageId = imageOfSnapshot(snapshot.Description);
                    return owned && imageId ? { ...owned, stateMessage: imageId } : undefined;
                });
            }
        }
    }
    return (0,_tags_js__WEBPACK_IMPORTED_MODULE_3__/* .collectSet */ .pX)(pages(), set, `the snapshots of backup set '${set}' in ${region}`, sources);
}
/**
 * The snapshots whose image is no longer registered: left behind by a prune cut short between
 * deregistering and deleting them. They come back as failed backups, which retention deletes.
 */
function leftBehind(imageSnapshots, images) {
    const registered = new Set(images.map((image) => image.id));
    return imageSnapshots
        .filter((snapshot) => !registered.has(snapshot.stateMessage ?? ''))
        .map((snapshot) => ({
        ...snapshot,
        stateMessage: `snapshot left behind by ${snapshot.stateMessage ?? 'an image'}, which is no longer registered (an interrupted prune)`,
    }));
}


/***/ }),

/***/ 1109:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  Ec2ImageAdapter: () => (/* binding */ Ec2ImageAdapter)
});

// EXTERNAL MODULE: ./src/clock.ts
var clock = __webpack_require__(9373);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-ec2/dist-cjs/index.js
var dist_cjs = __webpack_require__(5193);
// EXTERNAL MODULE: ./src/constants.ts
var constants = __webpack_require__(7242);
// EXTERNAL MODULE: ./src/naming.ts
var naming = __webpack_require__(8499);
// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(3916);
// EXTERNAL MODULE: ./src/sleep.ts + 1 modules
var sleep = __webpack_require__(5613);
// EXTERNAL MODULE: ./src/targets/aws-call.ts
var aws_call = __webpack_require__(2836);
// EXTERNAL MODULE: ./src/targets/ami-snapshots.ts
var ami_snapshots = __webpack_require__(2159);
// EXTERNAL MODULE: ./src/targets/ec2.ts
var ec2 = __webpack_require__(9984);
// EXTERNAL MODULE: ./src/targets/ec2-sources.ts
var ec2_sources = __webpack_require__(567);
// EXTERNAL MODULE: ./src/targets/ec2-instances.ts
var ec2_instances = __webpack_require__(5341);
// EXTERNAL MODULE: ./src/chunks.ts
var chunks = __webpack_require__(6461);
// EXTERNAL MODULE: ./src/targets/tags.ts
var targets_tags = __webpack_require__(7913);
;// CONCATENATED MODULE: ./src/targets/image-records.ts
/**
 * How an AMI reads as a backup: DescribeImages answers turned into the set's records, with what
 * pruning needs beyond them (the image's snapshots, deregistration protection) and the tags each
 * image of this run was given, for an endpoint that answers without them.
 */






/** Disabled and deprecated images still hold snapshots: every read includes them. */
const ALL_IMAGES = { Owners: ['self'], IncludeDisabled: true, IncludeDeprecated: true };
class ImageRecords {
    ec2;
    region;
    clock;
    details = new Map();
    /** The tags each image this adapter made or copied was given, by image id. */
    given = new Map();
    /** Images that came back without the tags they were given: tagged again once they complete. */
    untagged = new Set();
    /**
     * Images tagged again already: once only, though a later read may still show them without (EC2's
     * describe calls are eventually consistent for tags too).
     */
    retagged = new Set();
    constructor(ec2, region, clock) {
        this.ec2 = ec2;
        this.region = region;
        this.clock = clock;
    }
    /** Remembers the tags a new image or copy was given. */
    gave(imageId, tags) {
        this.given.set(imageId, { ...tags });
    }
    /** The tags to put back on an image that completed without them; undefined when it has its own. */
    tagsToRecover(backup) {
        if (!this.untagged.has(backup.id))
            return undefined;
        this.untagged.delete(backup.id);
        this.retagged.add(backup.id);
        return this.given.get(backup.id) ?? backup.tags;
    }
    /** What the last read of the image said beyond the record; undefined when not read yet. */
    known(id) {
        return this.details.get(id);
    }
    /** The image's details, read again (a listing made while it was pending may lack its snapshots). */
    async read(id, signal) {
        await (0,aws_call/* awsCall */.u)(`Could not read image ${id}`, () => this.describe(id, signal), { signal });
        return this.details.get(id);
    }
    /** The set's record of the image `id`; undefined when it is gone or none of the set's. */
    async describe(id, signal) {
        try {
            const answer = await this.ec2.send(new dist_cjs/* DescribeImagesCommand */.ji5({
                ImageIds: [id],
                IncludeDisabled: true,
                IncludeDeprecated: true,
            }), { abortSignal: signal });
            const image = answer.Images?.[0];
            return image ? this.toBackup(image) : undefined;
        }
        catch (error) {
            if ((0,errors/* hasAwsCode */.t6)(error, 'InvalidAMIID.NotFound', 'InvalidAMIID.Unavailable'))
                return undefined;
            throw error;
        }
    }
    /** The image of that name, if any: `{ backup }`, undefined in it when it is none of the set's. */
    async byName(name, signal) {
        const answer = await this.ec2.send(new dist_cjs/* DescribeImagesCommand */.ji5({ ...ALL_IMAGES, Filters: [{ Name: 'name', Values: [name] }] }), { abortSignal: signal });
        const image = answer.Images?.[0];
        return image ? { backup: this.toBackup(image) } : undefined;
    }
    /** The images that still exist among `ids`, read by an `image-id` filter of ≤200 values. */
    async describeMany(ids, signal) {
        const found = [];
        for (const part of (0,chunks/* chunks */.V)(ids, 200)) {
            for await (const page of this.pages([{ Name: 'image-id', Values: part }], signal)) {
                for (const backup of page)
                    if (backup)
                        found.push(backup);
            }
        }
        return found;
    }
    /** The images that `filters` select, page by page, as the set's records; `signal` goes with the calls. */
    async *pages(filters, signal) {
        const pages = (0,dist_cjs/* paginateDescribeImages */.XiR)({ client: this.ec2, pageSize: 1000 }, { ...ALL_IMAGES, Filters: filters }, { abortSignal: signal });
        for await (const page of pages)
            yield (page.Images ?? []).map((image) => this.toBackup(image));
    }
    toBackup(image) {
        // An image this adapter made is its own even when the endpoint dropped its tags: it is tagged
        // again once complete (recoverImageTags), instead of being lost to every later run.
        const given = image.ImageId ? this.given.get(image.ImageId) : undefined;
        const tagged = image.Tags?.some((tag) => tag.Key === constants/* TAGS */.gp.backupSet);
        if (given && !tagged && !this.retagged.has(image.ImageId ?? '')) {
            this.untagged.add(image.ImageId ?? '');
        }
        const backup = (0,targets_tags/* ownedBackup */.Up)('ec2-image', this.region, this.clock, {
            id: image.ImageId,
            tags: given && !tagged ? (0,targets_tags/* toAwsTags */.Ez)(given) : image.Tags,
            state: imageState(image.State),
            awsTime: image.CreationDate ? new Date(image.CreationDate) : undefined,
            stateMessage: image.StateReason?.Message,
            encrypted: imageEncrypted(image),
            sizeGiB: imageSizeGiB(image),
            madeFrom: image.SourceInstanceId,
            copiedFrom: image.SourceImageId,
        });
        if (backup) {
            this.details.set(backup.id, {
                snapshotIds: (image.BlockDeviceMappings ?? [])
                    .map((mapping) => mapping.Ebs?.SnapshotId)
                    .filter((snapshotId) => Boolean(snapshotId)),
                // Anything but a plain `disabled` (e.g. a cooldown still running) may refuse deregistration.
                deregistrationProtected: image.DeregistrationProtection !== undefined &&
                    image.DeregistrationProtection !== 'disabled',
            });
        }
        return backup;
    }
}
/** True when any of the image's snapshots is encrypted; undefined when no mapping says. */
function imageEncrypted(image) {
    const flags = (image.BlockDeviceMappings ?? [])
        .map((mapping) => mapping.Ebs?.Encrypted)
        .filter((flag) => flag !== undefined);
    return flags.length > 0 ? flags.includes(true) : undefined;
}
/**
 * The sum of the image's EBS volume sizes (`BlockDeviceMappings[].Ebs.VolumeSize`, GiB); instance
 * store mappings have none. Undefined when no EBS mapping is named yet (a pending image) or one of
 * them states no size: a part of the sum would understate the image.
 */
function imageSizeGiB(image) {
    const ebs = (image.BlockDeviceMappings ?? []).flatMap((mapping) => mapping.Ebs ? [mapping.Ebs] : []);
    if (ebs.length === 0 || ebs.some((volume) => volume.VolumeSize === undefined))
        return undefined;
    return ebs.reduce((sum, volume) => sum + (volume.VolumeSize ?? 0), 0);
}
/** Image states as the core sees them; deregistered images no longer count at all. */
function imageState(state) {
    switch (state) {
        case 'available':
        case 'disabled':
            return 'completed';
        case 'failed':
        case 'invalid':
        case 'error':
            return 'failed';
        case 'deregistered':
            return undefined;
        default:
            return 'pending';
    }
}

// EXTERNAL MODULE: ./src/targets/wait.ts
var wait = __webpack_require__(3241);
;// CONCATENATED MODULE: ./src/targets/ec2-image.ts
/**
 * `ec2-image`: AMIs of instances, without reboot by default. The image and its snapshots are tagged
 * at creation (`TagSpecifications` for `image` and `snapshot`, on CreateImage and CopyImage alike).
 * Pruning deregisters the image together with its snapshots (ami-snapshots.ts).
 */














class Ec2ImageAdapter {
    ec2;
    region;
    options;
    type = 'ec2-image';
    images;
    waits;
    sleep;
    clock;
    constructor(ec2, region, options) {
        this.ec2 = ec2;
        this.region = region;
        this.options = options;
        this.clock = options.clock ?? clock/* systemClock */.m;
        this.images = new ImageRecords(ec2, region, this.clock);
        this.waits = (0,wait/* batchedWaits */.sF)((ids, signal) => this.images.describeMany(ids, signal), options, this.clock);
        this.sleep = options.sleep ?? sleep/* sleep */.yy;
    }
    findSources(ids, tags) {
        return (0,ec2_sources/* findEc2Sources */.G)(this.ec2, this.region, ec2_instances/* INSTANCES */.j, ids, tags);
    }
    /**
     * The set's images, and the snapshots that an interrupted prune left behind: a run killed between
     * deregistering an image and deleting its snapshots leaves them tagged with the set and pointing
     * at an image that no longer exists. They come back as failed backups, which retention deletes.
     * The snapshots are listed before the images (ami-snapshots.ts), so that an image registered
     * between the two listings is never taken for gone (its snapshots come into being with it); a
     * snapshot still used by some image is refused by AWS (`InvalidSnapshot.InUse`) and left in place.
     */
    async listBackups(set, sources) {
        const what = `the images of backup set '${set}' in ${this.region}`;
        const imageSnapshots = await (0,ami_snapshots.listImageSnapshots)(this.ec2, this.type, this.region, set, this.clock, sources);
        const images = this.images;
        async function* pages() {
            for (const filters of (0,ec2/* listingFilters */.U6)(set, sources))
                yield* images.pages(filters);
        }
        const listed = await (0,targets_tags/* collectSet */.pX)(pages(), set, what, sources);
        return [...listed, ...(0,ami_snapshots.leftBehind)(imageSnapshots, listed)];
    }
    /**
     * CreateImage, tagged at creation. The name is derived from set, source and time, so a request
     * that the SDK sent again after a lost answer meets `InvalidAMIName.Duplicate`: the image of that
     * name is then adopted when its tags say it is this very backup, never a second one made.
     */
    async create({ source, set, tags, signal }) {
        if (signal?.aborted)
            throw new errors/* CancelledError */.cc();
        const createdAt = (0,targets_tags/* createdAtOf */.B7)(tags[constants/* TAGS */.gp.createdAt], undefined, this.clock);
        const name = (0,naming/* imageName */.t)(set, source.id, createdAt);
        const made = await (0,aws_call/* awsCall */.u)(`Could not create an image of ${source.id}`, async () => {
            const response = await this.ec2.send(new dist_cjs/* CreateImageCommand */.T6T({
                InstanceId: source.id,
                Name: name,
                Description: `snapshot-rotation backup-set=${set} source=${source.id}`,
                NoReboot: this.options.noReboot,
                TagSpecifications: imageAndSnapshotTags(tags),
            }), { abortSignal: signal });
            return response.ImageId;
        }, {
            signal,
            recover: (error) => (0,errors/* hasAwsCode */.t6)(error, 'InvalidAMIName.Duplicate')
                ? (0,wait/* adoptRequested */.jI)(() => this.images.byName(name, signal), tags, this.options, signal)
                : undefined,
        });
        if (typeof made === 'object')
            return made;
        const imageId = made;
        if (!imageId)
            throw new errors/* TargetError */.I0(`CreateImage returned no image id for ${source.id}.`);
        this.images.gave(imageId, tags);
        return {
            id: imageId,
            kind: this.type,
            region: this.region,
            sourceId: source.id,
            set,
            createdAt,
            state: 'pending',
            tags: { ...tags },
        };
    }
    /**
     * CopyImage, called in this (the destination) region, the copy and its snapshots tagged at
     * creation. The ClientToken makes a request the SDK sends again return the same copy.
     */
    async copy({ original, tags, kmsKeyId, clientToken, signal }) {
        if (signal?.aborted)
            throw new errors/* CancelledError */.cc();
        const encrypted = original.encrypted === true;
        const imageId = await (0,aws_call/* awsCall */.u)(`Could not copy image ${original.id} to ${this.region}`, async () => {
            const answer = await this.ec2.send(new dist_cjs/* CopyImageCommand */.SDF({
                SourceRegion: original.region,
                SourceImageId: original.id,
                Name: (0,naming/* imageName */.t)(original.set, original.sourceId, original.createdAt),
                Description: `snapshot-rotation copy of ${original.id} from ${original.region} (source=${original.sourceId})`,
                ClientToken: clientToken,
                ...(encrypted && kmsKeyId ? { Encrypted: true, KmsKeyId: kmsKeyId } : {}),
                TagSpecifications: imageAndSnapshotTags(tags),
            }), { abortSignal: signal });
            return answer.ImageId;
        }, { signal, refusal: errors/* copySlotsRefusal */.v2 });
        const copy = (0,targets_tags/* acceptedCopy */.rP)(this.type, this.region, imageId, tags, original, this.clock);
        this.images.gave(copy.id, tags);
        return copy;
    }
    /**
     * With `no-reboot`, EC2 starts an image's snapshots after CreateImage returns: the image's point
     * in time is fixed once DescribeImages names its snapshots (read within the visibility grace).
     */
    async pointInTimeFixed(backup, signal) {
        const named = await (0,wait/* findWithin */.de)(async () => (await this.images.read(backup.id, signal))?.snapshotIds.length ? true : undefined, this.options.visibilityGraceSeconds ?? wait/* VISIBILITY_GRACE_SECONDS */.eI, this.sleep, signal);
        if (!named) {
            throw new errors/* TargetError */.I0(`Image ${backup.id} named no snapshot within the visibility grace; its point in time is unknown.`);
        }
    }
    copySlots(backup) {
        return Math.max(this.images.known(backup.id)?.snapshotIds.length ?? 1, 1);
    }
    async waitUntilDone(backup, options) {
        if (backup.state === 'pending')
            this.waits.watch(backup.id);
        const done = await (0,wait/* waitForBackup */.nB)(backup, options, {
            polling: this.options,
            // One describe shared by every image this adapter waits for (new or copied), the first
            // after the first delay: images made within it are read together from then on.
            describe: () => this.waits.describe(backup.id, options.signal),
            label: `image ${backup.id}`,
        });
        const lostTags = done.state === 'completed' ? this.images.tagsToRecover(done) : undefined;
        if (lostTags) {
            await (0,ami_snapshots.recoverImageTags)(this.ec2, done.id, this.images.known(done.id)?.snapshotIds ?? [], lostTags, options.warn, options.signal);
        }
        return done;
    }
    async delete(backup, signal) {
        // A snapshot left behind by an interrupted prune: only it is left to delete.
        if (backup.id.startsWith('snap-'))
            return (0,ec2/* deleteSnapshot */.Cj)(this.ec2, backup.id, signal);
        // A listing made while the image was pending may not name its snapshots yet: read it again then.
        const known = this.images.known(backup.id);
        const details = known?.snapshotIds.length ? known : await this.images.read(backup.id, signal);
        if (details?.deregistrationProtected) {
            return {
                result: 'skipped',
                message: `${backup.id} has deregistration protection on; left in place (turn it off to let pruning remove it).`,
            };
        }
        return (0,ami_snapshots.deregisterWithSnapshots)(this.ec2, backup.id, details?.snapshotIds ?? [], {
            signal,
            sleep: this.sleep,
            ...(this.options.inUseRetrySeconds !== undefined
                ? { inUseRetrySeconds: this.options.inUseRetrySeconds }
                : {}),
        });
    }
}
/** The tags of a new image and of its snapshots, applied by the create or copy call itself. */
function imageAndSnapshotTags(tags) {
    const list = (0,targets_tags/* toAwsTags */.Ez)(tags);
    return [
        { ResourceType: 'image', Tags: list },
        { ResourceType: 'snapshot', Tags: list },
    ];
}


/***/ }),

/***/ 5341:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   I: () => (/* binding */ attachedVolumes),
/* harmony export */   j: () => (/* binding */ INSTANCES)
/* harmony export */ });
/* harmony import */ var _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(5193);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3916);
/* harmony import */ var _aws_call_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2836);
/** EC2 instances as sources (`ec2-image`, `ec2-instance`): looked up live, by id and by tags. */



/** Instances that can be backed up; terminated ones linger in describe answers for a while. */
const LIVE_INSTANCES = {
    Name: 'instance-state-name',
    Values: ['pending', 'running', 'stopping', 'stopped'],
};
const INSTANCES = {
    idFilter: 'instance-id',
    noun: 'instances',
    async *pages(ec2, filters) {
        const pages = (0,_aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_2__/* .paginateDescribeInstances */ .H0T)({ client: ec2 }, { Filters: [...filters, LIVE_INSTANCES] });
        for await (const page of pages) {
            yield (page.Reservations ?? [])
                .flatMap((reservation) => reservation.Instances ?? [])
                .map((instance) => ({ id: instance.InstanceId, tags: instance.Tags }));
        }
    },
};
/** The instance's EBS volumes, by device, and which of them is the boot volume. */
async function attachedVolumes(ec2, region, instanceId, signal) {
    return (0,_aws_call_js__WEBPACK_IMPORTED_MODULE_1__/* .awsCall */ .u)(`Could not read the volumes of ${instanceId} in ${region}`, async () => {
        const answer = await ec2.send(new _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_2__/* .DescribeInstancesCommand */ .bNs({
            Filters: [{ Name: 'instance-id', Values: [instanceId] }],
        }), { abortSignal: signal });
        const instance = (answer.Reservations ?? [])
            .flatMap((reservation) => reservation.Instances ?? [])
            .find((found) => found.InstanceId === instanceId);
        if (!instance)
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .TargetError */ .I0(`Instance ${instanceId} is gone from ${region}.`);
        return (instance.BlockDeviceMappings ?? []).flatMap((mapping) => mapping.Ebs?.VolumeId && mapping.DeviceName
            ? [
                {
                    volumeId: mapping.Ebs.VolumeId,
                    device: mapping.DeviceName,
                    boot: mapping.DeviceName === instance.RootDeviceName,
                },
            ]
            : []);
    }, { signal });
}


/***/ }),

/***/ 567:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   G: () => (/* binding */ findEc2Sources)
/* harmony export */ });
/* harmony import */ var _aws_call_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2836);
/* harmony import */ var _chunks_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(6461);
/* harmony import */ var _ec2_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(9984);
/* harmony import */ var _tags_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(7913);




/**
 * Looks up resources by id and by tags. Ids go in a filter (at most 200 values each), which, unlike
 * the describe call's id list, returns the resources that exist instead of failing on a missing one.
 */
async function findEc2Sources(ec2, region, kind, ids, tags) {
    const found = new Map();
    const describe = (filters, what) => (0,_aws_call_js__WEBPACK_IMPORTED_MODULE_0__/* .awsCall */ .u)(`Could not look up ${what} in ${region}`, async () => {
        for await (const page of kind.pages(ec2, filters)) {
            for (const { id, tags: resourceTags, instanceId } of page) {
                if (id) {
                    found.set(id, {
                        id,
                        tags: (0,_tags_js__WEBPACK_IMPORTED_MODULE_2__/* .fromAwsTags */ .L0)(resourceTags),
                        ...(instanceId ? { instanceId } : {}),
                    });
                }
            }
        }
    });
    for (const part of (0,_chunks_js__WEBPACK_IMPORTED_MODULE_3__/* .chunks */ .V)(ids, 200)) {
        await describe([{ Name: kind.idFilter, Values: part }], `${kind.noun} ${part.join(', ')}`);
    }
    if (Object.keys(tags).length > 0)
        await describe((0,_ec2_js__WEBPACK_IMPORTED_MODULE_1__/* .tagFilters */ .qn)(tags), `${kind.noun} by tags`);
    return {
        found: [...found.values()].sort((a, b) => a.id.localeCompare(b.id)),
        missing: ids.filter((id) => !found.has(id)),
    };
}


/***/ }),

/***/ 9984:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $n: () => (/* binding */ rawSnapshot),
/* harmony export */   Cj: () => (/* binding */ deleteSnapshot),
/* harmony export */   U6: () => (/* binding */ listingFilters),
/* harmony export */   qn: () => (/* binding */ tagFilters)
/* harmony export */ });
/* unused harmony export snapshotState */
/* harmony import */ var _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(5193);
/* harmony import */ var _chunks_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(6461);
/* harmony import */ var _constants_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7242);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3916);
/* harmony import */ var _aws_call_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(2836);
/** What the EC2-based adapters share: tag filters (a listing's among them), snapshot deletion. */





/** Server-side `tag:Key=Value` filters: a resource must carry all of them. */
function tagFilters(record) {
    return Object.entries(record).map(([key, value]) => ({ Name: `tag:${key}`, Values: [value] }));
}
/**
 * The EC2 filters of one listing (`listBackups`): the set's tag, or with `sources` the source tag
 * of at most 200 of them a call (EC2's limit of values per filter), one call per batch.
 */
function listingFilters(set, sources) {
    if (!sources)
        return [[{ Name: `tag:${_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .TAGS */ .gp.backupSet}`, Values: [set] }]];
    return (0,_chunks_js__WEBPACK_IMPORTED_MODULE_3__/* .chunks */ .V)([...new Set(sources)], 200).map((part) => [
        { Name: `tag:${_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .TAGS */ .gp.source}`, Values: part },
    ]);
}
/**
 * Deletes one EBS snapshot. Already gone counts as done; a snapshot still used by an image
 * (`InvalidSnapshot.InUse`) is left in place and reported, never an error that stops the run.
 */
async function deleteSnapshot(ec2, snapshotId, signal) {
    return (0,_aws_call_js__WEBPACK_IMPORTED_MODULE_2__/* .awsCall */ .u)(`Could not delete snapshot ${snapshotId}`, async () => {
        await ec2.send(new _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_4__/* .DeleteSnapshotCommand */ .tZN({ SnapshotId: snapshotId }), {
            abortSignal: signal,
        });
        return { result: 'deleted' };
    }, {
        signal,
        recover: (error) => {
            const code = (0,_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .awsErrorCode */ .J6)(error);
            if (code === 'InvalidSnapshot.NotFound')
                return { result: 'already-gone' };
            if (code === 'InvalidSnapshot.InUse') {
                return {
                    result: 'skipped',
                    message: `${snapshotId} is still used by an image (InvalidSnapshot.InUse); left in place.`,
                    inUse: true,
                };
            }
            // EBS snapshot lock refuses deletion until the lock expires; AWS documents no error code
            // for it, so the refusal is known by what it says.
            if (isLockRefusal(error)) {
                return {
                    result: 'skipped',
                    message: `${snapshotId} is locked (EBS snapshot lock), and AWS refuses to delete it until the lock expires; left in place: ${error instanceof Error ? error.message : String(error)}`,
                };
            }
            return undefined;
        },
    });
}
/** A refusal whose message says the snapshot is locked (EBS snapshot lock). */
function isLockRefusal(error) {
    return error instanceof Error && /\block(ed)?\b/i.test(error.message);
}
/** EBS snapshot states as the core sees them: the Recycle Bin's snapshots are no backup of the set now. */
function snapshotState(state) {
    switch (state) {
        case 'completed':
            return 'completed';
        case 'error':
            return 'failed';
        case 'recoverable':
        case 'recovering':
            return undefined;
        default:
            return 'pending';
    }
}
/** What an EBS snapshot says of itself, before ownership is checked (snapshots of sets included). */
function rawSnapshot(snapshot) {
    return {
        id: snapshot.SnapshotId,
        tags: snapshot.Tags,
        state: snapshotState(snapshot.State),
        awsTime: snapshot.StartTime,
        stateMessage: snapshot.StateMessage,
        encrypted: snapshot.Encrypted,
        archived: snapshot.StorageTier === 'archive',
        // The size of the volume it was made from (a copy: of its original's volume).
        sizeGiB: snapshot.VolumeSize,
    };
}


/***/ })

};
