export const id = 594;
export const ids = [594];
export const modules = {

/***/ 2836:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   u: () => (/* binding */ awsCall)
/* harmony export */ });
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3916);
/**
 * The one way the adapters call AWS: a call made for a cancelled run is a CancelledError, an
 * error the caller can turn into a result is (`recover`), and any other becomes one TargetError
 * sentence that starts with what failed and names the IAM action where AWS refused one.
 */

/** Runs `call`; see the module's comment for what becomes of its errors. */
async function awsCall(what, call, { signal, recover, refusal } = {}) {
    try {
        return await call();
    }
    catch (error) {
        if (signal?.aborted)
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .CancelledError */ .cc();
        if (error instanceof _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .TargetError */ .I0 || error instanceof _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .CancelledError */ .cc)
            throw error;
        const recovered = recover ? await recover(error) : undefined;
        if (recovered !== undefined)
            return recovered;
        throw (refusal?.(what, error) ?? new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .TargetError */ .I0((0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .describeAwsError */ .Pp)(what, error), { cause: error }));
    }
}


/***/ }),

/***/ 7594:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   createAdapter: () => (/* binding */ createAdapter),
/* harmony export */   createQuiescer: () => (/* binding */ createQuiescer),
/* harmony export */   loadAdapterFactory: () => (/* binding */ loadAdapterFactory),
/* harmony export */   scaledDelays: () => (/* binding */ scaledDelays)
/* harmony export */ });
/* harmony import */ var _clock_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(9373);
/* harmony import */ var _wait_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3241);
/**
 * The adapter for each target type. Each type's adapter and its AWS SDK client are loaded on
 * demand (`import()`; separate chunks of the bundle), so a run loads only its own type's: an
 * `ebs-volume` run never loads the RDS, S3 or SSM clients. This table is itself loaded on demand
 * (main.ts, post-step.ts): a run that exits on an input error loads none of it.
 */


/**
 * Loads the modules of the run's target type (its adapter and SDK client, and SSM's when the
 * inputs quiesce) and resolves with the maker of its adapters, which makes them without waiting.
 */
