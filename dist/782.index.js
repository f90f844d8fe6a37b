export const id = 782;
export const ids = [782];
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

/***/ 3782:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   rdsClusterAdapter: () => (/* binding */ rdsClusterAdapter),
/* harmony export */   rdsClusterFlavor: () => (/* binding */ rdsClusterFlavor)
/* harmony export */ });
/* harmony import */ var _aws_sdk_client_rds__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7202);
/* harmony import */ var _rds_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6160);
/** `rds-cluster`: manual DB cluster snapshots of Aurora clusters (CreateDBClusterSnapshot). */


const snapshot = (s) => ({
    id: s.DBClusterSnapshotIdentifier,
    status: s.Status,
    createdAt: s.SnapshotCreateTime,
    tags: s.TagList,
    arn: s.DBClusterSnapshotArn,
    encrypted: s.StorageEncrypted,
    madeFrom: s.DBClusterIdentifier,
    copiedFrom: s.SourceDBClusterSnapshotArn,
    // Aurora's storage is not fixed: AWS documents its AllocatedStorage as always 1 (0 in some
    // answers), never the data's size. A Multi-AZ DB cluster's (MySQL, PostgreSQL) is its storage.
    sizeGiB: s.Engine?.startsWith('aurora') ? undefined : s.AllocatedStorage,
});
const rdsClusterFlavor = {
    type: 'rds-cluster',
    sourceNoun: 'DB cluster',
    snapshotNoun: 'DB cluster snapshot',
    idFilter: 'db-cluster-id',
    maxIdentifierLength: 63,
    quotaName: 'ManualClusterSnapshots',
    snapshotNotFound: 'DBClusterSnapshotNotFound',
    snapshotExists: 'DBClusterSnapshotAlreadyExistsFault',
    async *sources(client, filters) {
        for await (const page of (0,_aws_sdk_client_rds__WEBPACK_IMPORTED_MODULE_1__/* .paginateDescribeDBClusters */ .cbb)({ client }, { Filters: filters })) {
            yield (page.DBClusters ?? []).map((cluster) => ({
                id: cluster.DBClusterIdentifier,
                status: cluster.Status,
                tags: cluster.TagList,
                encrypted: cluster.StorageEncrypted,
            }));
        }
    },
    async *manualSnapshots(client) {
        // Manual only: automated and AWS Backup snapshots are never listed, so never touched.
        const pages = (0,_aws_sdk_client_rds__WEBPACK_IMPORTED_MODULE_1__/* .paginateDescribeDBClusterSnapshots */ .G8v)({ client, pageSize: 100 }, { SnapshotType: 'manual' });
        for await (const page of pages)
            yield (page.DBClusterSnapshots ?? []).map(snapshot);
    },
    async *snapshotsNamed(client, ids, signal) {
        // No SnapshotType: manual and automated, as a describe by identifier reads them.
        const pages = (0,_aws_sdk_client_rds__WEBPACK_IMPORTED_MODULE_1__/* .paginateDescribeDBClusterSnapshots */ .G8v)({ client, pageSize: 100 }, { Filters: [{ Name: 'db-cluster-snapshot-id', Values: ids }] }, { abortSignal: signal });
        for await (const page of pages)
            yield (page.DBClusterSnapshots ?? []).map(snapshot);
    },
    async describeSnapshot(client, id, signal) {
        const answer = await client.send(new _aws_sdk_client_rds__WEBPACK_IMPORTED_MODULE_1__/* .DescribeDBClusterSnapshotsCommand */ .cWV({ DBClusterSnapshotIdentifier: id }), { abortSignal: signal });
        const found = answer.DBClusterSnapshots?.[0];
        return found ? snapshot(found) : undefined;
    },
    async createSnapshot(client, { id, sourceId, tags }, signal) {
        const answer = await client.send(new _aws_sdk_client_rds__WEBPACK_IMPORTED_MODULE_1__/* .CreateDBClusterSnapshotCommand */ .Iv4({
            DBClusterSnapshotIdentifier: id,
            DBClusterIdentifier: sourceId,
            Tags: tags,
        }), { abortSignal: signal });
        return answer.DBClusterSnapshot ? snapshot(answer.DBClusterSnapshot) : undefined;
    },
    async copySnapshot(client, { sourceArn, id, tags, kmsKeyId }, signal) {
        const answer = await client.send(new _aws_sdk_client_rds__WEBPACK_IMPORTED_MODULE_1__/* .CopyDBClusterSnapshotCommand */ .Xzo({
            SourceDBClusterSnapshotIdentifier: sourceArn,
            TargetDBClusterSnapshotIdentifier: id,
            Tags: tags,
            ...(kmsKeyId ? { KmsKeyId: kmsKeyId } : {}),
        }), { abortSignal: signal });
        return answer.DBClusterSnapshot ? snapshot(answer.DBClusterSnapshot) : undefined;
    },
    async deleteSnapshot(client, id, signal) {
        await client.send(new _aws_sdk_client_rds__WEBPACK_IMPORTED_MODULE_1__/* .DeleteDBClusterSnapshotCommand */ .fW3({ DBClusterSnapshotIdentifier: id }), {
            abortSignal: signal,
        });
    },
    problem(cluster) {
        if (cluster.status !== 'available') {
            return `${cluster.id} is '${cluster.status ?? 'unknown'}'; Aurora takes a cluster snapshot only of a cluster that is 'available', so a later run will try again.`;
        }
        return undefined;
    },
};
function rdsClusterAdapter(rds, region, options) {
    return new _rds_js__WEBPACK_IMPORTED_MODULE_0__/* .RdsAdapter */ .H(rds, region, rdsClusterFlavor, options);
}


