export const id = 841;
export const ids = [841];
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

/***/ 3841:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   S3_REQUEST_TIMEOUT_MS: () => (/* binding */ S3_REQUEST_TIMEOUT_MS),
/* harmony export */   S3_SOCKET_IDLE_TIMEOUT_MS: () => (/* binding */ S3_SOCKET_IDLE_TIMEOUT_MS),
/* harmony export */   s3Client: () => (/* binding */ s3Client)
/* harmony export */ });
/* harmony import */ var _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3711);
/* harmony import */ var _aws_client_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6424);
/** The S3 client: the one module of the run that loads `@aws-sdk/client-s3`'s client. */


/**
 * An S3 request carries a part of up to `partSize` bytes (the `files` target's uploads: several
 * parts in parallel over the runner's uplink), so its whole request may take minutes on a slow
 * link; a connection that stops moving for `S3_SOCKET_IDLE_TIMEOUT_MS` fails at once instead (a
 * download's body too, which no request timeout covers once its headers arrived).
 */
const S3_REQUEST_TIMEOUT_MS = 15 * 60_000;
const S3_SOCKET_IDLE_TIMEOUT_MS = 60_000;
/**
 * One S3 client per region. Not paced: S3 takes thousands of writes per second per prefix, and a
 * busy one answers `SlowDown` (503), which the adaptive retry strategy slows down for.
 */
function s3Client(region) {
    const client = new _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_1__.S3Client({
        ..._aws_client_js__WEBPACK_IMPORTED_MODULE_0__/* .CLIENT_SETTINGS */ .MM,
        region,
        requestHandler: {
            ..._aws_client_js__WEBPACK_IMPORTED_MODULE_0__/* .CLIENT_SETTINGS */ .MM.requestHandler,
            requestTimeout: S3_REQUEST_TIMEOUT_MS,
            socketTimeout: S3_SOCKET_IDLE_TIMEOUT_MS,
        },
    });
    (0,_aws_client_js__WEBPACK_IMPORTED_MODULE_0__/* .recordIamActions */ .q6)(client.middlewareStack, 's3');
    return client;
}


/***/ })

};