async function loadAdapterFactory(config, clock = _clock_js__WEBPACK_IMPORTED_MODULE_1__/* .systemClock */ .m, files = {}) {
    const [adapterIn, quiescerIn] = await Promise.all([
        adapterMaker(config, clock, files),
        // Quiescing runs at home only (inputs refuse it for the types without an instance).
        config.quiesce ? quiescerMaker(config, clock) : undefined,
    ]);
    return (region) => {
        const adapter = adapterIn(region);
        if (quiescerIn && region === config.region)
            adapter.quiescer = quiescerIn(region);
        return adapter;
    };
}
/** The adapter of the run's target type in `region`: the source region, or a copy destination. */
async function createAdapter(config, region = config.region, clock = _clock_js__WEBPACK_IMPORTED_MODULE_1__/* .systemClock */ .m, files = {}) {
    return (await loadAdapterFactory(config, clock, files))(region);
}
/** The SSM quiescer of a region: the adapter's, and the post step's backstop (`backstop.ts`). */
async function createQuiescer(config, region, clock = _clock_js__WEBPACK_IMPORTED_MODULE_1__/* .systemClock */ .m) {
    return (await quiescerMaker(config, clock))(region);
}
async function quiescerMaker(config, clock) {
    const [{ ssmClient }, { SsmQuiescer }] = await Promise.all([
        Promise.all(/* import() */[__webpack_require__.e(861), __webpack_require__.e(736), __webpack_require__.e(166)]).then(__webpack_require__.bind(__webpack_require__, 3166)),
        Promise.all(/* import() */[__webpack_require__.e(861), __webpack_require__.e(736), __webpack_require__.e(551)]).then(__webpack_require__.bind(__webpack_require__, 4551)),
    ]);
    return (region) => new SsmQuiescer(ssmClient(region), region, { clock, pollMs: 1_000 * config.timeScale });
}
async function adapterMaker(config, clock, files) {
    const delays = { ...scaledDelays(config.timeScale), clock };
    switch (config.targetType) {
        case 'ebs-volume': {
            const [{ ec2Client }, { EbsVolumeAdapter }] = await Promise.all([
                Promise.all(/* import() */[__webpack_require__.e(861), __webpack_require__.e(193), __webpack_require__.e(713)]).then(__webpack_require__.bind(__webpack_require__, 5713)),
                Promise.all(/* import() */[__webpack_require__.e(861), __webpack_require__.e(193), __webpack_require__.e(97)]).then(__webpack_require__.bind(__webpack_require__, 6097)),
            ]);
            return (region) => new EbsVolumeAdapter(ec2Client(region), region, delays);
        }
        case 'ec2-image': {
            const [{ ec2Client }, { Ec2ImageAdapter }, { IN_USE_RETRY_SECONDS }] = await Promise.all([
                Promise.all(/* import() */[__webpack_require__.e(861), __webpack_require__.e(193), __webpack_require__.e(713)]).then(__webpack_require__.bind(__webpack_require__, 5713)),
                Promise.all(/* import() */[__webpack_require__.e(861), __webpack_require__.e(193), __webpack_require__.e(109)]).then(__webpack_require__.bind(__webpack_require__, 1109)),
                Promise.all(/* import() */[__webpack_require__.e(861), __webpack_require__.e(193), __webpack_require__.e(159)]).then(__webpack_require__.bind(__webpack_require__, 2159)),
            ]);
            return (region) => new Ec2ImageAdapter(ec2Client(region), region, {
                ...delays,
                inUseRetrySeconds: IN_USE_RETRY_SECONDS * config.timeScale,
                noReboot: config.noReboot,
            });
        }
        case 'ec2-instance': {
            const [{ ec2Client }, { Ec2InstanceAdapter }] = await Promise.all([
                Promise.all(/* import() */[__webpack_require__.e(861), __webpack_require__.e(193), __webpack_require__.e(713)]).then(__webpack_require__.bind(__webpack_require__, 5713)),
                Promise.all(/* import() */[__webpack_require__.e(861), __webpack_require__.e(193), __webpack_require__.e(31)]).then(__webpack_require__.bind(__webpack_require__, 5031)),
            ]);
            return (region) => new Ec2InstanceAdapter(ec2Client(region), region, {
                ...delays,
                ...(config.instance ? { exclude: config.instance } : {}),
            });
        }
        case 'rds-instance': {
            const [{ rdsClient }, { rdsInstanceAdapter }] = await Promise.all([
                Promise.all(/* import() */[__webpack_require__.e(861), __webpack_require__.e(202), __webpack_require__.e(44)]).then(__webpack_require__.bind(__webpack_require__, 1044)),
                Promise.all(/* import() */[__webpack_require__.e(861), __webpack_require__.e(202), __webpack_require__.e(189)]).then(__webpack_require__.bind(__webpack_require__, 189)),
            ]);
            return (region) => rdsInstanceAdapter(rdsClient(region), region, {
                ...delays,
                quotaClient: rdsClient(region, 2),
            });
        }
        case 'rds-cluster': {
            const [{ rdsClient }, { rdsClusterAdapter }] = await Promise.all([
                Promise.all(/* import() */[__webpack_require__.e(861), __webpack_require__.e(202), __webpack_require__.e(44)]).then(__webpack_require__.bind(__webpack_require__, 1044)),
                Promise.all(/* import() */[__webpack_require__.e(861), __webpack_require__.e(202), __webpack_require__.e(782)]).then(__webpack_require__.bind(__webpack_require__, 3782)),
            ]);
            return (region) => rdsClusterAdapter(rdsClient(region), region, {
                ...delays,
                quotaClient: rdsClient(region, 2),
            });
        }
        case 'files':
            return filesMaker(config, clock, files);
    }
}
async function filesMaker(config, clock, { scan, log }) {
    const files = config.files;
    const fileSet = config.resourceIds[0];
    if (!files || !fileSet)
        throw new Error("'target-type: files' needs its inputs read first.");
    const [{ s3Client }, { FilesAdapter }, { S3Store }] = await Promise.all([
        Promise.all(/* import() */[__webpack_require__.e(861), __webpack_require__.e(711), __webpack_require__.e(841)]).then(__webpack_require__.bind(__webpack_require__, 3841)),
        __webpack_require__.e(/* import() */ 984).then(__webpack_require__.bind(__webpack_require__, 7984)),
        Promise.all(/* import() */[__webpack_require__.e(861), __webpack_require__.e(711), __webpack_require__.e(622)]).then(__webpack_require__.bind(__webpack_require__, 6622)),
    ]);
    return (region) => new FilesAdapter(new S3Store(s3Client(region), files.bucket), region, files, config.backupSet, fileSet, scan, { clock, concurrency: config.concurrency, log: log ?? (() => { }) });
}
/**
 * Every delay the adapters wait out by themselves, at AWS's pace times `scale` (1 on AWS; lower
 * against an emulator, see `SNAPSHOT_ROTATION_TIME_SCALE`). The AMI adapter's wait for a snapshot
 * still in use is scaled where that adapter is loaded.
 */
