export const id = 31;
export const ids = [31];
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

/***/ 5031:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  Ec2InstanceAdapter: () => (/* binding */ Ec2InstanceAdapter)
});

// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-ec2/dist-cjs/index.js
var dist_cjs = __webpack_require__(5193);
// EXTERNAL MODULE: ./src/clock.ts
var clock = __webpack_require__(9373);
// EXTERNAL MODULE: ./src/constants.ts
var constants = __webpack_require__(7242);
// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(3916);
// EXTERNAL MODULE: ./src/targets/aws-call.ts
var aws_call = __webpack_require__(2836);
// EXTERNAL MODULE: ./src/targets/ec2.ts
var targets_ec2 = __webpack_require__(9984);
;// CONCATENATED MODULE: ./src/targets/set-delete.ts


/**
 * Deletes every snapshot of the set. Gone ones count as done; one AWS refuses for a reason that
 * passes (in use, locked) is skipped and reported, and the others are still deleted. An error
 * fails the deletion after every member was tried.
 */
async function deleteSet(ec2, backup, signal) {
    const outcomes = [];
    let failure;
    for (const member of backup.members ?? []) {
        if (signal?.aborted)
            throw new errors/* CancelledError */.cc();
        try {
            outcomes.push(await (0,targets_ec2/* deleteSnapshot */.Cj)(ec2, member.id, signal));
        }
        catch (error) {
            if (error instanceof errors/* CancelledError */.cc)
                throw error;
            failure ??=
                error instanceof Error
                    ? error
                    : new errors/* TargetError */.I0(`Could not delete set ${backup.id}.`, { cause: error });
        }
    }
    if (failure)
        throw failure;
    const skipped = outcomes.filter((outcome) => outcome.result === 'skipped');
    if (skipped.length > 0) {
        return {
            result: 'skipped',
            message: `Set ${backup.id} is not deleted whole: ${skipped.map((outcome) => outcome.message).join(' ')}`,
            ...(skipped.every((outcome) => outcome.result === 'skipped' && outcome.inUse)
                ? { inUse: true }
                : {}),
        };
    }
    const gone = outcomes.every((outcome) => outcome.result === 'already-gone');
    return { result: gone ? 'already-gone' : 'deleted' };
}

// EXTERNAL MODULE: ./src/targets/ec2-instances.ts
var ec2_instances = __webpack_require__(5341);
// EXTERNAL MODULE: ./src/targets/ec2-sources.ts
var ec2_sources = __webpack_require__(567);
// EXTERNAL MODULE: ./src/chunks.ts
var chunks = __webpack_require__(6461);
// EXTERNAL MODULE: ./src/plan.ts
var plan = __webpack_require__(2464);
// EXTERNAL MODULE: ./src/targets/tags.ts
var targets_tags = __webpack_require__(7913);
;// CONCATENATED MODULE: ./src/targets/instance-sets.ts
/**
 * How the snapshots of `ec2-instance` read as backups: each snapshot is one member of a set (the
 * `set-id` tag), and a set is one backup, whose state is that of its weakest member.
 */







/** The tags only the set's members carry, beside those the core decided (3: id, size, device). */
const SET_TAGS = 3;
/** The id of the set an instance's snapshots at `createdAt` form: stable, one per instance and run. */
function setIdOf(instanceId, createdAt) {
    return `${instanceId}/${createdAt}`;
}
/**
 * The member record of one snapshot, or undefined for a snapshot that is not the set's: it needs
 * the ownership tags, and a `set-id` that is its own source's at its own `created-at` (so a set id
 * cannot be borrowed by a snapshot of another instance or time).
 */
function memberOf(region, clock, raw) {
    // The snapshot is made from a volume, not from the instance it names: no `madeFrom` check.
    const backup = (0,targets_tags/* ownedBackup */.Up)('ec2-instance', region, clock, { ...raw, madeFrom: undefined });
    if (!backup)
        return undefined;
    const setId = backup.tags[constants/* TAGS */.gp.setId];
    const createdAt = backup.tags[constants/* TAGS */.gp.createdAt];
    if (!setId || !createdAt || setId !== setIdOf(backup.sourceId, createdAt))
        return undefined;
    const size = Number(backup.tags[constants/* TAGS */.gp.setSize]);
    return {
        id: backup.id,
        state: backup.state,
        ...(backup.stateMessage ? { stateMessage: backup.stateMessage } : {}),
        backup,
        setId,
        setSize: Number.isInteger(size) && size > 0 ? size : undefined,
        device: backup.tags[constants/* TAGS */.gp.device] || undefined,
        volumeId: raw.volumeId,
    };
}
/**
 * The sets the members form, one backup each. Originals and copies are grouped apart (a copy keeps
 * its original's set id: `copy-of` tells them apart).
 */
