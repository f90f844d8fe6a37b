export const id = 97;
export const ids = [97];
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

/***/ 6097:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   EbsVolumeAdapter: () => (/* binding */ EbsVolumeAdapter),
/* harmony export */   VOLUMES: () => (/* binding */ VOLUMES)
/* harmony export */ });
/* harmony import */ var _clock_js__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(9373);
/* harmony import */ var _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_9__ = __webpack_require__(5193);
/* harmony import */ var _constants_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7242);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3916);
/* harmony import */ var _sleep_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(5613);
/* harmony import */ var _aws_call_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(2836);
/* harmony import */ var _chunks_js__WEBPACK_IMPORTED_MODULE_10__ = __webpack_require__(6461);
/* harmony import */ var _ec2_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(9984);
/* harmony import */ var _ec2_sources_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(567);
/* harmony import */ var _tags_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(7913);
/* harmony import */ var _wait_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(3241);
/**
 * `ebs-volume`: EBS snapshots of volumes. Create with tags at creation, wait with the SDK waiter,
 * list the set once with a server-side tag filter, delete one snapshot at a time.
 */











const RATE_LIMIT_ATTEMPTS = 4;
class EbsVolumeAdapter {
    ec2;
    region;
    type = 'ebs-volume';
    polling;
    sleep;
    clock;
    rateLimitBackoffMs;
    waits;
    /** Snapshots whose CreateSnapshot the SDK sent more than once (a lost answer, then a retry). */
    retried = new Set();
    constructor(ec2, region, options = {}) {
        this.ec2 = ec2;
        this.region = region;
        this.polling = options;
        this.sleep = options.sleep ?? _sleep_js__WEBPACK_IMPORTED_MODULE_2__/* .sleep */ .yy;
        this.rateLimitBackoffMs = options.rateLimitBackoffMs ?? 15_000;
        this.clock = options.clock ?? _clock_js__WEBPACK_IMPORTED_MODULE_8__/* .systemClock */ .m;
        this.waits = (0,_wait_js__WEBPACK_IMPORTED_MODULE_7__/* .batchedWaits */ .sF)((ids, signal) => this.describeMany(ids, signal), options, this.clock);
    }
    findSources(ids, tags) {
        return (0,_ec2_sources_js__WEBPACK_IMPORTED_MODULE_5__/* .findEc2Sources */ .G)(this.ec2, this.region, VOLUMES, ids, tags);
    }
    listBackups(set, sources) {
        const ec2 = this.ec2;
        const toBackup = (snapshot) => this.toBackup(snapshot);
        async function* pages() {
            for (const Filters of (0,_ec2_js__WEBPACK_IMPORTED_MODULE_4__/* .listingFilters */ .U6)(set, sources)) {
                const paginator = (0,_aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_9__/* .paginateDescribeSnapshots */ .CdA)({ client: ec2, pageSize: 1000 }, { OwnerIds: ['self'], Filters });
                for await (const page of paginator)
                    yield (page.Snapshots ?? []).map(toBackup);
            }
        }
        return (0,_tags_js__WEBPACK_IMPORTED_MODULE_6__/* .collectSet */ .pX)(pages(), set, `the snapshots of backup set '${set}' in ${this.region}`, sources);
    }
    async create({ source, set, tags, signal }) {
        const command = new _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_9__/* .CreateSnapshotCommand */ .gOh({
            VolumeId: source.id,
            Description: `snapshot-rotation backup-set=${set} source=${source.id}`,
            TagSpecifications: [{ ResourceType: 'snapshot', Tags: (0,_tags_js__WEBPACK_IMPORTED_MODULE_6__/* .toAwsTags */ .Ez)(tags) }],
        });
        let waitedMs = 0;
        for (let attempt = 1;; attempt += 1) {
            if (signal?.aborted)
                throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .CancelledError */ .cc();
            try {
                const snapshot = await this.ec2.send(command, { abortSignal: signal });
                // The tags were set by this very call; an answer without them still names our snapshot.
                const backup = this.toBackup({
                    ...snapshot,
                    Tags: snapshot.Tags?.length ? snapshot.Tags : (0,_tags_js__WEBPACK_IMPORTED_MODULE_6__/* .toAwsTags */ .Ez)(tags),
                });
                if (!backup)
                    throw new Error(`CreateSnapshot returned no snapshot id for ${source.id}`);
                // CreateSnapshot takes no idempotency token: an attempt whose answer was lost may have
                // made a snapshot too, found by strays() once this one is done.
                if ((snapshot.$metadata?.attempts ?? 1) > 1)
                    this.retried.add(backup.id);
                return backup;
            }
            catch (error) {
                if (signal?.aborted)
                    throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .CancelledError */ .cc();
                const code = (0,_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .awsErrorCode */ .J6)(error);
                // Per-volume limits, which the SDK does not retry: waited out a few times, then this
                // volume alone is reported (its earlier snapshots may take hours to finish).
                const perVolume = code === 'SnapshotCreationPerVolumeRateExceeded' ||
                    code === 'ConcurrentSnapshotLimitExceeded';
                if (perVolume && attempt < RATE_LIMIT_ATTEMPTS) {
                    await this.sleep(this.rateLimitBackoffMs * attempt, signal);
                    waitedMs += this.rateLimitBackoffMs * attempt;
                    continue;
                }
                if (code === 'ConcurrentSnapshotLimitExceeded') {
                    throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .TargetError */ .I0(`Could not snapshot ${source.id}: too many snapshots of this volume are still in progress (ConcurrentSnapshotLimitExceeded, after waiting ${Math.round(waitedMs / 1000)} s); a later run will try again.`, { cause: error });
                }
                throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .TargetError */ .I0((0,_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .describeAwsError */ .Pp)(`Could not snapshot ${source.id}`, error), {
                    cause: error,
                });
            }
        }
    }
    /**
     * CopySnapshot, called in this (the destination) region; the SDK presigns the request for the
     * source region. An encrypted snapshot is copied with the given key, else the region's default.
     */
    async copy({ original, tags, kmsKeyId, signal }) {
        if (signal?.aborted)
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .CancelledError */ .cc();
        const encrypted = original.encrypted === true;
        const what = `Could not copy snapshot ${original.id} to ${this.region}`;
        return (0,_aws_call_js__WEBPACK_IMPORTED_MODULE_3__/* .awsCall */ .u)(what, async () => {
            const answer = await this.ec2.send(new _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_9__/* .CopySnapshotCommand */ .DLx({
                SourceRegion: original.region,
                SourceSnapshotId: original.id,
                Description: `snapshot-rotation copy of ${original.id} from ${original.region} (source=${original.sourceId})`,
                ...(encrypted && kmsKeyId ? { Encrypted: true, KmsKeyId: kmsKeyId } : {}),
                TagSpecifications: [{ ResourceType: 'snapshot', Tags: (0,_tags_js__WEBPACK_IMPORTED_MODULE_6__/* .toAwsTags */ .Ez)(tags) }],
            }), { abortSignal: signal });
            const copy = (0,_tags_js__WEBPACK_IMPORTED_MODULE_6__/* .acceptedCopy */ .rP)(this.type, this.region, answer.SnapshotId, tags, original, this.clock);
            // CopySnapshot takes no idempotency token either: see strays().
            if ((answer.$metadata?.attempts ?? 1) > 1)
                this.retried.add(copy.id);
            return copy;
        }, { signal, refusal: _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .copySlotsRefusal */ .v2 });
    }
    copySlots() {
        return 1;
    }
    /**
     * Waits through one describe shared by every snapshot this adapter waits for (new or copied),
     * the first after the first delay: snapshots made within it are read together from then on.
     */
    waitUntilDone(backup, options) {
        if (backup.state === 'pending')
            this.waits.watch(backup.id);
        return (0,_wait_js__WEBPACK_IMPORTED_MODULE_7__/* .waitForBackup */ .nB)(backup, options, {
            polling: this.polling,
            describe: () => this.waits.describe(backup.id, options.signal),
            label: `snapshot ${backup.id}`,
        });
    }
    /** The snapshots that still exist among `ids`, read by a `snapshot-id` filter of ≤200 values. */
    async describeMany(ids, signal) {
        const found = [];
        for (const part of (0,_chunks_js__WEBPACK_IMPORTED_MODULE_10__/* .chunks */ .V)(ids, 200)) {
            const pages = (0,_aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_9__/* .paginateDescribeSnapshots */ .CdA)({ client: this.ec2, pageSize: 1000 }, { OwnerIds: ['self'], Filters: [{ Name: 'snapshot-id', Values: part }] }, { abortSignal: signal });
            for await (const page of pages) {
                for (const snapshot of page.Snapshots ?? []) {
                    const backup = this.toBackup(snapshot);
                    if (backup)
                        found.push(backup);
                }
            }
        }
        return found;
    }
    delete(backup, signal) {
        return (0,_ec2_js__WEBPACK_IMPORTED_MODULE_4__/* .deleteSnapshot */ .Cj)(this.ec2, backup.id, signal);
    }
    /**
     * The other snapshots a retried CreateSnapshot (or CopySnapshot) made: same set, source,
     * `created-at` and `copy-of` tags (the retry sends the very same tags), another id. No call at all
     * unless the request was sent more than once.
     */
    async strays(backup, signal) {
        const createdAt = backup.tags[_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .TAGS */ .gp.createdAt];
        if (!this.retried.has(backup.id) || !createdAt)
            return [];
        const found = [];
        const retried = backup.copyOf ? 'copy' : 'create';
        await (0,_aws_call_js__WEBPACK_IMPORTED_MODULE_3__/* .awsCall */ .u)(`Could not look for duplicates of ${backup.id} after a retried ${retried}`, async () => {
            const pages = (0,_aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_9__/* .paginateDescribeSnapshots */ .CdA)({ client: this.ec2, pageSize: 1000 }, {
                OwnerIds: ['self'],
                Filters: [
                    { Name: `tag:${_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .TAGS */ .gp.backupSet}`, Values: [backup.set] },
                    { Name: `tag:${_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .TAGS */ .gp.createdAt}`, Values: [createdAt] },
                ],
            }, { abortSignal: signal });
            for await (const page of pages) {
                for (const snapshot of page.Snapshots ?? []) {
                    const other = this.toBackup(snapshot);
                    // A twin of a backup is no copy; a twin of a copy is a copy of the same original.
                    const twin = other &&
                        other.id !== backup.id &&
                        other.sourceId === backup.sourceId &&
                        other.copyOf === backup.copyOf;
                    if (twin)
                        found.push(other);
                }
            }
        }, { signal });
        return found;
    }
    toBackup(snapshot) {
        return (0,_tags_js__WEBPACK_IMPORTED_MODULE_6__/* .ownedBackup */ .Up)(this.type, this.region, this.clock, {
            ...(0,_ec2_js__WEBPACK_IMPORTED_MODULE_4__/* .rawSnapshot */ .$n)(snapshot),
            // A copy's VolumeId is a placeholder (vol-ffffffff): a copy is only the set's by `copy-of`.
            madeFrom: snapshot.VolumeId,
        });
    }
}
const VOLUMES = {
    idFilter: 'volume-id',
    noun: 'volumes',
    async *pages(ec2, filters) {
        for await (const page of (0,_aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_9__/* .paginateDescribeVolumes */ .cpp)({ client: ec2 }, { Filters: filters })) {
            yield (page.Volumes ?? []).map((volume) => ({
                id: volume.VolumeId,
                tags: volume.Tags,
                // Where a quiesce command runs (a Multi-Attach volume: its first instance).
                instanceId: volume.Attachments?.find((a) => a.State === 'attached')?.InstanceId,
            }));
        }
    },
};


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