/***/ }),

/***/ 6160:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  H: () => (/* binding */ RdsAdapter)
});

// EXTERNAL MODULE: ./src/clock.ts
var clock = __webpack_require__(9373);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-rds/dist-cjs/index.js
var dist_cjs = __webpack_require__(7202);
// EXTERNAL MODULE: ./src/constants.ts
var constants = __webpack_require__(7242);
// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(3916);
// EXTERNAL MODULE: ./src/naming.ts
var naming = __webpack_require__(8499);
// EXTERNAL MODULE: ./src/targets/tags.ts
var targets_tags = __webpack_require__(7913);
// EXTERNAL MODULE: ./src/targets/aws-call.ts
var aws_call = __webpack_require__(2836);
// EXTERNAL MODULE: ./src/chunks.ts
var chunks = __webpack_require__(6461);
;// CONCATENATED MODULE: ./src/targets/rds-flavor.ts
/**
 * The most values RDS takes in one describe filter. AWS documents no number; RDS refuses more than
 * 100 (`InvalidParameterCombination`: "Only up to 100 unique filter DB Cluster Identifiers may be
 * specified per filter"), as seen for DescribeDBClusters and its parameter filters.
 */
const RDS_FILTER_VALUES = 100;

;// CONCATENATED MODULE: ./src/targets/rds-sources.ts




/**
 * The sources among `ids` (at most RDS_FILTER_VALUES per filter; a filter returns what exists instead of failing)
 * and, when `tags` are given, every source carrying all of them (read once, matched in the answer).
 */
async function findRdsSources(rds, flavor, region, ids, tags) {
    const found = new Map();
    const wanted = Object.entries(tags);
    const collect = (filters, keep, what) => (0,aws_call/* awsCall */.u)(`Could not look up ${what} in ${region}`, async () => {
        for await (const page of flavor.sources(rds, filters)) {
            for (const raw of page) {
                if (!raw.id)
                    continue;
                const problem = flavor.problem(raw);
                const source = {
                    id: raw.id,
                    tags: (0,targets_tags/* fromAwsTags */.L0)(raw.tags),
                    ...(problem ? { problem } : {}),
                    ...(raw.encrypted !== undefined ? { encrypted: raw.encrypted } : {}),
                    ...(raw.optionGroup ? { optionGroup: raw.optionGroup } : {}),
                };
                if (keep(source))
                    found.set(source.id, source);
            }
        }
    });
    // A filter returns what exists instead of failing.
    for (const part of (0,chunks/* chunks */.V)(ids, RDS_FILTER_VALUES)) {
        await collect([{ Name: flavor.idFilter, Values: part }], () => true, part.join(', '));
    }
    if (wanted.length > 0) {
        // RDS cannot filter by tag: read every source once and match the tags in the answer.
        const matches = (source) => wanted.every(([key, value]) => source.tags[key] === value);
        await collect([], matches, `${flavor.sourceNoun}s by tags`);
    }
    return {
        found: [...found.values()].sort((a, b) => a.id.localeCompare(b.id)),
        missing: ids.filter((id) => !found.has(id)),
    };
}

