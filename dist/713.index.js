export const id = 713;
export const ids = [713];
export const modules = {

/***/ 6424:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   MM: () => (/* binding */ CLIENT_SETTINGS),
/* harmony export */   m: () => (/* binding */ MAX_ATTEMPTS),
/* harmony export */   q6: () => (/* binding */ recordIamActions)
/* harmony export */ });
/* unused harmony exports CONNECTION_TIMEOUT_MS, REQUEST_TIMEOUT_MS, S3_IAM_ACTIONS, iamActionOfCommand */
/* harmony import */ var _constants_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7242);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3916);


/**
 * Attempts per call, first try included. `adaptive` mode adds client-side rate limiting on top of
 * the standard exponential backoff, so a busy account's `RequestLimitExceeded` / `Throttling`
 * answers slow the run down instead of failing it.
 */
const MAX_ATTEMPTS = 10;
/**
 * No call may hang a job: a connection must open within 5 s and a whole request be answered within
 * 60 s (the largest answer, a page of 1,000 snapshots, takes seconds), else it fails with a
 * `TimeoutError`, which the retry strategy retries like any transient error. Without
 * `throwOnRequestTimeout` the SDK would only log a warning and keep waiting.
 */
const CONNECTION_TIMEOUT_MS = 5_000;
const REQUEST_TIMEOUT_MS = 60_000;
/** The configuration every client starts from; a service's module adds the region. */
const CLIENT_SETTINGS = {
    maxAttempts: MAX_ATTEMPTS,
    retryMode: 'adaptive',
    customUserAgent: [[_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .ACTION_NAME */ .px, _constants_js__WEBPACK_IMPORTED_MODULE_0__/* .ACTION_VERSION */ .Yt]],
    requestHandler: {
        connectionTimeout: CONNECTION_TIMEOUT_MS,
        requestTimeout: REQUEST_TIMEOUT_MS,
        throwOnRequestTimeout: true,
    },
};
/**
 * The IAM action of each S3 command the `files` target sends: unlike EC2's and RDS's, S3's actions
 * are not named after its commands (the parts of a multipart upload are `s3:PutObject`).
 */
const S3_IAM_ACTIONS = {
    ListObjectsV2: 's3:ListBucket',
    HeadObject: 's3:GetObject',
    GetObject: 's3:GetObject',
    PutObject: 's3:PutObject',
    CreateMultipartUpload: 's3:PutObject',
    UploadPart: 's3:PutObject',
    CompleteMultipartUpload: 's3:PutObject',
    AbortMultipartUpload: 's3:AbortMultipartUpload',
    DeleteObjects: 's3:DeleteObject',
    RestoreObject: 's3:RestoreObject',
};
/** The IAM action a command of `service` needs: `ec2:CreateSnapshot`, `s3:ListBucket`… */
function iamActionOfCommand(service, command) {
    return (service === 's3' ? S3_IAM_ACTIONS[command] : undefined) ?? `${service}:${command}`;
}
/**
 * Records on the error of every failed command the IAM action it needed (`ec2:CreateSnapshot`:
 * the service prefix and the command's name; S3's from `S3_IAM_ACTIONS`), so that a refusal
 * (`UnauthorizedOperation`, `AccessDenied`) names the missing permission; the SDK's errors do not
 * name their operation.
 * In the initialize step, outside the retry loop: the error seen is the one the caller gets.
 */
function recordIamActions(stack, service) {
    stack.add((next, context) => async (args) => {
        try {
            return await next(args);
        }
        catch (error) {
            const command = context.commandName?.replace(/Command$/, '');
            if (command)
                (0,_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .recordIamAction */ .rk)(error, iamActionOfCommand(service, command));
            throw error;
        }
    }, { step: 'initialize', name: 'recordIamActions', override: true });
}


/***/ }),

/***/ 5713:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   ec2Client: () => (/* binding */ ec2Client)
/* harmony export */ });
/* harmony import */ var _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(5193);
/* harmony import */ var _aws_client_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6424);
/* harmony import */ var _pacing_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2215);
/** The EC2 client: the one module of the run that loads `@aws-sdk/client-ec2`'s client. */



/** One EC2 client per region, reused by every target of the run; its mutating calls are paced. */
function ec2Client(region) {
    const client = new _aws_sdk_client_ec2__WEBPACK_IMPORTED_MODULE_2__/* .EC2Client */ .gu5({ ..._aws_client_js__WEBPACK_IMPORTED_MODULE_0__/* .CLIENT_SETTINGS */ .MM, region });
    (0,_pacing_js__WEBPACK_IMPORTED_MODULE_1__/* .paceMutations */ .su)(client.middlewareStack, (0,_pacing_js__WEBPACK_IMPORTED_MODULE_1__/* .sharedPacer */ .f6)('ec2', region));
    (0,_aws_client_js__WEBPACK_IMPORTED_MODULE_0__/* .recordIamActions */ .q6)(client.middlewareStack, 'ec2');
    return client;
}