function scaledDelays(scale) {
    return {
        minDelaySeconds: 15 * scale,
        maxDelaySeconds: 120 * scale,
        visibilityGraceSeconds: _wait_js__WEBPACK_IMPORTED_MODULE_0__/* .VISIBILITY_GRACE_SECONDS */ .eI * scale,
        rateLimitBackoffMs: 15_000 * scale,
    };
}


/***/ }),

/***/ 7913:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   B7: () => (/* binding */ createdAtOf),
/* harmony export */   B8: () => (/* binding */ isRequestedBackup),
/* harmony export */   Ez: () => (/* binding */ toAwsTags),
/* harmony export */   L0: () => (/* binding */ fromAwsTags),
/* harmony export */   Up: () => (/* binding */ ownedBackup),
/* harmony export */   pX: () => (/* binding */ collectSet),
/* harmony export */   rP: () => (/* binding */ acceptedCopy)
/* harmony export */ });
/* harmony import */ var _constants_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7242);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3916);
/* harmony import */ var _aws_call_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(2836);



function fromAwsTags(tags) {
    const record = {};
    for (const { Key, Value } of tags ?? [])
        if (Key !== undefined)
            record[Key] = Value ?? '';
    return record;
}
function toAwsTags(record) {
    return Object.entries(record).map(([Key, Value]) => ({ Key, Value }));
}
/**
 * The age reference of a backup: the `created-at` tag when valid, else AWS's time. With neither
 * (AWS always sends one) it counts as brand new, so that an unknown age never gets a backup deleted.
 */
function createdAtOf(tagValue, awsTime, now) {
    const tagged = tagValue ? new Date(tagValue) : undefined;
    // A tag later than AWS's own creation time (a typo, a clock far off) would make the backup look
    // newest forever and stop min-interval from ever creating again: AWS's time wins then.
    const future = tagged && awsTime && tagged.getTime() > awsTime.getTime() + CLOCK_SKEW_MS;
    if (tagged && !Number.isNaN(tagged.getTime()) && !future)
        return tagged;
    return awsTime ?? now();
}
/** How far a `created-at` tag may run ahead of AWS's creation time (clocks differ a little). */
const CLOCK_SKEW_MS = 15 * 60_000;
/**
 * The normalized record of a backup that carries both ownership tags (DESIGN §4), or undefined for
 * anything else: a backup without them is never counted, so never deleted.
 *
 * Tags can be copied: a person copying one of the set's snapshots (in the console, `CopyImage`
 * with `CopyImageTags`, `CopyDBSnapshot` with `CopyTags`) makes a backup that carries the set's tags
 * but that the action never made. Where AWS says what a backup was made or copied from, that must
 * agree with the tags: made from the tagged source, and not a copy unless the action's own
 * `copy-of` tag says so. Anything else is not the set's, whatever its tags say.
 */
