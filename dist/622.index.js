export const id = 622;
export const ids = [622];
export const modules = {

/***/ 2358:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {

const { PutObjectCommand, ChecksumAlgorithm, CreateMultipartUploadCommand, AbortMultipartUploadCommand, UploadPartCommand, CompleteMultipartUploadCommand, PutObjectTaggingCommand } = __webpack_require__(3711);
const { toEndpointV1, getEndpointFromInstructions } = __webpack_require__(2085);
const { extendedEncodeURIComponent } = __webpack_require__(3422);
const { EventEmitter } = __webpack_require__(4434);
const { Buffer } = __webpack_require__(181);
const { statSync, ReadStream } = __webpack_require__(3024);
const { Readable } = __webpack_require__(2203);

const runtimeConfigShared = {
    statSync: () => { },
    isFileReadStream(f) {
        return false;
    },
};

const runtimeConfig = {
    ...runtimeConfigShared,
    runtime: "node",
    statSync,
    isFileReadStream(f) {
        return f instanceof ReadStream;
    },
};

const byteLength = (input) => {
    if (input == null) {
        return 0;
    }
    if (typeof input === "string") {
        return Buffer.byteLength(input);
    }
    if (typeof input.byteLength === "number") {
        return input.byteLength;
    }
    else if (typeof input.length === "number") {
        return input.length;
    }
    else if (typeof input.size === "number") {
        return input.size;
    }
    else if (typeof input.start === "number" && typeof input.end === "number") {
        return input.end + 1 - input.start;
    }
    else if (runtimeConfig.isFileReadStream(input)) {
        try {
            return runtimeConfig.statSync(input.path).size;
        }
        catch (error) {
            return undefined;
        }
    }
    return undefined;
};

var BYTE_LENGTH_SOURCE;
(function (BYTE_LENGTH_SOURCE) {
    BYTE_LENGTH_SOURCE["EMPTY_INPUT"] = "a null or undefined Body";
    BYTE_LENGTH_SOURCE["CONTENT_LENGTH"] = "the ContentLength property of the params set by the caller";
    BYTE_LENGTH_SOURCE["STRING_LENGTH"] = "the encoded byte length of the Body string";
    BYTE_LENGTH_SOURCE["TYPED_ARRAY"] = "the byteLength of a typed byte array such as Uint8Array";
    BYTE_LENGTH_SOURCE["LENGTH"] = "the value of Body.length";
    BYTE_LENGTH_SOURCE["SIZE"] = "the value of Body.size";
    BYTE_LENGTH_SOURCE["START_END_DIFF"] = "the numeric difference between Body.start and Body.end";
    BYTE_LENGTH_SOURCE["STAT"] = "the size of the file given by Body.path on disk as reported by statSync";
})(BYTE_LENGTH_SOURCE || (BYTE_LENGTH_SOURCE = {}));
const byteLengthSource = (input, override) => {
    if (override != null) {
        return BYTE_LENGTH_SOURCE.CONTENT_LENGTH;
    }
    if (input == null) {
        return BYTE_LENGTH_SOURCE.EMPTY_INPUT;
    }
    if (typeof input === "string") {
        return BYTE_LENGTH_SOURCE.STRING_LENGTH;
    }
    if (typeof input.byteLength === "number") {
        return BYTE_LENGTH_SOURCE.TYPED_ARRAY;
    }
    else if (typeof input.length === "number") {
        return BYTE_LENGTH_SOURCE.LENGTH;
    }
    else if (typeof input.size === "number") {
        return BYTE_LENGTH_SOURCE.SIZE;
    }
    else if (typeof input.start === "number" && typeof input.end === "number") {
        return BYTE_LENGTH_SOURCE.START_END_DIFF;
    }
    else if (runtimeConfig.isFileReadStream(input)) {
        try {
            runtimeConfig.statSync(input.path).size;
            return BYTE_LENGTH_SOURCE.STAT;
        }
        catch (error) {
            return undefined;
        }
    }
    return undefined;
};

async function* getChunkStream(data, partSize, getNextData) {
    let partNumber = 1;
    const currentBuffer = { chunks: [], length: 0 };
    for await (const datum of getNextData(data)) {
        currentBuffer.chunks.push(datum);
        currentBuffer.length += datum.byteLength;
        while (currentBuffer.length > partSize) {
            const dataChunk = currentBuffer.chunks.length > 1 ? Buffer.concat(currentBuffer.chunks) : currentBuffer.chunks[0];
            yield {
                partNumber,
                data: dataChunk.subarray(0, partSize),
            };
            currentBuffer.chunks = [dataChunk.subarray(partSize)];
            currentBuffer.length = currentBuffer.chunks[0].byteLength;
            partNumber += 1;
        }
    }
    yield {
        partNumber,
        data: currentBuffer.chunks.length !== 1 ? Buffer.concat(currentBuffer.chunks) : currentBuffer.chunks[0],
        lastPart: true,
    };
}

async function* getChunkUint8Array(data, partSize) {
    let partNumber = 1;
    let startByte = 0;
    let endByte = partSize;
    while (endByte < data.byteLength) {
        yield {
            partNumber,
            data: data.subarray(startByte, endByte),
        };
        partNumber += 1;
        startByte = endByte;
        endByte = startByte + partSize;
    }
    yield {
        partNumber,
        data: data.subarray(startByte),
        lastPart: true,
    };
}

async function* getDataReadable(data) {
    for await (const chunk of data) {
        if (Buffer.isBuffer(chunk) || chunk instanceof Uint8Array) {
            yield chunk;
        }
        else {
            yield Buffer.from(chunk);
        }
    }
}

async function* getDataReadableStream(data) {
    const reader = data.getReader();
    try {
        while (true) {
            const { done, value } = await reader.read();
            if (done) {
                return;
            }
            if (Buffer.isBuffer(value) || value instanceof Uint8Array) {
                yield value;
            }
            else {
                yield Buffer.from(value);
            }
        }
    }
    catch (e) {
        throw e;
    }
    finally {
        reader.releaseLock();
    }
}

const getChunk = (data, partSize) => {
    if (data instanceof Uint8Array) {
        return getChunkUint8Array(data, partSize);
    }
    if (data instanceof Readable) {
        return getChunkStream(data, partSize, getDataReadable);
    }
    if (data instanceof String || typeof data === "string") {
        return getChunkUint8Array(Buffer.from(data), partSize);
    }
    if (typeof data.stream === "function") {
        return getChunkStream(data.stream(), partSize, getDataReadableStream);
    }
    if (data instanceof ReadableStream) {
        return getChunkStream(data, partSize, getDataReadableStream);
    }
    throw new Error("Body Data is unsupported format, expected data to be one of: string | Uint8Array | Buffer | Readable | ReadableStream | Blob;.");
};

class Upload extends EventEmitter {
    static MIN_PART_SIZE = 1024 * 1024 * 5;
    MAX_PARTS = 10_000;
    queueSize = 4;
    partSize;
    leavePartsOnError = false;
    tags = [];
    client;
    params;
    totalBytes;
    totalBytesSource;
    bytesUploadedSoFar;
    abortController;
    concurrentUploaders = [];
    createMultiPartPromise;
    abortMultipartUploadCommand = null;
    uploadedParts = [];
    uploadEnqueuedPartsCount = 0;
    expectedPartsCount;
    uploadId;
    uploadEvent;
    isMultiPart = true;
    singleUploadResult;
    sent = false;
    constructor(options) {
        super();
        this.queueSize = options.queueSize || this.queueSize;
        this.leavePartsOnError = options.leavePartsOnError || this.leavePartsOnError;
        this.tags = options.tags || this.tags;
        this.client = options.client;
        this.params = options.params;
        if (!this.params) {
            throw new Error(`InputError: Upload requires params to be passed to upload.`);
        }
        this.totalBytes = this.params.ContentLength ?? byteLength(this.params.Body);
        this.totalBytesSource = byteLengthSource(this.params.Body, this.params.ContentLength);
        this.bytesUploadedSoFar = 0;
        this.abortController = options.abortController ?? new AbortController();
        this.partSize =
            options.partSize || Math.max(Upload.MIN_PART_SIZE, Math.ceil((this.totalBytes || 0) / this.MAX_PARTS));
        if (this.totalBytes !== undefined) {
            this.expectedPartsCount = Math.ceil(this.totalBytes / this.partSize);
        }
        this.__validateInput();
    }
    async abort() {
        this.abortController.abort();
    }
    async done() {
        if (this.sent) {
            throw new Error("@aws-sdk/lib-storage: this instance of Upload has already executed .done(). Create a new instance.");
        }
        this.sent = true;
        return await Promise.race([this.__doMultipartUpload(), this.__abortTimeout(this.abortController.signal)]);
    }
    on(event, listener) {
        this.uploadEvent = event;
        return super.on(event, listener);
    }
    async __uploadUsingPut(dataPart) {
        this.isMultiPart = false;
        const params = { ...this.params, Body: dataPart.data };
        const clientConfig = this.client.config;
        const requestHandler = clientConfig.requestHandler;
        const eventEmitter = requestHandler instanceof EventEmitter ? requestHandler : null;
        const uploadEventListener = (event) => {
            this.bytesUploadedSoFar = event.loaded;
            this.totalBytes = event.total;
            this.__notifyProgress({
                loaded: this.bytesUploadedSoFar,
                total: this.totalBytes,
                part: dataPart.partNumber,
                Key: this.params.Key,
                Bucket: this.params.Bucket,
            });
        };
        if (eventEmitter !== null) {
            eventEmitter.on("xhr.upload.progress", uploadEventListener);
        }
        const resolved = await Promise.all([this.client.send(new PutObjectCommand(params)), clientConfig?.endpoint?.()]);
        const putResult = resolved[0];
        let endpoint = resolved[1];
        if (!endpoint) {
            endpoint = toEndpointV1(await getEndpointFromInstructions(params, PutObjectCommand, {
                ...clientConfig,
            }));
        }
        if (!endpoint) {
            throw new Error('Could not resolve endpoint from S3 "client.config.endpoint()" nor EndpointsV2.');
        }
        if (eventEmitter !== null) {
            eventEmitter.off("xhr.upload.progress", uploadEventListener);
        }
        const locationKey = this.params
            .Key.split("/")
            .map((segment) => extendedEncodeURIComponent(segment))
            .join("/");
        const locationBucket = extendedEncodeURIComponent(this.params.Bucket);
        const Location = (() => {
            const endpointHostnameIncludesBucket = endpoint.hostname.startsWith(`${locationBucket}.`);
            const forcePathStyle = this.client.config.forcePathStyle;
            const optionalPort = endpoint.port ? `:${endpoint.port}` : ``;
            if (forcePathStyle) {
                return `${endpoint.protocol}//${endpoint.hostname}${optionalPort}/${locationBucket}/${locationKey}`;
            }
            if (endpointHostnameIncludesBucket) {
                return `${endpoint.protocol}//${endpoint.hostname}${optionalPort}/${locationKey}`;
            }
            return `${endpoint.protocol}//${locationBucket}.${endpoint.hostname}${optionalPort}/${locationKey}`;
        })();
        this.singleUploadResult = {
            ...putResult,
            Bucket: this.params.Bucket,
            Key: this.params.Key,
            Location,
        };
        const totalSize = byteLength(dataPart.data);
        this.__notifyProgress({
            loaded: totalSize,
            total: totalSize,
            part: 1,
            Key: this.params.Key,
            Bucket: this.params.Bucket,
        });
    }
    async __createMultipartUpload() {
        const requestChecksumCalculation = await this.client.config.requestChecksumCalculation();
        if (!this.createMultiPartPromise) {
            const createCommandParams = { ...this.params, Body: undefined };
            if (requestChecksumCalculation === "WHEN_SUPPORTED") {
                createCommandParams.ChecksumAlgorithm = this.params.ChecksumAlgorithm || ChecksumAlgorithm.CRC32;
            }
            this.createMultiPartPromise = this.client
                .send(new CreateMultipartUploadCommand(createCommandParams))
                .then((createMpuResponse) => {
                this.abortMultipartUploadCommand = new AbortMultipartUploadCommand({
                    Bucket: this.params.Bucket,
                    Key: this.params.Key,
                    UploadId: createMpuResponse.UploadId,
                });
                return createMpuResponse;
            });
        }
        return this.createMultiPartPromise;
    }
    async __doConcurrentUpload(dataFeeder) {
        for await (const dataPart of dataFeeder) {
            if (this.uploadEnqueuedPartsCount > this.MAX_PARTS) {
                throw new Error(`Exceeded ${this.MAX_PARTS} parts in multipart upload to Bucket: ${this.params.Bucket} Key: ${this.params.Key}.`);
            }
            if (this.abortController.signal.aborted) {
                return;
            }
            if (dataPart.partNumber === 1 && dataPart.lastPart) {
                return await this.__uploadUsingPut(dataPart);
            }
            if (!this.uploadId) {
                const { UploadId } = await this.__createMultipartUpload();
                this.uploadId = UploadId;
                if (this.abortController.signal.aborted) {
                    return;
                }
            }
            const partSize = byteLength(dataPart.data) || 0;
            const requestHandler = this.client.config.requestHandler;
            const eventEmitter = requestHandler instanceof EventEmitter ? requestHandler : null;
            let lastSeenBytes = 0;
            const uploadEventListener = (event, request) => {
                const requestPartSize = Number(request.query["partNumber"]) || -1;
                if (requestPartSize !== dataPart.partNumber) {
                    return;
                }
                if (event.total && partSize) {
                    this.bytesUploadedSoFar += event.loaded - lastSeenBytes;
                    lastSeenBytes = event.loaded;
                }
                this.__notifyProgress({
                    loaded: this.bytesUploadedSoFar,
                    total: this.totalBytes,
                    part: dataPart.partNumber,
                    Key: this.params.Key,
                    Bucket: this.params.Bucket,
                });
            };
            if (eventEmitter !== null) {
                eventEmitter.on("xhr.upload.progress", uploadEventListener);
            }
            this.uploadEnqueuedPartsCount += 1;
            this.__validateUploadPart(dataPart);
            const partResult = await this.client.send(new UploadPartCommand({
                ...this.params,
                ContentLength: undefined,
                UploadId: this.uploadId,
                Body: dataPart.data,
                PartNumber: dataPart.partNumber,
            }));
            if (eventEmitter !== null) {
                eventEmitter.off("xhr.upload.progress", uploadEventListener);
            }
            if (this.abortController.signal.aborted) {
                return;
            }
            if (!partResult.ETag) {
                throw new Error(`Part ${dataPart.partNumber} is missing ETag in UploadPart response. Missing Bucket CORS configuration for ETag header?`);
            }
            this.uploadedParts.push({
                PartNumber: dataPart.partNumber,
                ETag: partResult.ETag,
                ...(partResult.ChecksumCRC32 && { ChecksumCRC32: partResult.ChecksumCRC32 }),
                ...(partResult.ChecksumCRC32C && { ChecksumCRC32C: partResult.ChecksumCRC32C }),
                ...(partResult.ChecksumSHA1 && { ChecksumSHA1: partResult.ChecksumSHA1 }),
                ...(partResult.ChecksumSHA256 && { ChecksumSHA256: partResult.ChecksumSHA256 }),
            });
            if (eventEmitter === null) {
                this.bytesUploadedSoFar += partSize;
            }
            this.__notifyProgress({
                loaded: this.bytesUploadedSoFar,
                total: this.totalBytes,
                part: dataPart.partNumber,
                Key: this.params.Key,
                Bucket: this.params.Bucket,
            });
        }
    }
    async __doMultipartUpload() {
        const dataFeeder = getChunk(this.params.Body, this.partSize);
        const concurrentUploaderFailures = [];
        for (let index = 0; index < this.queueSize; index++) {
            const currentUpload = this.__doConcurrentUpload(dataFeeder).catch((err) => {
                concurrentUploaderFailures.push(err);
            });
            this.concurrentUploaders.push(currentUpload);
        }
        await Promise.all(this.concurrentUploaders);
        if (concurrentUploaderFailures.length >= 1) {
            await this.markUploadAsAborted();
            throw concurrentUploaderFailures[0];
        }
        if (this.abortController.signal.aborted) {
            await this.markUploadAsAborted();
            throw Object.assign(new Error("Upload aborted."), { name: "AbortError" });
        }
        let result;
        if (this.isMultiPart) {
            const { expectedPartsCount, uploadedParts, totalBytes, totalBytesSource } = this;
            if (totalBytes !== undefined && expectedPartsCount !== undefined && uploadedParts.length !== expectedPartsCount) {
                await this.markUploadAsAborted();
                throw new Error(`Expected ${expectedPartsCount} part(s) but uploaded ${uploadedParts.length} part(s).
The expected part count is based on the byte-count of the input.params.Body,
which was read from ${totalBytesSource} and is ${totalBytes}.
If this is not correct, provide an override value by setting a number
to input.params.ContentLength in bytes.
`);
            }
            this.uploadedParts.sort((a, b) => a.PartNumber - b.PartNumber);
            const uploadCompleteParams = {
                ...this.params,
                Body: undefined,
                UploadId: this.uploadId,
                MultipartUpload: {
                    Parts: this.uploadedParts,
                },
            };
            try {
                result = await this.client.send(new CompleteMultipartUploadCommand(uploadCompleteParams));
            }
            catch (e) {
                await this.markUploadAsAborted().catch((abortError) => {
                    if (e instanceof Error && e.cause === undefined) {
                        e.cause = abortError;
                    }
                });
                throw e;
            }
            if (typeof result?.Location === "string" && result.Location.includes("%2F")) {
                result.Location = result.Location.replace(/%2F/g, "/");
            }
        }
        else {
            result = this.singleUploadResult;
        }
        this.abortMultipartUploadCommand = null;
        if (this.tags.length) {
            await this.client.send(new PutObjectTaggingCommand({
                ...this.params,
                Tagging: {
                    TagSet: this.tags,
                },
            }));
        }
        return result;
    }
    async markUploadAsAborted() {
        if (this.uploadId && !this.leavePartsOnError && null !== this.abortMultipartUploadCommand) {
            await this.client.send(this.abortMultipartUploadCommand);
            this.abortMultipartUploadCommand = null;
        }
    }
    __notifyProgress(progress) {
        if (this.uploadEvent) {
            this.emit(this.uploadEvent, progress);
        }
    }
    async __abortTimeout(abortSignal) {
        return new Promise((resolve, reject) => {
            abortSignal.onabort = () => {
                const abortError = new Error("Upload aborted.");
                abortError.name = "AbortError";
                reject(abortError);
            };
        });
    }
    __validateUploadPart(dataPart) {
        const actualPartSize = byteLength(dataPart.data);
        if (actualPartSize === undefined) {
            throw new Error(`A dataPart was generated without a measurable data chunk size for part number ${dataPart.partNumber}`);
        }
        if (dataPart.partNumber === 1 && dataPart.lastPart) {
            return;
        }
        if (!dataPart.lastPart && actualPartSize !== this.partSize) {
            throw new Error(`The byte size for part number ${dataPart.partNumber}, size ${actualPartSize} does not match expected size ${this.partSize}`);
        }
    }
    __validateInput() {
        if (!this.client) {
            throw new Error(`InputError: Upload requires a AWS client to do uploads with.`);
        }
        if (this.partSize < Upload.MIN_PART_SIZE) {
            throw new Error(`EntityTooSmall: Your proposed upload part size [${this.partSize}] is smaller than the minimum allowed size [${Upload.MIN_PART_SIZE}] (5MB)`);
        }
        if (this.queueSize < 1) {
            throw new Error(`Queue size: Must have at least one uploading queue.`);
        }
    }
}

exports._ = Upload;


/***/ }),

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