;// CONCATENATED MODULE: ./src/targets/rds-snapshots.ts






class RdsSnapshotRecords {
    rds;
    flavor;
    region;
    clock;
    constructor(rds, flavor, region, clock) {
        this.rds = rds;
        this.flavor = flavor;
        this.region = region;
        this.clock = clock;
    }
    /**
     * The set's records of those of `ids` that exist (the batched describe of the waits): one call
     * per RDS_FILTER_VALUES identifiers and page, whatever the number of snapshots waited for. RDS
     * stores identifiers in lower case and compares filter values as given, so they are asked in
     * lower case and each record carries the identifier as it was asked for. `signal` goes with
     * every call.
     */
    async describeMany(ids, signal) {
        const asked = new Map(ids.map((id) => [id.toLowerCase(), id]));
        const found = [];
        for (const part of (0,chunks/* chunks */.V)([...asked.keys()], RDS_FILTER_VALUES)) {
            for await (const page of this.flavor.snapshotsNamed(this.rds, part, signal)) {
                for (const snapshot of page) {
                    const backup = this.toBackup(snapshot);
                    if (backup)
                        found.push({ ...backup, id: asked.get(backup.id.toLowerCase()) ?? backup.id });
                }
            }
        }
        return found;
    }
    /** The snapshot of that identifier, if any: `{ backup }`, undefined in it when none of the set's. */
    async byIdentifier(id, signal) {
        const snapshot = await this.read(id, signal);
        return snapshot ? { backup: this.toBackup(snapshot) } : undefined;
    }
    /** The record of a snapshot RDS has just accepted (created or copied) under `id`. */
    accepted(id, snapshot, tags) {
        const made = this.toBackup({
            id,
            status: snapshot?.status ?? 'creating',
            createdAt: snapshot?.createdAt,
            arn: snapshot?.arn,
            encrypted: snapshot?.encrypted,
            sizeGiB: snapshot?.sizeGiB,
            // The tags were set by this very call; an answer without them still names our snapshot.
            tags: snapshot?.tags?.length ? snapshot.tags : (0,targets_tags/* toAwsTags */.Ez)(tags),
        });
        if (!made)
            throw new errors/* TargetError */.I0(`RDS did not return the ${this.flavor.snapshotNoun} ${id}.`);
        return made;
    }
    /**
     * The set's record of a snapshot, or undefined when it is none of the set's. Beyond the tags (a
     * copy made by hand with `CopyTags` carries them all, and RDS names no source on a copy within
     * one region), the identifier must be the one the action gives: derived from set, source and
     * `created-at`, or for a copy the original's.
     */
    toBackup(snapshot) {
        const backup = (0,targets_tags/* ownedBackup */.Up)(this.flavor.type, this.region, this.clock, {
            id: snapshot.id,
            tags: snapshot.tags,
            state: snapshotState(snapshot.status),
            awsTime: snapshot.createdAt,
            stateMessage: `status ${snapshot.status}`,
            encrypted: snapshot.encrypted,
            arn: snapshot.arn,
            sizeGiB: snapshot.sizeGiB,
            madeFrom: snapshot.madeFrom,
            copiedFrom: snapshot.copiedFrom,
        });
        if (!backup)
            return undefined;
        const createdAt = new Date(backup.tags[constants/* TAGS */.gp.createdAt] ?? '');
        const expected = backup.copyOf
            ? backup.copyOf
            : !Number.isNaN(createdAt.getTime())
                ? (0,naming/* rdsSnapshotIdentifier */.z)(backup.set, backup.sourceId, createdAt, this.flavor.maxIdentifierLength)
                : undefined;
        return expected?.toLowerCase() === backup.id.toLowerCase() ? backup : undefined;
    }
    async read(id, signal) {
        try {
            return await this.flavor.describeSnapshot(this.rds, id, signal);
        }
        catch (error) {
            if ((0,errors/* hasAwsCode */.t6)(error, this.flavor.snapshotNotFound))
                return undefined;
            throw error;
        }
    }
}
/** RDS snapshot statuses as the core sees them; deleted ones no longer count. */
function snapshotState(status) {
    switch (status) {
        case 'available':
            return 'completed';
        case 'deleting':
        case 'deleted':
            return undefined;
        case 'failed':
        case 'error':
        case 'incompatible-restore':
        case 'incompatible-parameters':
            return 'failed';
        default:
            return 'pending';
    }
}