/***/ }),

/***/ 2215:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   f6: () => (/* binding */ sharedPacer),
/* harmony export */   su: () => (/* binding */ paceMutations)
/* harmony export */ });
/* unused harmony exports MAX_BURST, shareOf, METERS, meterOf, take, giveBack, pacer, isMutating, pacers */
/* harmony import */ var _smithy_types__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(690);
/* harmony import */ var _clock_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(9373);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3916);
/* harmony import */ var _sleep_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(5613);
/**
 * Pacing of the calls that change something, per API action and Region, the way AWS meters them.
 *
 * EC2 throttles each account and Region with a token bucket per API action ("Request throttling
 * for the Amazon EC2 API", https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-throttling.html,
 * tables "Request token bucket sizes and refill rates"): every request takes a token, an empty
 * bucket answers `RequestLimitExceeded`, and each bucket refills at its own rate, so `CreateSnapshot`
 * and `DeleteSnapshot` never wait on each other. Every other tool of the account (deploys,
 * autoscaling, other backups) draws on the same buckets, so a run keeps a bucket of its own per
 * action and Region, with half of AWS's burst (at most `MAX_BURST`) and AWS's refill rate: it
 * never takes more than that half ahead of the refill, so the other half stays for the account's
 * other tools, and a drained account bucket is left to the adaptive retry (src/aws.ts), which
 * slows down on throttling by itself. (Half, not less: 200 snapshots then take 30 s, (200 − 50) / 5,
 * where AWS's whole bucket would allow 20 s and a fifth of it 36 s.)
 *
 * Reads (Describe, List, Get) are not paced: EC2's non-mutating bucket holds 100 and refills 20
 * per second, and a run's listings are few, filtered and read in pages (so they draw on that bucket,
 * not on the 50-token one of unfiltered describes read whole); the waits poll in one describe
 * for many backups.
 *
 * The pacing sits in the initialize step, before the SDK's retry loop: a call takes its token
 * once, and a throttled attempt is retried by the adaptive retry strategy.
 */




/** The largest burst a run takes from any of AWS's buckets. */
const MAX_BURST = 50;
/** Our share of one of AWS's buckets: half its capacity (at most `MAX_BURST`), its refill. */
function shareOf(aws) {
    return {
        burst: Math.max(1, Math.min(MAX_BURST, Math.floor(aws.burst / 2))),
        perSecond: aws.perSecond,
    };
}
/** An action with a bucket of its own at AWS: ours is a share of it. */
const own = (burst, perSecond) => ({
    aws: { burst, perSecond },
    rate: shareOf({ burst, perSecond }),
});
/** EC2's "Mutating actions" category: every mutating action without a bucket of its own. */
const EC2_MUTATING = own(50, 5);
/**
 * Amazon RDS meters an account and Region in one bucket for all its API operations: "up to 300
 * requests in a burst and a sustained 12 requests per second" ("Request throttling for the Amazon
 * RDS API", https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-api-throttling.html).
 * Reads draw on it too, so the run's RDS mutations share one bucket of ours that refills at 10 per
 * second, leaving 2 per second of AWS's refill to the run's own describes (the waits' polls).
 */
const RDS_ALL = {
    aws: { burst: 300, perSecond: 12 },
    rate: { burst: MAX_BURST, perSecond: 10 },
    bucket: 'all operations',
};
/**
 * Systems Manager's API reference documents no rate for `SendCommand` (a throttled call answers
 * `ThrottlingException`). A run sends at most two commands per instance (pre and post), so it
 * keeps the pace it had before: 5 per second, 5 at once.
 */
const SSM_UNDOCUMENTED = { rate: { burst: 5, perSecond: 5 } };
/**
 * The meter of each mutating action the adapters send (src/targets: each `…Command` constructed). A test reads
 * the adapters and fails for a mutating call missing here. EC2's figures are its "Uncategorized
 * actions" table (actions with a bucket of their own) and its "Mutating actions" category.
 */