/***/ 6622:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  CONFLICT_ATTEMPTS: () => (/* binding */ CONFLICT_ATTEMPTS),
  S3Store: () => (/* binding */ S3Store),
  S3_BATCH: () => (/* binding */ S3_BATCH)
});

// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-s3/dist-cjs/index.js
var dist_cjs = __webpack_require__(3711);
// EXTERNAL MODULE: ./src/chunks.ts
var chunks = __webpack_require__(6461);
// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(3916);
// EXTERNAL MODULE: ./src/targets/aws-call.ts
var aws_call = __webpack_require__(2836);
// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(7075);
;// CONCATENATED MODULE: ./src/targets/s3-answers.ts
/**
 * How S3's answers read for the `files` target: a listed object as a record, the `Restore` header
 * of an archived object, a GET's body, DeleteObjects' per-key errors, and the refusals S3 gives
 * that a call expects (412 on a conditional write, 409 on a conflicting one, 404 and a HEAD's
 * bodiless 403) as outcomes or sentences.
 */


/** A range S3 can be asked for: whole bytes, 0 <= start <= end. */
function isByteRange({ start, end }) {
    return Number.isSafeInteger(start) && Number.isSafeInteger(end) && start >= 0 && end >= start;
}
/** The classes whose objects must be restored before a GET (GLACIER_IR is read directly). */
const ARCHIVE_CLASSES = new Set(['GLACIER', 'DEEP_ARCHIVE']);
/** An object of a ListObjectsV2 page as a record; `what` names the listing in the error. */
function objectInfo(object, what) {
    // Every listed object has a key and a time; an answer without them cannot be trusted with ages.
    if (object.Key === undefined || !(object.LastModified instanceof Date)) {
        throw new errors/* TargetError */.I0(`${what}: S3 listed an object without its key or LastModified.`);
    }
    return {
        key: object.Key,
        size: object.Size ?? 0,
        lastModified: object.LastModified,
        storageClass: object.StorageClass ?? 'STANDARD',
    };
}
/** GetObject's body; a ranged answer must start where asked. `what` names the read in errors. */
function bodyOf(answer, what, range) {
    const body = answer.Body;
    if (!(body instanceof external_node_stream_.Readable)) {
        throw new errors/* TargetError */.I0(`${what}: S3 answered without a body.`);
    }
    if (range && !answer.ContentRange?.startsWith(`bytes ${range.start}-`)) {
        body.destroy();
        throw new errors/* TargetError */.I0(`${what}: asked for bytes ${range.start}-${range.end}, S3 answered ${answer.ContentRange ?? 'the whole object'}.`);
    }
    return body;
}
/**
 * One DeleteObjects batch as S3 answered it (Quiet): the keys it named with an error failed, with
 * their code and message; the others are deleted (a key that did not exist among them).
 */