function ownedBackup(kind, region, now, raw) {
    const tags = fromAwsTags(raw.tags);
    const sourceId = tags[_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .TAGS */ .gp.source];
    const set = tags[_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .TAGS */ .gp.backupSet];
    if (!raw.id || !sourceId || !set || !raw.state)
        return undefined;
    if (!tags[_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .TAGS */ .gp.copyOf]) {
        if (raw.copiedFrom)
            return undefined;
        if (raw.madeFrom && raw.madeFrom.toLowerCase() !== sourceId.toLowerCase())
            return undefined;
    }
    return {
        id: raw.id,
        kind,
        region,
        sourceId,
        set,
        createdAt: createdAtOf(tags[_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .TAGS */ .gp.createdAt], raw.awsTime, now),
        state: raw.state,
        ...(raw.state === 'failed' && raw.stateMessage ? { stateMessage: raw.stateMessage } : {}),
        tags,
        ...(tags[_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .TAGS */ .gp.copyOf] ? { copyOf: tags[_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .TAGS */ .gp.copyOf] } : {}),
        ...(tags[_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .TAGS */ .gp.sourceRegion] ? { sourceRegion: tags[_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .TAGS */ .gp.sourceRegion] } : {}),
        ...(raw.encrypted !== undefined ? { encrypted: raw.encrypted } : {}),
        ...(raw.arn ? { arn: raw.arn } : {}),
        ...(raw.archived ? { archived: true } : {}),
        ...(raw.sizeGiB !== undefined && raw.sizeGiB > 0 ? { sizeGiB: raw.sizeGiB } : {}),
    };
}
/**
 * The record of a copy that AWS has just accepted: pending, in `region`, owned through the tags it
 * was given (the original's `created-at` is its age). A copy is as large as its original: EC2's copy
 * calls answer with an id alone, so the original's size is the copy's.
 */
function acceptedCopy(kind, region, id, tags, original, now) {
    const copy = ownedBackup(kind, region, now, {
        id,
        tags: toAwsTags(tags),
        state: 'pending',
        awsTime: undefined,
        encrypted: original.encrypted,
        sizeGiB: original.sizeGiB,
    });
    if (!copy)
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .TargetError */ .I0(`AWS accepted a copy into ${region} but named no copy id.`);
    return copy;
}
/**
 * Whether a backup found under the name a create or copy asked for is that very backup: the same
 * set, source, `created-at` (to the millisecond) and `copy-of` as the request's tags. Only then is
 * it adopted after `InvalidAMIName.Duplicate` or `…AlreadyExists`.
 */
function isRequestedBackup(backup, tags) {
    return (backup !== undefined &&
        backup.set === tags[_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .TAGS */ .gp.backupSet] &&
        backup.sourceId === tags[_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .TAGS */ .gp.source] &&
        backup.tags[_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .TAGS */ .gp.createdAt] === tags[_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .TAGS */ .gp.createdAt] &&
        backup.copyOf === tags[_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .TAGS */ .gp.copyOf]);
}
/**
 * Collects the set's backups from a listing's pages (with `sources`, every set's backups of those
 * sources: `listBackups`); a listing error becomes one sentence.
 */
async function collectSet(pages, set, what, sources) {
    const wanted = sources && new Set(sources.map((id) => id.toLowerCase()));
    const listed = (backup) => backup !== undefined &&
        (wanted ? wanted.has(backup.sourceId.toLowerCase()) : backup.set === set);
    const backups = [];
    await (0,_aws_call_js__WEBPACK_IMPORTED_MODULE_2__/* .awsCall */ .u)(`Could not list ${what}`, async () => {
        for await (const page of pages) {
            for (const backup of page)
                if (listed(backup))
                    backups.push(backup);
        }
    });
    return backups;
}