function groupSets(members) {
    const groups = new Map();
    for (const member of members) {
        // Within one backup set: two sets' snapshots of one instance never make one backup.
        const key = `${member.backup.set}\u0000${member.setId}\u0000${member.backup.copyOf ?? ''}`;
        const group = groups.get(key);
        if (group)
            group.push(member);
        else
            groups.set(key, [member]);
    }
    return [...groups.values()].map((group) => setBackup(group));
}
/**
 * The set of `members` as one backup: the set's id, the tags every member shares (not the device),
 * and the state of its weakest member. `missing` names members known to exist but not read.
 */
function setBackup(members, missing = []) {
    const sorted = [...members].sort((a, b) => (a.device ?? a.id).localeCompare(b.device ?? b.id));
    const first = sorted[0];
    if (!first)
        throw new Error('A set has at least one member.');
    const { state, stateMessage } = setState(sorted, missing);
    const tags = { ...first.backup.tags };
    delete tags[constants/* TAGS */.gp.device];
    const common = { ...first.backup };
    delete common.stateMessage;
    delete common.encrypted;
    delete common.archived;
    delete common.sizeGiB;
    const sizeGiB = setSizeGiB(sorted);
    return {
        ...common,
        id: first.setId,
        tags,
        state,
        ...(stateMessage ? { stateMessage } : {}),
        ...(sorted.some((member) => member.backup.encrypted) ? { encrypted: true } : {}),
        ...(sorted.some((member) => member.backup.archived) ? { archived: true } : {}),
        ...(sizeGiB !== undefined ? { sizeGiB } : {}),
        members: sorted.map((member) => memberEntry(member)),
    };
}
/**
 * The set's size: the sum of its snapshots' volume sizes (`VolumeSize`, GiB), each volume counted
 * once (two snapshots of one volume, from a retried `CreateSnapshots`, are one volume of the set;
 * a copy's volume id is a placeholder, so its device tells its volume then). Undefined when a
 * member states no size: a part of the sum would understate the set.
 */
function setSizeGiB(members) {
    const sizes = new Map();
    for (const member of members) {
        const volume = member.backup.copyOf ? undefined : member.volumeId;
        sizes.set(volume ?? member.device ?? member.id, member.backup.sizeGiB);
    }
    let sum = 0;
    for (const size of sizes.values()) {
        if (size === undefined)
            return undefined;
        sum += size;
    }
    return sizes.size > 0 ? sum : undefined;
}
function memberEntry(member) {
    return {
        id: member.id,
        ...(member.device ? { device: member.device } : {}),
        state: member.state,
        ...(member.backup.encrypted !== undefined ? { encrypted: member.backup.encrypted } : {}),
    };
}
/**
 * A set is failed when a member failed or is missing (fewer snapshots than its `set-size`, or one
 * known to have been made that is gone), pending while a member is, else completed. Two snapshots of
 * one volume (a retried `CreateSnapshots`) count once: the better of the two.
 */
function setState(members, missing = []) {
    const best = new Map();
    const rank = { completed: 0, pending: 1, failed: 2 };
    for (const member of members) {
        const key = member.device ?? member.volumeId ?? member.id;
        const known = best.get(key);
        if (!known || rank[member.state] < rank[known.state])
            best.set(key, member);
    }
    const unique = [...best.values()];
    const failed = unique.filter((member) => member.state === 'failed');
    if (failed.length > 0) {
        const named = failed
            .map((m) => `${m.id}${m.device ? ` (${m.device})` : ''}${m.stateMessage ? `: ${m.stateMessage}` : ''}`)
            .join('; ');
        return { state: 'failed', stateMessage: `snapshot ${named} failed` };
    }
    if (unique.some((member) => member.state === 'pending'))
        return { state: 'pending' };
    if (missing.length > 0) {
        return { state: 'failed', stateMessage: `snapshot ${missing.join(', ')} of the set is gone` };
    }
    const size = members.find((member) => member.setSize !== undefined)?.setSize;
    if (size === undefined) {
        return {
            state: 'failed',
            stateMessage: 'the set does not say how many snapshots it has (no set-size tag)',
        };
    }
    if (unique.length < size) {
        return {
            state: 'failed',
            stateMessage: `only ${unique.length} of the set's ${size} snapshots exist`,
        };
    }
    return { state: 'completed' };
}
/** A snapshot of CreateSnapshots' answer, with the tags it was given. */
function fromInfo(info, tags) {
    return {
        SnapshotId: info.SnapshotId,
        VolumeId: info.VolumeId,
        State: info.State ?? 'pending',
        StartTime: info.StartTime,
        Encrypted: info.Encrypted,
        VolumeSize: info.VolumeSize,
        Tags: (0,targets_tags/* toAwsTags */.Ez)(tags),
    };
}
/**
 * The core's tags with the set's own, within AWS's 50 tags: the core's tags that are not the
 * action's give way (the last ones first), and are named in a warning. Room is kept for the device.
 */