function deleteResultOf(batch, errors) {
    const result = { deleted: [], failed: [] };
    const failed = new Map();
    for (const error of errors ?? []) {
        if (error.Key === undefined)
            continue;
        failed.set(error.Key, { code: error.Code ?? 'Unknown', message: error.Message ?? '' });
    }
    for (const key of batch) {
        const error = failed.get(key);
        if (error)
            result.failed.push({ key, ...error });
        else
            result.deleted.push(key);
    }
    return result;
}
/** `ongoing-request="false", expiry-date="Fri, 21 Dec 2012 00:00:00 GMT"` → its parts. */
function parseRestore(header) {
    if (!header)
        return {};
    const ongoing = /ongoing-request\s*=\s*"(true|false)"/i.exec(header)?.[1]?.toLowerCase();
    const expiryText = /expiry-date\s*=\s*"([^"]+)"/i.exec(header)?.[1];
    const expiry = expiryText === undefined ? undefined : new Date(expiryText);
    return {
        ...(ongoing === undefined ? {} : { ongoing: ongoing === 'true' }),
        ...(expiry && !Number.isNaN(expiry.getTime()) ? { expiry } : {}),
    };
}
/** Where an object of `storageClass` with S3's `Restore` header stands for reading. */
function readabilityOf(storageClass, restore) {
    if (!ARCHIVE_CLASSES.has(storageClass))
        return { state: 'readable', storageClass };
    const { ongoing, expiry } = parseRestore(restore);
    if (ongoing === true)
        return { state: 'restoring', storageClass };
    if (ongoing === false)
        return { state: 'restored', storageClass, ...(expiry ? { expiry } : {}) };
    return { state: 'archived', storageClass };
}
/** S3's answer to a conditional write whose key already exists (412). */
function isPreconditionFailed(error) {
    return (0,errors/* hasAwsCode */.t6)(error, 'PreconditionFailed') || httpStatusOf(error) === 412;
}
/** S3's answer to a conditional write that raced another write of the key (409). */
function isConflict(error) {
    return (0,errors/* hasAwsCode */.t6)(error, 'ConditionalRequestConflict');
}
/** S3's answer to a HEAD or GET of a key that no object has (404). */
function isNotFound(error) {
    return (0,errors/* hasAwsCode */.t6)(error, 'NotFound', 'NoSuchKey') || httpStatusOf(error) === 404;
}
function httpStatusOf(error) {
    if (typeof error !== 'object' || error === null)
        return undefined;
    const status = error.$metadata?.httpStatusCode;
    return typeof status === 'number' ? status : undefined;
}
/**
 * A HEAD request's refusal: S3 sends no body with it, so the SDK knows no code (`Unknown`, 403).
 * Without `s3:ListBucket`, S3 answers 403 for a key that does not exist, too.
 */