// EXTERNAL MODULE: ./src/targets/wait.ts
var wait = __webpack_require__(3241);
;// CONCATENATED MODULE: ./src/targets/rds.ts
/**
 * What `rds-instance` and `rds-cluster` share: one adapter over a small "flavor" that names the
 * calls of DB snapshots or of DB cluster snapshots. RDS has no server-side tag filter, so the set's
 * manual snapshots are found by listing manual snapshots once and reading the tags in the answer
 * (never one ListTagsForResource call per snapshot).
 */










class RdsAdapter {
    rds;
    region;
    flavor;
    options;
    type;
    clock;
    records;
    /** Every snapshot this adapter waits for (new or copied here), read by one describe a poll. */
    waits;
    /** A copy is made under its original's identifier (see copy()). */
    copiesNamedAfterOriginal = true;
    constructor(rds, region, flavor, options = {}) {
        this.rds = rds;
        this.region = region;
        this.flavor = flavor;
        this.options = options;
        this.type = flavor.type;
        this.records = new RdsSnapshotRecords(rds, flavor, region, options.clock ?? clock/* systemClock */.m);
        this.clock = options.clock ?? clock/* systemClock */.m;
        this.waits = (0,wait/* batchedWaits */.sF)((ids, signal) => this.records.describeMany(ids, signal), options, this.clock);
    }
    findSources(ids, tags) {
        return findRdsSources(this.rds, this.flavor, this.region, ids, tags);
    }
    /** RDS filters snapshots by no tag: the account's manual snapshots, kept by their tags here. */
    listBackups(set, sources) {
        const { rds, flavor } = this;
        const toBackup = (snapshot) => this.records.toBackup(snapshot);
        async function* pages() {
            for await (const page of flavor.manualSnapshots(rds))
                yield page.map(toBackup);
        }
        return (0,targets_tags/* collectSet */.pX)(pages(), set, `the manual ${flavor.snapshotNoun}s of backup set '${set}' in ${this.region}`, sources);
    }
    /**
     * The manual snapshot quota as RDS states it (DescribeAccountAttributes). Never a guess: the
     * account's quota may have been raised above AWS's default of 100, so when it cannot be read this
     * throws, the caller warns, and AWS's own `SnapshotQuotaExceeded` decides.
     */
    async quota() {
        const answer = await (0,aws_call/* awsCall */.u)(`Could not read the ${this.flavor.quotaName} quota in ${this.region}`, () => (this.options.quotaClient ?? this.rds).send(new dist_cjs/* DescribeAccountAttributesCommand */.zSg({})));
        const quota = answer.AccountQuotas?.find((q) => q.AccountQuotaName === this.flavor.quotaName);
        if (quota?.Used === undefined || quota.Max === undefined) {
            throw new errors/* TargetError */.I0(`RDS did not state the ${this.flavor.quotaName} quota in ${this.region}.`);
        }
        return { name: this.flavor.quotaName, used: Number(quota.Used), max: Number(quota.Max) };
    }
    async create({ source, set, tags, signal }) {
        if (signal?.aborted)
            throw new errors/* CancelledError */.cc();
        const createdAt = (0,targets_tags/* createdAtOf */.B7)(tags[constants/* TAGS */.gp.createdAt], undefined, this.clock);
        const id = (0,naming/* rdsSnapshotIdentifier */.z)(set, source.id, createdAt, this.flavor.maxIdentifierLength);
        const made = await (0,aws_call/* awsCall */.u)(`Could not create a ${this.flavor.snapshotNoun} of ${source.id}`, 
        // Tags given here replace RDS's own copying of the source's tags; the caller merged them in.
        async () => ({
            snapshot: await this.flavor.createSnapshot(this.rds, { id, sourceId: source.id, tags: (0,targets_tags/* toAwsTags */.Ez)(tags) }, signal),
        }), {
            signal,
            recover: (error) => this.adoptOn(error, id, tags, signal),
            refusal: (what, error) => this.failure(what, error),
        });
        return made.adopted ?? this.records.accepted(id, made.snapshot, tags);
    }
    /**
     * Identifiers are derived from set, source and time, so a request that the SDK sent again after
     * a lost answer (or a copy already made under the original's identifier) meets
     * `…AlreadyExists`: the snapshot of that identifier is adopted when its tags say it is this very
     * backup (same set, source, `created-at` and `copy-of`), never a second one made.
     */
    async adoptOn(error, id, tags, signal) {
        if (!(0,errors/* hasAwsCode */.t6)(error, this.flavor.snapshotExists))
            return undefined;
        const adopted = await (0,wait/* adoptRequested */.jI)(() => this.records.byIdentifier(id, signal), tags, this.options, signal);
        return adopted ? { adopted } : undefined;
    }
    /**
     * CopyDBSnapshot / CopyDBClusterSnapshot, called in this (the destination) region under the
     * original's identifier. The source is named by its ARN, from which the SDK presigns the request
     * for the source region (the v3 form of the other SDKs' `SourceRegion`).
     * An encrypted original needs a key of this region (checked before the run changes anything).
     */
    async copy({ original, tags, kmsKeyId, optionGroup, signal }) {
        if (signal?.aborted)
            throw new errors/* CancelledError */.cc();
        const what = `Could not copy ${this.flavor.snapshotNoun} ${original.id} to ${this.region}`;
        if (!original.arn)
            throw new errors/* TargetError */.I0(`${what}: RDS named no ARN for it.`);
        const sourceArn = original.arn;
        const made = await (0,aws_call/* awsCall */.u)(what, async () => ({
            snapshot: await this.flavor.copySnapshot(this.rds, {
                sourceArn,
                id: original.id,
                tags: (0,targets_tags/* toAwsTags */.Ez)(tags),
                ...(original.encrypted === true && kmsKeyId ? { kmsKeyId } : {}),
                ...(optionGroup ? { optionGroup } : {}),
            }, signal),
        }), {
            signal,
            recover: (error) => this.adoptOn(error, original.id, tags, signal),
            refusal: (failed, error) => (0,errors/* copySlotsRefusal */.v2)(failed, error) ?? this.failure(failed, error),
        });
        if (made.adopted)
            return made.adopted;
        // The flavor's mapping always has an `encrypted` key: undefined when RDS did not say.
        const encrypted = made.snapshot?.encrypted ?? original.encrypted;
        const sizeGiB = made.snapshot?.sizeGiB ?? original.sizeGiB;
        return this.records.accepted(original.id, { ...made.snapshot, encrypted, sizeGiB }, tags);
    }
    copySlots() {
        return 1;
    }
    /** A create or copy error as one sentence, with what to do about the usual causes. */
    failure(what, error) {
        let hint = '';
        if ((0,errors/* hasAwsCode */.t6)(error, 'SnapshotQuotaExceeded')) {
            hint = ` The account is at its manual snapshot quota in ${this.region}; delete old manual snapshots or ask AWS for a higher quota.`;
        }
        else if ((0,errors/* hasAwsCode */.t6)(error, this.flavor.snapshotExists)) {
            hint = ` Another ${this.flavor.snapshotNoun} in ${this.region} already has this identifier and is not one this backup set counts; rename or delete it.`;
        }
        return new errors/* TargetError */.I0(`${(0,errors/* describeAwsError */.Pp)(what, error)}${hint}`, { cause: error });
    }
    /**
     * Waits through one describe shared by every snapshot this adapter waits for (new or copied),
     * the first after the first delay: snapshots made within it are read together from then on.
     */
    waitUntilDone(backup, options) {
        if (backup.state === 'pending')
            this.waits.watch(backup.id);
        return (0,wait/* waitForBackup */.nB)(backup, options, {
            polling: this.options,
            describe: () => this.waits.describe(backup.id, options.signal),
            label: `${this.flavor.snapshotNoun} ${backup.id}`,
        });
    }
    async delete(backup, signal) {
        return (0,aws_call/* awsCall */.u)(`Could not delete ${this.flavor.snapshotNoun} ${backup.id}`, async () => {
            await this.flavor.deleteSnapshot(this.rds, backup.id, signal);
            return { result: 'deleted' };
        }, {
            signal,
            recover: (error) => {
                if ((0,errors/* hasAwsCode */.t6)(error, this.flavor.snapshotNotFound))
                    return { result: 'already-gone' };
                if ((0,errors/* hasAwsCode */.t6)(error, 'InvalidDBSnapshotState', 'InvalidDBClusterSnapshotStateFault')) {
                    return {
                        result: 'skipped',
                        message: `${backup.id} cannot be deleted in its current state (for example while it is copied); left for a later run.`,
                    };
                }
                return undefined;
            },
        });
    }
}


/***/ })

};