/***/ }),

/***/ 3241:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   de: () => (/* binding */ findWithin),
/* harmony export */   eI: () => (/* binding */ VISIBILITY_GRACE_SECONDS),
/* harmony export */   jI: () => (/* binding */ adoptRequested),
/* harmony export */   nB: () => (/* binding */ waitForBackup),
/* harmony export */   sF: () => (/* binding */ batchedWaits)
/* harmony export */ });
/* unused harmony exports freshFor, BatchedDescribe */
/* harmony import */ var _smithy_core_client__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(2658);
/* harmony import */ var _clock_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(9373);
/* harmony import */ var _duration_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7607);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3916);
/* harmony import */ var _sleep_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(5613);
/* harmony import */ var _tags_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(7913);
/**
 * Waiting for a new backup, shared by every adapter. The SDK's waiter engine does the polling
 * (backoff with jitter, deadline, abort signal); the acceptor is the adapter's own describe, so a
 * backup that fails or disappears ends the wait at once instead of at the timeout, as the SDK's
 * prebuilt waiters would (they retry on every describe error, not-found included). Every adapter
 * reads through one batched describe (`BatchedDescribe`), watching its backups from the start.
 */






/** AWS documents no bound for eventual consistency; minutes would already be far out of the ordinary. */
const VISIBILITY_GRACE_SECONDS = 300;
/**
 * Waits until the backup is completed or failed; throws a TargetError on timeout or a lost backup.
 * The first read comes after the first delay, not at once: AWS has just answered the backup
 * pending (its create or copy, or the listing, read it so), a read at once would only say so again
 * or, EC2 and RDS being eventually consistent, not find it yet; and a batched describe then reads
 * together every backup that its adapter has begun to wait for within that delay.
 */