function headRefusal(what, error) {
    const code = (0,errors/* awsErrorCode */.J6)(error);
    if (httpStatusOf(error) !== 403 || (code !== undefined && code !== 'Unknown'))
        return undefined;
    const action = (0,errors/* iamActionOf */.hy)(error) ?? 's3:GetObject';
    return new errors/* TargetError */.I0(`${what}: AWS denied ${action} (HTTP 403, a HEAD request gives no reason); the role needs ${action} on the key, and s3:ListBucket on the bucket (without it S3 answers 403 for a key that does not exist).`, { cause: error });
}
/** A conditional write that raced another write of the same key: nothing is stored this time. */
function conflictRefusal(what, error) {
    if (!isConflict(error))
        return undefined;
    return new errors/* TargetError */.I0(`${(0,errors/* describeAwsError */.Pp)(what, error)} Another write of the same key was in progress (409); nothing was stored, and a later run uploads it again.`, { cause: error });
}

// EXTERNAL MODULE: ./node_modules/@aws-sdk/lib-storage/dist-cjs/index.js
var lib_storage_dist_cjs = __webpack_require__(2358);
;// CONCATENATED MODULE: ./src/targets/s3-upload.ts
/**
 * The streamed upload of the `files` target (`S3Store.upload`): lib-storage's Upload, written only
 * where no object has the key, with its part size and a body checked as it passes, so that a body
 * that fails or gives other than its length stores nothing.
 */