function fitTags(tags, set, warn) {
    const entries = Object.entries(tags);
    const room = plan/* MAX_TAGS */.x3 - SET_TAGS;
    const over = entries.length - room;
    if (over <= 0)
        return { ...tags, ...set };
    const droppable = entries.filter(([key]) => !key.startsWith(constants/* TAG_PREFIX */.C_)).map(([key]) => key);
    const dropped = droppable.slice(-over);
    warn?.(`Not set on the set's snapshots (AWS allows 50 tags): ${dropped.join(', ')}.`);
    return {
        ...Object.fromEntries(entries.filter(([key]) => !dropped.includes(key))),
        ...set,
    };
}
/** The set's record of one member snapshot, as EC2 describes it; undefined when none of a set's. */
function memberOfSnapshot(region, clock, snapshot) {
    return memberOf(region, clock, { ...(0,targets_ec2/* rawSnapshot */.$n)(snapshot), volumeId: snapshot.VolumeId });
}
/**
 * The member snapshots that still exist among `ids` (a `snapshot-id` filter of ≤200 values);
 * `signal` goes with the calls.
 */
async function describeMembers(ec2, region, clock, ids, signal) {
    const found = [];
    for (const part of (0,chunks/* chunks */.V)(ids, 200)) {
        const pages = (0,dist_cjs/* paginateDescribeSnapshots */.CdA)({ client: ec2, pageSize: 1000 }, { OwnerIds: ['self'], Filters: [{ Name: 'snapshot-id', Values: part }] }, { abortSignal: signal });
        for await (const page of pages) {
            for (const snapshot of page.Snapshots ?? []) {
                const member = memberOfSnapshot(region, clock, snapshot);
                if (member)
                    found.push(member);
            }
        }
    }
    return found;
}
/** Names a snapshot's device (and, rarely, the set's true size) once the answer says it. */
async function tagMember(ec2, snapshotId, tags, signal) {
    await (0,aws_call/* awsCall */.u)(`Could not tag snapshot ${snapshotId} with its device`, () => ec2.send(new dist_cjs/* CreateTagsCommand */.RmG({ Resources: [snapshotId], Tags: (0,targets_tags/* toAwsTags */.Ez)(tags) }), {
        abortSignal: signal,
    }), { signal });
}

// EXTERNAL MODULE: ./src/targets/wait.ts
var wait = __webpack_require__(3241);
;// CONCATENATED MODULE: ./src/targets/ec2-instance.ts
/**
 * `ec2-instance`: all EBS volumes of an instance as one crash-consistent set of snapshots
 * (`CreateSnapshots` with an instance specification). The set is one backup: its id is the
 * `set-id` tag its snapshots share; it is kept, copied and deleted whole.
 */