async function waitForBackup(backup, { maxWaitSeconds, signal }, wait) {
    if (backup.state !== 'pending')
        return backup;
    const minDelay = wait.polling.minDelaySeconds ?? 15;
    const graceMs = (wait.polling.visibilityGraceSeconds ?? VISIBILITY_GRACE_SECONDS) * 1000;
    const clock = wait.polling.clock ?? _clock_js__WEBPACK_IMPORTED_MODULE_4__/* .systemClock */ .m;
    const started = clock().getTime();
    let last = backup;
    let lastError;
    // Until a describe has shown it once, a missing backup is one not visible yet, not one deleted.
    let seen = false;
    let unseenTooLong = false;
    let skip = true;
    const result = await (0,_smithy_core_client__WEBPACK_IMPORTED_MODULE_5__.createWaiter)({
        client: undefined,
        minDelay,
        maxDelay: wait.polling.maxDelaySeconds ?? 120,
        // The engine requires its budget to exceed its first delay; the caller's deadline still rules.
        maxWaitTime: Math.max(Math.ceil(maxWaitSeconds), minDelay + 1),
        ...(signal ? { abortSignal: signal } : {}),
    }, undefined, async () => {
        if (skip) {
            skip = false;
            return { state: _smithy_core_client__WEBPACK_IMPORTED_MODULE_5__.WaiterState.RETRY };
        }
        try {
            last = await wait.describe();
            lastError = undefined;
        }
        catch (error) {
            // A passing describe error (throttling beyond retries, a network blip) is polled again.
            lastError = error;
            return { state: _smithy_core_client__WEBPACK_IMPORTED_MODULE_5__.WaiterState.RETRY };
        }
        if (!last) {
            if (seen)
                return { state: _smithy_core_client__WEBPACK_IMPORTED_MODULE_5__.WaiterState.FAILURE };
            unseenTooLong = clock().getTime() - started >= graceMs;
            return { state: unseenTooLong ? _smithy_core_client__WEBPACK_IMPORTED_MODULE_5__.WaiterState.FAILURE : _smithy_core_client__WEBPACK_IMPORTED_MODULE_5__.WaiterState.RETRY };
        }
        seen = true;
        if (last.state === 'failed')
            return { state: _smithy_core_client__WEBPACK_IMPORTED_MODULE_5__.WaiterState.FAILURE };
        return { state: last.state === 'completed' ? _smithy_core_client__WEBPACK_IMPORTED_MODULE_5__.WaiterState.SUCCESS : _smithy_core_client__WEBPACK_IMPORTED_MODULE_5__.WaiterState.RETRY };
    });
    if (signal?.aborted || result.state === _smithy_core_client__WEBPACK_IMPORTED_MODULE_5__.WaiterState.ABORTED)
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .CancelledError */ .cc();
    const subject = `${wait.label.charAt(0).toUpperCase()}${wait.label.slice(1)} of ${backup.sourceId}`;
    switch (result.state) {
        case _smithy_core_client__WEBPACK_IMPORTED_MODULE_5__.WaiterState.SUCCESS:
            return last ?? { ...backup, state: 'completed' };
        case _smithy_core_client__WEBPACK_IMPORTED_MODULE_5__.WaiterState.FAILURE:
            if (last)
                return last;
            if (unseenTooLong) {
                throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .TargetError */ .I0(`${subject} was accepted by AWS but has not become visible in ${(0,_duration_js__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a3)(graceMs)}; it is left in place (if it exists) and later runs will count it.`);
            }
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .TargetError */ .I0(`${subject} disappeared while waiting for it.`);
        default:
            if (!seen && !lastError) {
                throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .TargetError */ .I0(`${subject} was accepted by AWS but did not become visible within ${(0,_duration_js__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a3)(maxWaitSeconds * 1000)} (wait-timeout); it is left in place (if it exists) and later runs will count it.`);
            }
            if (lastError !== undefined) {
                throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .TargetError */ .I0((0,_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .describeAwsError */ .Pp)(`Could not read ${wait.label} while waiting for it`, lastError), { cause: lastError });
            }
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .TargetError */ .I0(`${subject} did not complete within ${(0,_duration_js__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a3)(maxWaitSeconds * 1000)} (wait-timeout); it is left in place and later runs will count it once it completes.`);
    }
}
/**
 * How long one batched answer stands for the next poll of the same backup: a third of the shortest
 * polling delay, so that no waiter is ever handed the answer its previous poll already saw.
 */
function freshFor(polling) {
    return ((polling.minDelaySeconds ?? 15) * 1000) / 3;
}
/**
 * The batched describe of an adapter's waits, polled on its `polling` schedule and timed by its
 * clock (every EC2 and RDS adapter builds one).
 */
function batchedWaits(describeMany, polling, clock) {
    return new BatchedDescribe(describeMany, freshFor(polling), () => clock().getTime());
}
/**
 * One describe for every backup an adapter is waiting for, instead of one per backup: a fleet's
 * waits cost describe calls in proportion to the time spent waiting, not to the fleet's size. Each
 * waiter keeps the SDK waiter engine's own schedule; when it polls, a result read for it less than
 * `freshMs` ago is reused, else one batched describe reads every backup still being waited for.
 * A waiter whose signal fires stops waiting for the read at once; the read's own calls are
 * aborted once every waiter awaiting it has stopped (a waiter without a signal keeps them going).
 */