/** The part size of uploads unless the store is told otherwise. */
const DEFAULT_PART_SIZE = 8 * 1024 * 1024;
/** Parts in flight at once unless the store is told otherwise. */
const DEFAULT_QUEUE_SIZE = 4;
/** S3's limit of parts in a multipart upload. */
const MAX_PARTS = 10_000;
/**
 * Streams `body` to `key` with lib-storage's Upload: one PutObject up to `partSize`, a multipart
 * upload above it, at most about (queueSize + 1) × partSize bytes in memory. StorageClass is on
 * the PutObject or CreateMultipartUpload, If-None-Match: * on the PutObject or
 * CompleteMultipartUpload: 'created', or 'exists' when an object already has the key (412).
 *
 * S3 takes no condition on CreateMultipartUpload or UploadPart, so a multipart upload to a key
 * that exists learns it only at CompleteMultipartUpload, after sending every part: callers check
 * `exists()` first for content above `partSize`.
 *
 * A body stream that errors (e.g. a file that changed while it was read), or that gives other
 * than `contentLength` bytes, makes it reject with that error: no PutObject or
 * CompleteMultipartUpload is sent, and the parts sent are discarded (AbortMultipartUpload).
 * The signal aborts the upload (`upload.abort()`): it rejects at once with a CancelledError;
 * parts in flight finish, then the multipart upload is aborted.
 */
