export const id = 159;
export const ids = [159];
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