class BatchedDescribe {
    describeMany;
    freshMs;
    clock;
    watched = new Set();
    seen = new Map();
    refreshing;
    /**
     * @param describeMany reads the given backups (those it omits no longer exist)
     * @param freshMs how long a result stands for the next poll of the same backup
     */
    constructor(describeMany, freshMs = 5_000, clock = () => (0,_clock_js__WEBPACK_IMPORTED_MODULE_4__/* .systemClock */ .m)().getTime()) {
        this.describeMany = describeMany;
        this.freshMs = freshMs;
        this.clock = clock;
    }
    /** Reads `id` in every refresh from now on, before its waiter first asks for it. */
    watch(id) {
        this.watched.add(id);
    }
    /**
     * The backup's current state; undefined when it no longer exists. Rejects with a CancelledError
     * as soon as `signal` (the waiter's) fires.
     */
    async describe(id, signal) {
        if (signal?.aborted)
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .CancelledError */ .cc();
        const asked = this.clock();
        const known = this.seen.get(id);
        if (known && known.at >= asked - this.freshMs)
            return known.backup;
        for (;;) {
            // Watched again each time: a read under way when it was asked for may have found it finished
            // and stopped watching it, and only a read that began since answers.
            this.watched.add(id);
            // A read whose waiters all gave up is being aborted: a waiter still waiting starts another.
            if (!this.refreshing || this.refreshing.shared.signal.aborted)
                this.refreshing = this.start();
            const { done, shared } = this.refreshing;
            const leave = shared.join(signal);
            try {
                await (0,_sleep_js__WEBPACK_IMPORTED_MODULE_2__/* .abortable */ .ZC)(done, signal);
            }
            finally {
                leave();
            }
            // Only a refresh that read this backup, and began once it was asked for, answers; one that
            // was under way before may not have included it, and the loop starts another.
            const read = this.seen.get(id);
            if (read && read.at >= asked)
                return read.backup;
        }
    }
    start() {
        const shared = new _sleep_js__WEBPACK_IMPORTED_MODULE_2__/* .SharedSignal */ .I9();
        const made = {
            shared,
            done: this.refresh(shared.signal).finally(() => {
                if (this.refreshing === made)
                    this.refreshing = undefined;
            }),
        };
        return made;
    }
    async refresh(signal) {
        // Let every waiter polling in this same turn join the read before it is sent.
        await new Promise((resolve) => setImmediate(resolve));
        if (signal.aborted)
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .CancelledError */ .cc();
        const at = this.clock();
        const ids = [...this.watched];
        const found = new Map((await this.describeMany(ids, signal)).map((backup) => [backup.id, backup]));
        for (const id of ids) {
            const backup = found.get(id);
            this.seen.set(id, { at, backup });
            // A finished (or vanished) backup is not read again: its waiter stops at this answer.
            if (!backup || backup.state !== 'pending')
                this.watched.delete(id);
        }
    }
}
/**
 * Reads until `find` names the backup, for at most `graceSeconds`: a backup that AWS says exists
 * (`InvalidAMIName.Duplicate`, `DBSnapshotAlreadyExists`) may not be visible to describe calls yet.
 * Pauses double from a sixtieth of the grace. Undefined when it never showed.
 */
async function findWithin(find, graceSeconds, sleep, signal) {
    const budgetMs = graceSeconds * 1000;
    let pauseMs = Math.max(budgetMs / 60, 1);
    let waitedMs = 0;
    for (;;) {
        if (signal?.aborted)
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .CancelledError */ .cc();
        const found = await find();
        if (found !== undefined || waitedMs + pauseMs > budgetMs)
            return found;
        await sleep(pauseMs, signal);
        waitedMs += pauseMs;
        pauseMs *= 2;
    }
}
/**
 * The backup that a retried request already made, adopted instead of made twice. `read` looks up
 * the resource of the request's name or identifier: `{ backup }` when one exists (the set's record
 * of it, or undefined when it is none of the set's), undefined while none is visible; it is read
 * within the visibility grace. Adopted only when its tags say it is this very request.
 */
async function adoptRequested(read, tags, options, signal) {
    const found = await findWithin(read, options.visibilityGraceSeconds ?? VISIBILITY_GRACE_SECONDS, options.sleep ?? _sleep_js__WEBPACK_IMPORTED_MODULE_2__/* .sleep */ .yy, signal).catch(() => undefined);
    return (0,_tags_js__WEBPACK_IMPORTED_MODULE_3__/* .isRequestedBackup */ .B8)(found?.backup, tags) ? found.backup : undefined;
}


/***/ })

};