async function uploadObject(place, key, body, { storageClass, contentLength, signal, onProgress }) {
    const what = `Could not upload s3://${place.bucket}/${key}`;
    if (signal?.aborted) {
        body.destroy();
        throw new errors/* CancelledError */.cc();
    }
    const checked = checkBody(body, contentLength, what);
    try {
        return await (0,aws_call/* awsCall */.u)(what, async () => {
            const upload = new lib_storage_dist_cjs/* Upload */._({
                client: place.client,
                params: {
                    Bucket: place.bucket,
                    Key: key,
                    Body: checked.stream,
                    StorageClass: storageClass,
                    IfNoneMatch: '*',
                },
                partSize: partSizeFor(place.partSize, contentLength),
                queueSize: place.queueSize,
            });
            if (onProgress)
                upload.on('httpUploadProgress', (p) => onProgress(p.loaded ?? 0));
            const abort = () => void upload.abort();
            signal?.addEventListener('abort', abort, { once: true });
            try {
                await upload.done();
                return 'created';
            }
            finally {
                signal?.removeEventListener('abort', abort);
            }
        }, {
            signal,
            recover: (error) => (isPreconditionFailed(error) ? 'exists' : undefined),
            refusal: conflictRefusal,
        });
    }
    catch (error) {
        if (checked.error() !== undefined && !(error instanceof errors/* CancelledError */.cc))
            throw checked.error();
        throw error;
    }
    finally {
        checked.close();
    }
}
/** The part size for a body of `length` bytes: `partSize`, or more where 10,000 parts would not hold it. */
function partSizeFor(partSize, length) {
    return Math.max(partSize, Math.ceil((length ?? 0) / MAX_PARTS));
}
/**
 * `body` passed through: it errors with the body's error (or the body's premature close), or with
 * a TargetError at its end when it gave other than `length` bytes (a file that grew or shrank
 * while it was read). The error is recorded as it happens, so the upload rejects with it rather
 * than with what it did to the upload.
 */