const METERS = {
    ec2: {
        CreateSnapshot: own(100, 5),
        CreateSnapshots: own(100, 5),
        DeleteSnapshot: own(100, 5),
        DeregisterImage: own(100, 5),
        CopyImage: own(100, 1),
        CreateTags: own(100, 10),
        CreateImage: EC2_MUTATING,
        CopySnapshot: EC2_MUTATING,
    },
    rds: {
        CreateDBSnapshot: RDS_ALL,
        CreateDBClusterSnapshot: RDS_ALL,
        CopyDBSnapshot: RDS_ALL,
        CopyDBClusterSnapshot: RDS_ALL,
        DeleteDBSnapshot: RDS_ALL,
        DeleteDBClusterSnapshot: RDS_ALL,
    },
    ssm: { SendCommand: SSM_UNDOCUMENTED },
};
/** The meter of an action: its own entry, else its service's default. */
function meterOf(service, action) {
    const listed = METERS[service][action];
    if (listed)
        return listed;
    return service === 'ec2' ? EC2_MUTATING : service === 'rds' ? RDS_ALL : SSM_UNDOCUMENTED;
}
/**
 * Takes one token from `bucket` at `now` (ms): the bucket after, and how long the call waits
 * first. The bucket refills continuously up to its burst; a call that finds it empty reserves the
 * next token (the count goes below zero) and waits until that token has refilled, so callers go in
 * the order they came, `1 / perSecond` apart. A clock that went back refills nothing.
 */
function take(rate, bucket, now) {
    const elapsed = Math.max(0, now - bucket.at);
    const refilled = Math.min(rate.burst, bucket.tokens + (elapsed * rate.perSecond) / 1000);
    const tokens = refilled - 1;
    const waitMs = tokens >= 0 ? 0 : Math.ceil((-tokens * 1000) / rate.perSecond);
    return { bucket: { tokens, at: Math.max(now, bucket.at) }, waitMs };
}
/**
 * The token a call took and did not use (its wait was cancelled) given back: the calls queued
 * behind it keep the waits they were given, so the bucket only ever errs on the slow side.
 */
function giveBack(rate, bucket) {
    return { tokens: Math.min(rate.burst, bucket.tokens + 1), at: bucket.at };
}
const systemTime = { now: () => (0,_clock_js__WEBPACK_IMPORTED_MODULE_2__/* .systemClock */ .m)().getTime(), sleep: _sleep_js__WEBPACK_IMPORTED_MODULE_1__/* .sleep */ .yy };
/**
 * The buckets of one service and Region: one per action, or per shared AWS bucket. A call whose
 * signal fires while it waits for its token stops waiting at once and gives the token back.
 */
function pacer(service, time = systemTime) {
    const buckets = new Map();
    return async (commandName, signal) => {
        if (signal?.aborted)
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .CancelledError */ .cc();
        const action = commandName.replace(/Command$/, '');
        const { rate, bucket = action } = meterOf(service, action);
        const now = time.now();
        const taken = take(rate, buckets.get(bucket) ?? { tokens: rate.burst, at: now }, now);
        buckets.set(bucket, taken.bucket);
        if (taken.waitMs <= 0)
            return;
        try {
            // Raced with the signal too, so that no sleep, however injected, holds a cancelled call.
            await (0,_sleep_js__WEBPACK_IMPORTED_MODULE_1__/* .abortable */ .ZC)(time.sleep(taken.waitMs, signal), signal);
        }
        catch (error) {
            const current = buckets.get(bucket);
            if (current)
                buckets.set(bucket, giveBack(rate, current));
            throw signal?.aborted ? new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .CancelledError */ .cc() : error;
        }
    };
}
/** Reads are not paced; everything else changes state and is. */
function isMutating(commandName) {
    return !/^(Describe|List|Get)/.test(commandName ?? '');
}
/** The pacers of a run: one per service and Region, made on first use with `time`. */
function pacers(time = systemTime) {
    const made = new Map();
    return (service, region) => {
        const key = `${service} ${region}`;
        let pace = made.get(key);
        if (!pace) {
            pace = pacer(service, time);
            made.set(key, pace);
        }
        return pace;
    };
}
/** The process's pacer of a service and Region, shared by every client the run makes for them. */
const sharedPacer = pacers();
/**
 * Makes every mutating command sent through `stack` (a client's) wait for `pace` first; the call's
 * abort signal (`send(command, { abortSignal })`, which the SDK hands its middleware in the
 * context) ends that wait too.
 */
function paceMutations(stack, pace) {
    stack.add((next, context) => async (args) => {
        if (isMutating(context.commandName)) {
            const signal = context[_smithy_types__WEBPACK_IMPORTED_MODULE_3__.SMITHY_CONTEXT_KEY]?.abortSignal;
            await pace(context.commandName ?? '', signal instanceof AbortSignal ? signal : undefined);
        }
        return next(args);
    }, { step: 'initialize', name: 'paceMutations', override: true });
}


/***/ })

};