/** A volume of the instance, as its block device mapping names it. */
class Ec2InstanceAdapter {
    ec2;
    region;
    type = 'ec2-instance';
    polling;
    clock;
    exclude;
    waits;
    constructor(ec2, region, options = {}) {
        this.ec2 = ec2;
        this.region = region;
        this.polling = options;
        this.clock = options.clock ?? clock/* systemClock */.m;
        this.exclude = options.exclude ?? { excludeBootVolume: false, excludeVolumeIds: [] };
        this.waits = (0,wait/* batchedWaits */.sF)((ids, signal) => describeMembers(this.ec2, this.region, this.clock, ids, signal), options, this.clock);
    }
    findSources(ids, tags) {
        return (0,ec2_sources/* findEc2Sources */.G)(this.ec2, this.region, ec2_instances/* INSTANCES */.j, ids, tags);
    }
    /**
     * Every snapshot of the set in one listing (server-side tag filters), grouped into sets; with
     * `sources`, every set's snapshots of those instances (`TargetAdapter.listBackups`).
     */
    async listBackups(set, sources) {
        const members = [];
        const wanted = sources && new Set(sources.map((id) => id.toLowerCase()));
        const listed = (member) => member !== undefined &&
            (wanted ? wanted.has(member.backup.sourceId.toLowerCase()) : member.backup.set === set);
        await (0,aws_call/* awsCall */.u)(`Could not list the snapshots of backup set '${set}' in ${this.region}`, async () => {
            for (const filters of (0,targets_ec2/* listingFilters */.U6)(set, sources)) {
                const pages = (0,dist_cjs/* paginateDescribeSnapshots */.CdA)({ client: this.ec2, pageSize: 1000 }, {
                    OwnerIds: ['self'],
                    Filters: [...filters, { Name: 'tag-key', Values: [constants/* TAGS */.gp.setId] }],
                });
                for await (const page of pages) {
                    for (const snapshot of page.Snapshots ?? []) {
                        const member = memberOfSnapshot(this.region, this.clock, snapshot);
                        if (listed(member))
                            members.push(member);
                    }
                }
            }
        });
        return groupSets(members);
    }
    /**
     * One `CreateSnapshots` for the instance: every volume at one point in time, tagged as the set
     * by the call itself. The device of each snapshot is known only from the answer (each names its
     * volume), so it is tagged after, with one `CreateTags` per snapshot.
     */
    async create({ source, tags, signal, warn }) {
        if (signal?.aborted)
            throw new errors/* CancelledError */.cc();
        const what = `Could not snapshot the volumes of ${source.id}`;
        const createdAt = tags[constants/* TAGS */.gp.createdAt];
        if (!createdAt)
            throw new Error(`The tags of a new backup of ${source.id} carry no created-at.`);
        const attached = await (0,ec2_instances/* attachedVolumes */.I)(this.ec2, this.region, source.id, signal);
        const included = attached.filter((volume) => !this.excluded(volume));
        if (included.length === 0) {
            throw new errors/* TargetError */.I0(`${what}: no volume is left to snapshot (${attached.length === 0 ? 'it has no EBS volume attached' : "all are excluded by 'exclude-boot-volume' or 'exclude-volume-ids'"}).`);
        }
        const setId = setIdOf(source.id, createdAt);
        const setTags = fitTags(tags, { [constants/* TAGS */.gp.setId]: setId, [constants/* TAGS */.gp.setSize]: String(included.length) }, warn);
        const boot = attached.find((volume) => volume.boot);
        const excludeBoot = boot !== undefined && this.excluded(boot);
        const excludeData = attached
            .filter((volume) => !volume.boot && this.excluded(volume))
            .map((volume) => volume.volumeId);
        const answer = await (0,aws_call/* awsCall */.u)(what, () => this.ec2.send(new dist_cjs/* CreateSnapshotsCommand */.N7v({
            InstanceSpecification: {
                InstanceId: source.id,
                ...(excludeBoot ? { ExcludeBootVolume: true } : {}),
                ...(excludeData.length > 0 ? { ExcludeDataVolumeIds: excludeData } : {}),
            },
            Description: `snapshot-rotation backup-set=${tags[constants/* TAGS */.gp.backupSet]} source=${source.id} set=${setId}`,
            TagSpecifications: [{ ResourceType: 'snapshot', Tags: (0,targets_tags/* toAwsTags */.Ez)(setTags) }],
        }), { abortSignal: signal }), { signal });
        const snapshots = answer.Snapshots ?? [];
        if (snapshots.length === 0)
            throw new errors/* TargetError */.I0(`${what}: CreateSnapshots made no snapshot.`);
        const deviceOf = new Map(attached.map((volume) => [volume.volumeId, volume.device]));
        const members = [];
        for (const snapshot of snapshots) {
            const device = snapshot.VolumeId ? deviceOf.get(snapshot.VolumeId) : undefined;
            const extra = device ? { [constants/* TAGS */.gp.device]: device } : {};
            // The instance's volumes changed between the describe and the create: the answer counts.
            if (snapshots.length !== included.length)
                extra[constants/* TAGS */.gp.setSize] = String(snapshots.length);
            const memberTags = { ...setTags, ...extra };
            if (snapshot.SnapshotId && Object.keys(extra).length > 0) {
                await tagMember(this.ec2, snapshot.SnapshotId, extra, signal).catch((error) => {
                    if (signal?.aborted)
                        throw new errors/* CancelledError */.cc();
                    warn?.(`${error instanceof Error ? error.message : String(error)} The snapshot is in the set; its device (${device ?? 'unknown'}) is named by its volume ${snapshot.VolumeId ?? ''}.`);
                });
            }
            const member = memberOfSnapshot(this.region, this.clock, fromInfo(snapshot, memberTags));
            if (member)
                members.push(member);
        }
        if (members.length === 0)
            throw new errors/* TargetError */.I0(`${what}: CreateSnapshots named no snapshot.`);
        return setBackup(members);
    }
    /** Copies each snapshot of the set: a set of the same id, tagged `copy-of` it, of its size. */
    async copy({ original, tags, kmsKeyId, signal, warn }) {
        if (signal?.aborted)
            throw new errors/* CancelledError */.cc();
        const members = original.members ?? [];
        if (members.length === 0) {
            throw new errors/* TargetError */.I0(`Could not copy set ${original.id}: it names no snapshot.`);
        }
        const setTags = fitTags(tags, {
            [constants/* TAGS */.gp.setId]: original.id,
            [constants/* TAGS */.gp.setSize]: original.tags[constants/* TAGS */.gp.setSize] ?? String(members.length),
        }, warn);
        const copies = [];
        for (const member of members) {
            const memberTags = { ...setTags, ...(member.device ? { [constants/* TAGS */.gp.device]: member.device } : {}) };
            const what = `Could not copy snapshot ${member.id} of set ${original.id} to ${this.region}`;
            const answer = await (0,aws_call/* awsCall */.u)(what, () => this.ec2.send(new dist_cjs/* CopySnapshotCommand */.DLx({
                SourceRegion: original.region,
                SourceSnapshotId: member.id,
                Description: `snapshot-rotation copy of ${member.id} (set ${original.id}) from ${original.region}`,
                ...(member.encrypted && kmsKeyId ? { Encrypted: true, KmsKeyId: kmsKeyId } : {}),
                TagSpecifications: [{ ResourceType: 'snapshot', Tags: (0,targets_tags/* toAwsTags */.Ez)(memberTags) }],
            }), { abortSignal: signal }), { signal, refusal: errors/* copySlotsRefusal */.v2 });
            const copy = memberOfSnapshot(this.region, this.clock, {
                SnapshotId: answer.SnapshotId,
                State: 'pending',
                Tags: (0,targets_tags/* toAwsTags */.Ez)(memberTags),
                ...(member.encrypted !== undefined ? { Encrypted: member.encrypted } : {}),
            });
            if (!copy)
                throw new errors/* TargetError */.I0(`${what}: AWS accepted the copy but named no snapshot id.`);
            copies.push(copy);
        }
        const copied = setBackup(copies);
        return original.sizeGiB !== undefined ? { ...copied, sizeGiB: original.sizeGiB } : copied;
    }
    /** Each snapshot of a set takes one of the destination's in-flight copy slots. */
    copySlots(backup) {
        return Math.max(backup.members?.length ?? 1, 1);
    }
    /**
     * Waits through one describe shared by every snapshot of every set this adapter waits for, the
     * first after the first delay. A member not visible yet is pending within the visibility grace;
     * after it, the set has lost it.
     */
    waitUntilDone(backup, options) {
        const members = backup.members ?? [];
        if (backup.state === 'pending')
            for (const member of members)
                this.waits.watch(member.id);
        const started = this.clock().getTime();
        const graceMs = (this.polling.visibilityGraceSeconds ?? wait/* VISIBILITY_GRACE_SECONDS */.eI) * 1000;
        return (0,wait/* waitForBackup */.nB)(backup, options, {
            polling: this.polling,
            describe: async () => {
                const read = await Promise.all(members.map((member) => this.waits.describe(member.id, options.signal)));
                const found = read.filter((member) => member !== undefined);
                if (found.length === 0)
                    return undefined;
                const missing = members.filter((_, index) => !read[index]).map((member) => member.id);
                if (missing.length > 0 && this.clock().getTime() - started < graceMs) {
                    return { ...setBackup(found), state: 'pending' };
                }
                return setBackup(found, missing);
            },
            label: `snapshot set ${backup.id}`,
        });
    }
    /** Deletes every snapshot of the set (`deleteSet`). */
    delete(backup, signal) {
        return deleteSet(this.ec2, backup, signal);
    }
    excluded(volume) {
        return ((volume.boot && this.exclude.excludeBootVolume) ||
            this.exclude.excludeVolumeIds.includes(volume.volumeId));
    }
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