function checkBody(body, length, what) {
    let seen = 0;
    let failure;
    let closed = false;
    const stream = new external_node_stream_.Transform({
        transform(chunk, _encoding, done) {
            seen += chunk.length;
            done(null, chunk);
        },
        flush(done) {
            if (length === undefined || seen === length)
                return done();
            failure ??= new errors/* TargetError */.I0(`${what}: read ${seen} bytes where ${length} were expected: it changed while it was read, so nothing was stored.`);
            done(failure);
        },
    });
    (0,external_node_stream_.finished)(body, (error) => {
        if (!error || closed)
            return;
        failure ??= error;
        stream.destroy(error);
    });
    body.pipe(stream);
    return {
        stream,
        error: () => failure,
        close: () => {
            closed = true;
            body.unpipe(stream);
            body.destroy();
            stream.destroy();
        },
    };
}

;// CONCATENATED MODULE: ./src/targets/s3-store.ts






/** Objects per page of a listing, and keys per `DeleteObjects`: S3's maximum for both. */
const S3_BATCH = 1000;
/** Attempts of a conditional PutObject that S3 answered 409 `ConditionalRequestConflict`. */
const CONFLICT_ATTEMPTS = 3;
class S3Store {
    client;
    bucket;
    /** Where `upload` puts its parts: this store's client and bucket, its part size and queue. */
    uploads;
    constructor(client, bucket, options = {}) {
        this.client = client;
        this.bucket = bucket;
        this.uploads = {
            client,
            bucket,
            partSize: options.partSize ?? DEFAULT_PART_SIZE,
            queueSize: options.queueSize ?? DEFAULT_QUEUE_SIZE,
        };
    }
    /** `s3://bucket/key`, as messages name an object. */
    url(key) {
        return `s3://${this.bucket}/${key}`;
    }
    /** Every object under prefix, page by page (ListObjectsV2 paginator, 1000 per page). */
    async *list(prefix, signal) {
        const what = `Could not list ${this.url(prefix)}`;
        const pages = (0,dist_cjs.paginateListObjectsV2)({ client: this.client, pageSize: S3_BATCH }, { Bucket: this.bucket, Prefix: prefix }, { abortSignal: signal })[Symbol.asyncIterator]();
        for (;;) {
            const page = await (0,aws_call/* awsCall */.u)(what, () => pages.next(), { signal });
            if (page.done)
                return;
            yield (page.value.Contents ?? []).map((object) => objectInfo(object, what));
        }
    }
    /** A small object's text (manifests), as UTF-8; invalid UTF-8 is an error. */
    getText(key, signal) {
        const what = `Could not read ${this.url(key)}`;
        return (0,aws_call/* awsCall */.u)(what, async () => {
            const body = await this.body(what, key, undefined, signal);
            const parts = [];
            for await (const chunk of body)
                parts.push(Buffer.from(chunk));
            return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(parts));
        }, { signal });
    }
    /**
     * Writes a small object only if no object has that key (If-None-Match: *): 'created', or
     * 'exists' on 412 PreconditionFailed. A 409 ConditionalRequestConflict (another write of the key
     * was in progress) is retried at once, as AWS says to, up to `CONFLICT_ATTEMPTS` attempts.
     */
    async putIfAbsent(key, body, { storageClass, contentType, signal }) {
        const what = `Could not write ${this.url(key)}`;
        for (let attempt = 1;; attempt += 1) {
            const outcome = await (0,aws_call/* awsCall */.u)(what, async () => {
                await this.client.send(new dist_cjs.PutObjectCommand({
                    Bucket: this.bucket,
                    Key: key,
                    Body: body,
                    StorageClass: storageClass,
                    ...(contentType === undefined ? {} : { ContentType: contentType }),
                    IfNoneMatch: '*',
                }), { abortSignal: signal });
                return 'created';
            }, {
                signal,
                recover: (error) => {
                    if (isPreconditionFailed(error))
                        return 'exists';
                    if (isConflict(error) && attempt < CONFLICT_ATTEMPTS)
                        return 'conflict';
                    return undefined;
                },
                refusal: conflictRefusal,
            });
            if (outcome !== 'conflict')
                return outcome;
        }
    }
    /** Whether an object has the key (HeadObject; 404/NotFound → false). */
    exists(key, signal) {
        return (0,aws_call/* awsCall */.u)(`Could not look up ${this.url(key)}`, async () => {
            await this.client.send(new dist_cjs.HeadObjectCommand({ Bucket: this.bucket, Key: key }), {
                abortSignal: signal,
            });
            return true;
        }, {
            signal,
            recover: (error) => (isNotFound(error) ? false : undefined),
            refusal: headRefusal,
        });
    }
    /**
     * Streams `body` to `key`, written only where no object has the key: 'created', or 'exists'
     * (`uploadObject` in `s3-upload.ts` says how, and what a body that fails or changes does).
     */
    upload(key, body, options) {
        return uploadObject(this.uploads, key, body, options);
    }
    /**
     * Deletes the keys with DeleteObjects, at most 1000 a request, Quiet: S3 then answers only the
     * keys it could not delete, returned with their code and message, not thrown (a key that does
     * not exist counts as deleted, as S3 says). A request refused as a whole throws.
     */
    async deleteKeys(keys, signal) {
        const result = { deleted: [], failed: [] };
        for (const batch of (0,chunks/* chunks */.V)(keys, S3_BATCH)) {
            const answer = await (0,aws_call/* awsCall */.u)(`Could not delete ${batch.length} object(s) from ${this.url('')}`, () => this.client.send(new dist_cjs.DeleteObjectsCommand({
                Bucket: this.bucket,
                Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true },
            }), { abortSignal: signal }), { signal });
            const { deleted, failed } = deleteResultOf(batch, answer.Errors);
            result.deleted.push(...deleted);
            result.failed.push(...failed);
        }
        return result;
    }
    /**
     * Where an object stands for reading, from HeadObject's StorageClass and Restore header:
     * 'readable' (not an archive class: GLACIER_IR is read directly), 'archived' (GLACIER or
     * DEEP_ARCHIVE, no restore), 'restoring' (ongoing-request="true"), 'restored'
     * (ongoing-request="false", until its expiry-date).
     */
    readability(key, signal) {
        return (0,aws_call/* awsCall */.u)(`Could not look up ${this.url(key)}`, async () => {
            const head = await this.client.send(new dist_cjs.HeadObjectCommand({ Bucket: this.bucket, Key: key }), { abortSignal: signal });
            return readabilityOf(head.StorageClass ?? 'STANDARD', head.Restore);
        }, { signal, refusal: headRefusal });
    }
    /**
     * Asks for a readable copy of an archived object for `days` days at `tier` (RestoreObject):
     * 'requested' (202), 'restored' (200: a restored copy exists; its expiry moves to `days` from
     * now), 'restoring' (409 RestoreAlreadyInProgress).
     */
    requestRestore(key, { days, tier, signal }) {
        return (0,aws_call/* awsCall */.u)(`Could not restore ${this.url(key)}`, async () => {
            const answer = await this.client.send(new dist_cjs.RestoreObjectCommand({
                Bucket: this.bucket,
                Key: key,
                RestoreRequest: { Days: days, GlacierJobParameters: { Tier: tier } },
            }), { abortSignal: signal });
            return answer.$metadata.httpStatusCode === 200 ? 'restored' : 'requested';
        }, {
            signal,
            recover: (error) => (0,errors/* hasAwsCode */.t6)(error, 'RestoreAlreadyInProgress') ? 'restoring' : undefined,
        });
    }
    /**
     * The object's body as a Node Readable; with `range`, bytes start..end inclusive (a ranged GET,
     * `Range: bytes=start-end`; S3 ends it at the object's end). Errors of the stream itself (a
     * connection lost midway) come from the stream.
     */
    async download(key, { range, signal } = {}) {
        if (range && !isByteRange(range)) {
            throw new RangeError(`A byte range is start..end with 0 <= start <= end, not ${range.start}..${range.end}.`);
        }
        const what = `Could not download ${this.url(key)}`;
        return (0,aws_call/* awsCall */.u)(what, () => this.body(what, key, range, signal), { signal });
    }
    /** GetObject's body; a ranged answer must start where asked. */
    async body(what, key, range, signal) {
        const answer = await this.client.send(new dist_cjs.GetObjectCommand({
            Bucket: this.bucket,
            Key: key,
            ...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}),
        }), { abortSignal: signal });
        return bodyOf(answer, what, range);
    }
}


/***/ })

};
