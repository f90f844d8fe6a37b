export const id = 984;
export const ids = [984];
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

/***/ 7984:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  FilesAdapter: () => (/* binding */ FilesAdapter)
});

// EXTERNAL MODULE: ./src/constants.ts
var constants = __webpack_require__(7242);
// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(3916);
;// CONCATENATED MODULE: ./src/manifest.ts
/**
 * The `files` target's backup: a manifest, one JSON object per run listing every file (path, size,
 * time, mode, SHA-256, where its content is), written and read back whole-checked. Pure.
 */

const MANIFEST_FORMAT = 'snapshot-rotation/files';
const MANIFEST_VERSION = 1;
/** 64 lower-case hex digits. */
const SHA256_HEX = /^[0-9a-f]{64}$/;
/** Run ids as GitHub gives them (digits), or any id of letters, digits, `_` and `-`. */
const RUN_ID = /^[A-Za-z0-9_-]{1,64}$/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
/**
 * The manifest as JSON: fields in a fixed order, files sorted by path (by UTF-16 code unit, the
 * same on every machine), one file a line. It is checked first, so nothing is written that
 * `parseManifest` would refuse; a `TargetError` says what is wrong.
 */
function serializeManifest(manifest) {
    const problem = manifestProblem(manifest);
    if (problem !== undefined) {
        throw new errors/* TargetError */.I0(`The manifest of ${manifest.set}/${manifest.fileSet} was not written: ${problem}.`);
    }
    const header = JSON.stringify({
        format: manifest.format,
        version: manifest.version,
        set: manifest.set,
        fileSet: manifest.fileSet,
        createdAt: manifest.createdAt,
        ...(manifest.runId === undefined ? {} : { runId: manifest.runId }),
        root: manifest.root,
        storageClass: manifest.storageClass,
    });
    const files = [...manifest.files].sort((a, b) => byCodeUnit(a.path, b.path)).map(fileJson);
    const list = files.length === 0 ? '[]' : `[\n${files.join(',\n')}\n]`;
    return `${header.slice(0, -1)},"files":${list}}\n`;
}
/**
 * The manifest stored at `key`, checked whole: its format and version, each file's path, hash,
 * size, mode and content. Fields it does not know are dropped. Throws a `TargetError` naming the
 * key and what is wrong.
 */
function parseManifest(text, key) {
    let data;
    try {
        data = JSON.parse(text);
    }
    catch (error) {
        throw new errors/* TargetError */.I0(`Manifest ${key} is not JSON: ${error.message}.`);
    }
    const result = readManifest(data);
    const problem = typeof result === 'string' ? result : manifestProblem(result);
    if (problem !== undefined)
        throw new errors/* TargetError */.I0(`Manifest ${key} is not valid: ${problem}.`);
    return result;
}
/** The manifest's fields, with their types still to check, or why it is not a manifest at all. */
function readManifest(data) {
    if (!isRecord(data))
        return 'it is not a JSON object';
    if (data.format !== MANIFEST_FORMAT) {
        return `its format is ${JSON.stringify(data.format)}, not "${MANIFEST_FORMAT}"`;
    }
    if (data.version !== MANIFEST_VERSION) {
        return `it has version ${JSON.stringify(data.version)}, and this action reads version ${MANIFEST_VERSION} (did a newer one write it?)`;
    }
    if (!Array.isArray(data.files))
        return 'its files are not a list';
    const files = [];
    for (const [index, value] of data.files.entries()) {
        const file = readFile(value);
        if (typeof file === 'string')
            return `files[${index}] ${file}`;
        files.push(file);
    }
    return {
        format: MANIFEST_FORMAT,
        version: MANIFEST_VERSION,
        set: data.set,
        fileSet: data.fileSet,
        createdAt: data.createdAt,
        ...(data.runId === undefined ? {} : { runId: data.runId }),
        root: data.root,
        storageClass: data.storageClass,
        files,
    };
}
function readFile(value) {
    if (!isRecord(value))
        return 'is not a JSON object';
    const content = value.content;
    if (!isRecord(content))
        return 'has no content object';
    if ('object' in content === 'pack' in content) {
        return 'has content that names neither or both of an object and a pack';
    }
    return {
        path: value.path,
        size: value.size,
        mtimeMs: value.mtimeMs,
        mode: value.mode,
        sha256: value.sha256,
        content: 'object' in content
            ? { object: content.object }
            : {
                pack: content.pack,
                offset: content.offset,
                size: content.size,
            },
    };
}
/** What is wrong with a manifest, or undefined: every field's type and value, every file. */
function manifestProblem(manifest) {
    for (const field of ['set', 'fileSet', 'root', 'storageClass']) {
        const value = manifest[field];
        if (typeof value !== 'string' || value === '')
            return `its ${field} is not a non-empty string`;
    }
    if (!isIsoTime(manifest.createdAt)) {
        return `its createdAt ${JSON.stringify(manifest.createdAt)} is not an ISO 8601 time`;
    }
    const runId = manifest.runId;
    if (runId !== undefined && !(typeof runId === 'string' && RUN_ID.test(runId))) {
        return `its runId ${JSON.stringify(runId)} is not a run id`;
    }
    const paths = new Set();
    const sizes = new Map();
    for (const [index, file] of manifest.files.entries()) {
        const where = `files[${index}] (${JSON.stringify(file.path)})`;
        const problem = fileProblem(file);
        if (problem !== undefined)
            return `${where}: ${problem}`;
        if (paths.has(file.path))
            return `${where}: the path is listed twice`;
        paths.add(file.path);
        const size = sizes.get(file.sha256);
        if (size !== undefined && size !== file.size) {
            return `${where}: another file with the same SHA-256 has ${size} bytes, not ${file.size}`;
        }
        sizes.set(file.sha256, file.size);
    }
    return packProblem(manifest.files);
}
function fileProblem(file) {
    const path = pathProblem(file.path);
    if (path !== undefined)
        return `the path ${path}`;
    if (!isByteCount(file.size))
        return `its size ${JSON.stringify(file.size)} is not a whole number of bytes`;
    if (typeof file.mtimeMs !== 'number' || !Number.isFinite(file.mtimeMs)) {
        return `its mtimeMs ${JSON.stringify(file.mtimeMs)} is not a time`;
    }
    if (!Number.isInteger(file.mode) || file.mode < 0 || file.mode > 0o7777) {
        return `its mode ${JSON.stringify(file.mode)} is not permission bits (0 to 0o7777)`;
    }
    if (typeof file.sha256 !== 'string' || !SHA256_HEX.test(file.sha256)) {
        return 'its sha256 is not 64 lower-case hex digits';
    }
    const content = file.content;
    if ('object' in content) {
        const key = pathProblem(content.object);
        return key === undefined ? undefined : `its content object key ${key}`;
    }
    const key = pathProblem(content.pack);
    if (key !== undefined)
        return `its content pack key ${key}`;
    if (!isByteCount(content.offset) || content.offset < 512 || content.offset % 512 !== 0) {
        return `its pack offset ${JSON.stringify(content.offset)} is not where a tar member's data starts (a multiple of 512, after a header)`;
    }
    if (content.size !== file.size) {
        return `its pack range holds ${JSON.stringify(content.size)} bytes, but the file has ${file.size}`;
    }
    return undefined;
}
/** Different content at overlapping ranges of one pack. */
function packProblem(files) {
    const members = new Map();
    for (const file of files) {
        if (!('pack' in file.content))
            continue;
        const list = members.get(file.content.pack) ?? [];
        list.push({ offset: file.content.offset, size: file.content.size, sha256: file.sha256 });
        members.set(file.content.pack, list);
    }
    for (const [pack, list] of members) {
        list.sort((a, b) => a.offset - b.offset || byCodeUnit(a.sha256, b.sha256));
        for (const [index, member] of list.entries()) {
            const before = list[index - 1];
            if (before === undefined)
                continue;
            const same = before.sha256 === member.sha256 && before.offset === member.offset;
            if (!same && member.offset < before.offset + Math.max(before.size, 1)) {
                return `pack ${pack} holds different content at overlapping ranges (offsets ${before.offset} and ${member.offset})`;
            }
        }
    }
    return undefined;
}
/** Why a relative POSIX path or key is refused, or undefined. */
function pathProblem(path) {
    if (typeof path !== 'string' || path === '')
        return 'is empty or not a string';
    if (path.startsWith('/'))
        return 'is absolute';
    if (path.includes('\\'))
        return 'has a backslash (paths are POSIX)';
    if (path.includes('\u0000'))
        return 'has a NUL character';
    const segments = path.split('/');
    if (segments.includes('..'))
        return "has a '..' segment";
    if (segments.some((segment) => segment === '' || segment === '.')) {
        return "has an empty or '.' segment";
    }
    return undefined;
}
function fileJson(file) {
    const content = 'object' in file.content
        ? { object: file.content.object }
        : { pack: file.content.pack, offset: file.content.offset, size: file.content.size };
    const { path, size, mtimeMs, mode, sha256 } = file;
    return JSON.stringify({ path, size, mtimeMs, mode, sha256, content });
}
function isRecord(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
function isByteCount(value) {
    return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}
/** An ISO 8601 time exactly as `toISOString` writes a real date (no 30 February). */
function isIsoTime(value) {
    return (typeof value === 'string' &&
        ISO_TIME.test(value) &&
        !Number.isNaN(Date.parse(value)) &&
        new Date(value).toISOString() === value);
}
/** Code-unit order, the same on every machine (not the locale's). */
function byCodeUnit(a, b) {
    return a < b ? -1 : a > b ? 1 : 0;
}

;// CONCATENATED MODULE: ./src/file-keys.ts
/**
 * The keys of a file set's area in the bucket: `<prefix><set>/<file set>/` holding `manifests/`
 * (one per run, its key the backup id), `data/` (content by SHA-256) and `packs/` (small files,
 * one tar per run). Anything else under the area is not ours: never counted, never deleted. Pure.
 */



/** A UTC time to the millisecond, `2026-11-22T12-00-00-000Z`: sorts as time does, URL-safe. */
const STAMP = '(\\d{4}-\\d{2}-\\d{2}T\\d{2}-\\d{2}-\\d{2}-\\d{3}Z)';
const RUN = '(?:-run([A-Za-z0-9_-]{1,64}))?';
const MANIFEST_NAME = new RegExp(`^${STAMP}${RUN}\\.json$`);
const PACK_KEY = new RegExp(`^packs/${STAMP}${RUN}\\.tar$`);
const CONTENT_KEY = /^data\/([0-9a-f]{2})\/([0-9a-f]{64})$/;
/**
 * `<prefix><set>/<fileSet>/`, the prefix given a trailing `/` unless empty. A set or file set
 * that is empty, `.`, `..` or holds a `/` is refused: one area would then lie inside another,
 * and one file set's clean-up would see the other's content.
 */
function areaPrefix(prefix, set, fileSet) {
    for (const [what, name] of [
        ['set', set],
        ['file set', fileSet],
    ]) {
        if (name === '' || name === '.' || name === '..' || name.includes('/')) {
            throw new errors/* TargetError */.I0(`The ${what} ${JSON.stringify(name)} cannot name an area of the bucket: it must be non-empty, not '.' or '..', and hold no '/'.`);
        }
    }
    const base = prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`;
    return `${base}${set}/${fileSet}/`;
}
/** `<area>manifests/<UTC time>[-run<runId>].json`: the run's manifest, its backup id. */
function manifestKey(area, createdAt, runId) {
    return `${area}manifests/${stampOf(createdAt, runId)}.json`;
}
/**
 * The time and run of a manifest key of exactly `manifestKey`'s shape under `area`, or undefined
 * for any other key (such an object is never counted as a backup, so never deleted).
 */
function parseManifestKey(key, area) {
    const folder = `${area}manifests/`;
    if (!key.startsWith(folder))
        return undefined;
    const match = MANIFEST_NAME.exec(key.slice(folder.length));
    return match ? timeAndRun(match[1], match[2]) : undefined;
}
/**
 * The backup a manifest key names (a completed `files` backup, its tags rebuilt from the key), or
 * undefined for a key of any other shape.
 */
function manifestBackup(key, place) {
    const parsed = parseManifestKey(key, place.area);
    if (!parsed)
        return undefined;
    return {
        id: key,
        kind: 'files',
        region: place.region,
        sourceId: place.fileSet,
        set: place.set,
        createdAt: parsed.createdAt,
        state: 'completed',
        tags: {
            [constants/* TAGS */.gp.backupSet]: place.set,
            [constants/* TAGS */.gp.source]: place.fileSet,
            [constants/* TAGS */.gp.createdAt]: parsed.createdAt.toISOString(),
            ...(parsed.runId ? { [constants/* TAGS */.gp.run]: parsed.runId } : {}),
        },
    };
}
/** `data/<first two hex digits>/<sha256>`, relative to the area. */
function contentKey(sha256) {
    if (!SHA256_HEX.test(sha256)) {
        throw new errors/* TargetError */.I0(`${JSON.stringify(sha256)} is not a SHA-256 (64 lower-case hex digits).`);
    }
    return `data/${sha256.slice(0, 2)}/${sha256}`;
}
/** The SHA-256 a content key (relative to the area) stores, or undefined for any other key. */
function parseContentKey(key) {
    const match = CONTENT_KEY.exec(key);
    return match && match[2].startsWith(match[1]) ? match[2] : undefined;
}
/** `packs/<UTC time>[-run<runId>].tar`, relative to the area: the run's pack of small files. */
function packKey(createdAt, runId) {
    return `packs/${stampOf(createdAt, runId)}.tar`;
}
/**
 * True for a key (relative to the area) of exactly the shape `contentKey` or `packKey` writes:
 * the only objects content clean-up may delete.
 */
function isContentKey(key) {
    const pack = PACK_KEY.exec(key);
    return parseContentKey(key) !== undefined || (pack !== null && isTime(pack[1]));
}
function stampOf(createdAt, runId) {
    const iso = createdAt.toISOString();
    if (!/^\d{4}-/.test(iso)) {
        throw new errors/* TargetError */.I0(`${iso} is outside the years a key can name (0000 to 9999).`);
    }
    if (runId !== undefined && !RUN_ID.test(runId)) {
        throw new errors/* TargetError */.I0(`The run id ${JSON.stringify(runId)} cannot name a key: it must be 1 to 64 letters, digits, '_' or '-'.`);
    }
    const stamp = iso.replace(/[:.]/g, '-');
    return runId === undefined ? stamp : `${stamp}-run${runId}`;
}
function timeAndRun(stamp, runId) {
    if (!isTime(stamp))
        return undefined;
    const createdAt = new Date(isoOf(stamp));
    return runId === undefined ? { createdAt } : { createdAt, runId };
}
/** `2026-11-22T12-00-00-000Z` → `2026-11-22T12:00:00.000Z`. */
function isoOf(stamp) {
    return `${stamp.slice(0, 13)}:${stamp.slice(14, 16)}:${stamp.slice(17, 19)}.${stamp.slice(20)}`;
}
/** A stamp of a real time (no 30 February, no hour 25). */
function isTime(stamp) {
    const iso = isoOf(stamp);
    const time = Date.parse(iso);
    return !Number.isNaN(time) && new Date(time).toISOString() === iso;
}

;// CONCATENATED MODULE: ./src/tar.ts
/**
 * POSIX ustar, as much as a pack of small files needs: a member's 512-byte header, where each
 * member's data lies, and the padding and end to stream around the data. Pure.
 */
const TAR_BLOCK = 512;
/** The end of an archive: two blocks of zeros. */
const TAR_END = 2 * TAR_BLOCK;
/** The largest size or time a header's 11 octal digits hold (8 GiB − 1). */
const TAR_MAX_NUMBER = 0o77777777777;
/**
 * Where each member's data lies in an archive of these members in order: a header block, the data
 * padded to a whole block, and after the last member two zero blocks.
 */
function tarLayout(members) {
    let position = 0;
    const placed = members.map((member) => {
        checkNumber('size', member.size);
        const offset = position + TAR_BLOCK;
        position = offset + member.size + tarPadding(member.size);
        return { name: member.name, size: member.size, offset };
    });
    return { members: placed, size: position + TAR_END };
}
/** The zeros after `size` bytes of data, to the end of its last block. */
function tarPadding(size) {
    return (TAR_BLOCK - (size % TAR_BLOCK)) % TAR_BLOCK;
}
/**
 * The ustar header of a regular file `name` (1 to 100 ASCII characters, no NUL: a SHA-256 in hex
 * fits without the long-name extension) of `size` bytes, modified at `mtimeSeconds`, mode 0644,
 * owned by uid and gid 0, no user or group name: byte for byte what GNU tar writes with
 * `--format=ustar --owner=0 --group=0 --numeric-owner --mode=0644`.
 */
function tarHeader(name, size, mtimeSeconds) {
    const ascii = [...name].every((char) => char > '\u0000' && char <= '\u007f');
    if (!ascii || name.length < 1 || name.length > 100) {
        throw new RangeError(`The tar member name ${JSON.stringify(name)} is not 1 to 100 ASCII characters.`);
    }
    checkNumber('size', size);
    checkNumber('modification time', mtimeSeconds);
    const header = new Uint8Array(TAR_BLOCK);
    const put = (offset, text) => {
        for (let i = 0; i < text.length; i++)
            header[offset + i] = text.charCodeAt(i);
    };
    put(0, name);
    put(100, octal(0o644, 8));
    put(108, octal(0, 8)); // uid
    put(116, octal(0, 8)); // gid
    put(124, octal(size, 12));
    put(136, octal(mtimeSeconds, 12));
    put(148, ' '.repeat(8)); // the checksum counts its own field as spaces
    put(156, '0'); // a regular file
    put(257, 'ustar\u000000');
    put(329, octal(0, 8)); // devmajor and devminor, as GNU tar writes them
    put(337, octal(0, 8));
    const checksum = header.reduce((sum, byte) => sum + byte, 0);
    put(148, `${checksum.toString(8).padStart(6, '0')}\u0000 `);
    return header;
}
/** `value` in octal, zero-padded to fill `width` bytes with a NUL at the end. */
function octal(value, width) {
    return `${value.toString(8).padStart(width - 1, '0')}\u0000`;
}
function checkNumber(what, value) {
    if (!Number.isSafeInteger(value) || value < 0 || value > TAR_MAX_NUMBER) {
        throw new RangeError(`A tar ${what} is a whole number from 0 to ${TAR_MAX_NUMBER}, not ${value}.`);
    }
}

;// CONCATENATED MODULE: ./src/file-plan.ts
/**
 * What a `files` run reads and stores: which files keep their hash from the last manifest, which
 * content is already in the bucket, which goes up as an object of its own and which into the
 * run's pack of small files. Pure: the adapter scans, hashes and uploads.
 */



/**
 * How close to the last manifest's time a file's modification time may be before its hash is not
 * trusted: a write in the same tick of a coarse clock (2 s on FAT) after the file was read leaves
 * size and time as they were ("racily clean", as git calls it).
 */
const RACY_MS = 2000;
/**
 * Which files keep the hash and content of the last manifest (same size and modification time,
 * modified well before that manifest was made; their mode is the scan's) and which must be read.
 */
function planHashing(scanned, previous) {
    const before = new Map(previous?.files.map((file) => [file.path, file]));
    const racyFrom = previous ? Date.parse(previous.createdAt) - RACY_MS : -Infinity;
    const known = [];
    const toHash = [];
    for (const file of scanned) {
        const old = before.get(file.path);
        if (old && old.size === file.size && old.mtimeMs === file.mtimeMs && file.mtimeMs < racyFrom) {
            known.push(manifestFile(file, old.sha256, old.content));
        }
        else {
            toHash.push(file);
        }
    }
    return { known, toHash };
}
/**
 * Content in the bucket: the objects of the data listing (keys relative to the area; other keys
 * are passed over) and the pack members of the manifests kept. An object of its own is preferred
 * to a pack member.
 */
function storedContent(dataKeys, manifests) {
    const stored = new Map();
    for (const manifest of manifests) {
        for (const file of manifest.files) {
            if ('pack' in file.content && !stored.has(file.sha256)) {
                stored.set(file.sha256, file.content);
            }
        }
    }
    for (const key of dataKeys) {
        const sha256 = parseContentKey(key);
        if (sha256 !== undefined)
            stored.set(sha256, { object: key });
    }
    return stored;
}
/**
 * What to store of the hashed files: content already stored is reused whatever its size; each
 * other content is stored once however many files have it, as an object of its own from
 * `packThreshold` bytes, in the pack below. Content and its files keep the order given.
 */
function planContent(hashed, stored, packThreshold) {
    if (!(packThreshold >= 0)) {
        throw new RangeError(`The pack threshold is a number of bytes, not ${packThreshold}.`);
    }
    const reused = [];
    const toStore = new Map();
    for (const { file, sha256 } of hashed) {
        const ref = stored.get(sha256);
        if (ref) {
            reused.push(manifestFile(file, sha256, ref));
            continue;
        }
        const planned = toStore.get(sha256);
        if (planned === undefined) {
            toStore.set(sha256, { sha256, files: [file], size: file.size });
        }
        else if (planned.size !== file.size) {
            throw new errors/* TargetError */.I0(`${planned.files[0].path} and ${file.path} have the same SHA-256 but ${planned.size} and ${file.size} bytes: one changed while it was read. Run the backup again.`);
        }
        else {
            planned.files.push(file);
        }
    }
    const all = [...toStore.values()];
    return {
        reused,
        uploads: all.filter((content) => content.size >= packThreshold),
        packed: all.filter((content) => content.size < packThreshold),
    };
}
/** The manifest's files of content stored as an object of its own (`contentKey`). */
function uploadedFiles(content) {
    return filesOf(content, { object: contentKey(content.sha256) });
}
/**
 * The pack of `packed` at `key` (relative to the area): its tar members in order, named by their
 * SHA-256, its size, and the manifest's files of its content.
 */
function packLayout(packed, key) {
    const layout = tarLayout(packed.map((content) => ({ name: content.sha256, size: content.size })));
    const files = packed.flatMap((content, index) => filesOf(content, { pack: key, offset: layout.members[index].offset, size: content.size }));
    return { ...layout, files };
}
function filesOf(content, ref) {
    return content.files.map((file) => manifestFile(file, content.sha256, ref));
}
/** A manifest's file: the scan's fields (and no others it carries), its hash and content. */
function manifestFile(file, sha256, content) {
    const { path, size, mtimeMs, mode } = file;
    return { path, size, mtimeMs, mode, sha256, content };
}

// EXTERNAL MODULE: ./src/files-report.ts
var files_report = __webpack_require__(4763);
// EXTERNAL MODULE: ./node_modules/p-limit/index.js + 1 modules
var p_limit = __webpack_require__(370);
// EXTERNAL MODULE: ./src/chunks.ts
var chunks = __webpack_require__(6461);
;// CONCATENATED MODULE: ./src/content-retention.ts
/**
 * Which stored content goes once manifests are pruned: what no kept manifest references, old
 * enough that no run may still be writing it, and past its storage class's minimum duration
 * (deleting sooner bills the rest of it) unless early deletion is allowed. Pure.
 */


const DAY = 24 * 3_600_000;
/**
 * The days S3 bills an object of each class for at least, whenever it is deleted
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/storage-class-intro.html).
 */
const MIN_STORAGE_DAYS = {
    STANDARD: 0,
    REDUCED_REDUNDANCY: 0,
    INTELLIGENT_TIERING: 0,
    STANDARD_IA: 30,
    ONEZONE_IA: 30,
    GLACIER_IR: 90,
    GLACIER: 90,
    DEEP_ARCHIVE: 180,
};
/** A class S3 may add later is taken to bill as long as the longest known: never deleted early. */
const UNKNOWN_CLASS_MIN_DAYS = 180;
/** The grace is at most a day: no run writes an object for longer before its manifest. */
const MAX_GRACE_MS = DAY;
/** `DeleteObjects` takes at most 1,000 keys. */
const DELETE_BATCH = 1000;
/** The minimum storage duration of a class, in days (the longest known for a class not known). */
function minStorageDays(storageClass) {
    return Object.hasOwn(MIN_STORAGE_DAYS, storageClass)
        ? MIN_STORAGE_DAYS[storageClass]
        : UNKNOWN_CLASS_MIN_DAYS;
}
function billing(storageClass, days) {
    return Object.hasOwn(MIN_STORAGE_DAYS, storageClass)
        ? `${storageClass} bills ${days} days at least`
        : `${storageClass} is a storage class this action does not know, kept ${days} days as the longest known minimum`;
}
/** The content keys (objects and packs, relative to the area) the manifests reference. */
function referencedContent(manifests) {
    const keys = new Set();
    for (const manifest of manifests) {
        for (const { content } of manifest.files) {
            keys.add('object' in content ? content.object : content.pack);
        }
    }
    return keys;
}
/**
 * What becomes of each stored object: kept when referenced, younger than the grace (another run
 * may be writing it, its manifest not yet written; capped at a day) or not of a content key's
 * shape; deferred to the date it is free while within its class's minimum duration, unless
 * `allowEarlyDelete`; deleted otherwise. A time that is not a time keeps the object.
 */
function decideContent(objects, referenced, options) {
    if (Number.isNaN(options.graceMs))
        throw new RangeError('The grace period is not a number.');
    const grace = Math.min(Math.max(options.graceMs, 0), MAX_GRACE_MS);
    const decision = { delete: [], deferred: [], kept: 0 };
    for (const object of objects) {
        const age = options.now.getTime() - object.lastModified.getTime();
        if (referenced.has(object.key) || !isContentKey(object.key) || !(age >= grace)) {
            decision.kept++;
            continue;
        }
        const days = minStorageDays(object.storageClass);
        if (!options.allowEarlyDelete && age < days * DAY) {
            const freeAt = new Date(object.lastModified.getTime() + days * DAY);
            decision.deferred.push({
                object,
                freeAt,
                reason: `${billing(object.storageClass, days)}: deleted from ${freeAt.toISOString()} (allow-early-delete: true deletes it now and pays the rest)`,
            });
        }
        else {
            decision.delete.push(object);
        }
    }
    return decision;
}
/** The full keys to delete (`area` before each), in `DeleteObjects` batches of at most 1,000. */
function deleteBatches(objects, area) {
    return (0,chunks/* chunks */.V)(objects.map((object) => `${area}${object.key}`), DELETE_BATCH);
}

;// CONCATENATED MODULE: ./src/targets/file-collect.ts
/**
 * After a `files` set's manifests are pruned: the content (objects and packs) that no remaining
 * manifest references is deleted in batches, unless younger than the grace or within its storage
 * class's minimum duration (content-retention.ts decides); the report says what went and what waits.
 */


/**
 * The area's `data/` objects, listed once per run: the create plans its uploads on the listing and
 * the clean-up after pruning reuses it, with the content the create stored in between added.
 */
class DataListing {
    store;
    area;
    objects;
    constructor(store, area) {
        this.store = store;
        this.area = area;
    }
    /** The `data/` objects, keys relative to the area; listed by the first call only. */
    async read(signal) {
        this.objects ??= await listFolder(this.store, this.area, 'data/', signal);
        return this.objects;
    }
    /**
     * Content the run stored (or found stored by another run) after the listing, as just written:
     * younger than any grace, so the clean-up keeps it even were no manifest to reference it.
     */
    stored(files, storageClass, at) {
        if (!this.objects)
            return;
        const listed = new Set(this.objects.map((object) => object.key));
        for (const file of files) {
            if (!('object' in file.content))
                continue;
            const key = file.content.object;
            if (listed.has(key))
                continue;
            listed.add(key);
            this.objects.push({ key, size: file.size, lastModified: at, storageClass });
        }
    }
    /** Forgets the listing (a create that failed midway stored what it does not know): listed again. */
    forget() {
        this.objects = undefined;
    }
}
/** Every object under `area` + `folder`, keys relative to the area. */
async function listFolder(store, area, folder, signal) {
    const objects = [];
    for await (const page of store.list(`${area}${folder}`, signal)) {
        objects.push(...page.map((object) => ({ ...object, key: object.key.slice(area.length) })));
    }
    return objects;
}
/** Collects the area's unreferenced content; fills the report's stored, deleted and deferred parts. */
async function collectContent(job, report) {
    const objects = [
        ...(await job.data.read(job.signal)),
        ...(await listFolder(job.store, job.area, 'packs/', job.signal)),
    ];
    report.storedBytes = {};
    for (const object of objects) {
        report.storedBytes[object.storageClass] =
            (report.storedBytes[object.storageClass] ?? 0) + object.size;
    }
    const decision = decideContent(objects, referencedContent(job.remaining), job);
    report.deferred = decision.deferred.map(({ object, freeAt, reason }) => ({
        key: object.key,
        freeAt: freeAt.toISOString(),
        reason,
    }));
    const bytes = decision.delete.reduce((sum, object) => sum + object.size, 0);
    report.contentDeleted = { objects: decision.delete.length, bytes };
    if (job.dryRun)
        return;
    const failed = [];
    for (const batch of deleteBatches(decision.delete, job.area)) {
        const answer = await job.store.deleteKeys(batch, job.signal);
        failed.push(...answer.failed.map((item) => `${item.key} (${item.code})`));
    }
    if (failed.length > 0) {
        report.contentDeleted.objects -= failed.length;
        throw new errors/* TargetError */.I0(`${failed.length} unreferenced objects could not be deleted and are left for the next run: ${failed.slice(0, 5).join(', ')}${failed.length > 5 ? ' …' : ''}.`);
    }
}

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(7075);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:stream/promises"
var external_node_stream_promises_ = __webpack_require__(6466);
;// CONCATENATED MODULE: ./src/targets/file-hash.ts
/**
 * The content of a `files` backup's files on the runner: hashed, read for an upload and written back
 * by a restore, each checked against the file's size, modification time and SHA-256 so that a file
 * written meanwhile is reported, never stored (or restored) torn. Streams only: a file is never
 * held in memory whole.
 */









/**
 * A file that changed while it was read: its bytes, size or modification time are not those it had
 * when it was scanned. Reported, never stored (or restored) torn.
 */
class FileChangedError extends errors/* TargetError */.I0 {
    path;
    constructor(path, detail) {
        super(`The file '${path}' changed while it was read (${detail}); it was not stored. Back it up when nothing writes to it (a dump finished, a service stopped), or exclude it with a '!' pattern in '${constants/* INPUTS */.mc.path}'.`);
        this.path = path;
        this.name = 'FileChangedError';
    }
}
/**
 * A pass-through that counts and hashes (SHA-256) the bytes going through it. With `check`, its end
 * waits for `check(what passed)`: an error it gives errors the stream instead of ending it.
 */
class HashingCounter extends external_node_stream_.Transform {
    check;
    hash = (0,external_node_crypto_.createHash)('sha256');
    bytes = 0;
    sha256;
    constructor(check) {
        super();
        this.check = check;
    }
    _transform(chunk, _encoding, callback) {
        this.hash.update(chunk);
        this.bytes += chunk.length;
        callback(null, chunk);
    }
    _flush(callback) {
        if (!this.check)
            return callback();
        this.check(this.passed()).then((error) => callback(error ?? null), (error) => callback(error instanceof Error ? error : new Error(String(error))));
    }
    /** What went through; once it has all gone through (it ends the hash). */
    passed() {
        this.sha256 ??= this.hash.digest('hex');
        return { bytes: this.bytes, sha256: this.sha256 };
    }
}
/**
 * The SHA-256 (hex) of a file, read as a stream. Throws `FileChangedError` when the bytes read are
 * not `expected.size`, or the file's size or modification time after the read are not `expected`.
 */
async function hashFile(absolutePath, expected, signal) {
    const hash = (0,external_node_crypto_.createHash)('sha256');
    let bytes = 0;
    const stream = (0,external_node_fs_.createReadStream)(absolutePath, signal ? { signal } : {});
    try {
        for await (const chunk of stream) {
            hash.update(chunk);
            bytes += chunk.length;
        }
    }
    catch (error) {
        throw readError(absolutePath, error);
    }
    const change = await changeOf(absolutePath, expected, bytes);
    if (change)
        throw new FileChangedError(absolutePath, change);
    return hash.digest('hex');
}
/**
 * The file's bytes, checked as they pass: at the end, the SHA-256 of what passed and the file's size
 * and modification time must be `expected`, else the stream errors with `FileChangedError` instead
 * of ending, so that an upload reading it fails and stores nothing. Consume or destroy it (it holds
 * the file open).
 */
function verifiedStream(absolutePath, expected) {
    const check = new HashingCounter(async ({ bytes, sha256 }) => {
        let change = await changeOf(absolutePath, expected, bytes);
        if (!change && sha256 !== expected.sha256) {
            change = `its SHA-256 is ${sha256}, not ${expected.sha256} as it was hashed`;
        }
        return change ? new FileChangedError(absolutePath, change) : undefined;
    });
    const source = (0,external_node_fs_.createReadStream)(absolutePath);
    // A failed read errors `check`; `check` destroyed (an upload aborted) closes the file.
    source.on('error', (error) => check.destroy(readError(absolutePath, error)));
    check.on('close', () => source.destroy());
    source.pipe(check);
    return check;
}
/** A failed read as a sentence: a file deleted since the scan changed; an abort stays one. */
function readError(absolutePath, error) {
    if ((0,errors/* isAbort */.rV)(error))
        return error;
    if ((0,errors/* systemErrorCode */.vq)(error) === 'ENOENT')
        return new FileChangedError(absolutePath, 'it was deleted');
    return new errors/* TargetError */.I0(`Reading '${absolutePath}' failed: ${(0,errors/* messageOf */.bD)(error)}.`, {
        cause: error,
    });
}
/** How the file differs from `expected` after `bytes` were read, or undefined. */
async function changeOf(absolutePath, expected, bytes) {
    let after;
    try {
        after = await (0,promises_.stat)(absolutePath);
    }
    catch (error) {
        if ((0,errors/* systemErrorCode */.vq)(error) === 'ENOENT')
            return 'it was deleted';
        throw error;
    }
    if (bytes !== expected.size)
        return `${bytes} bytes read, ${expected.size} expected`;
    if (after.size !== expected.size)
        return `its size went from ${expected.size} to ${after.size} bytes`;
    const mtimeMs = Math.floor(after.mtimeMs);
    if (mtimeMs !== expected.mtimeMs) {
        return `its modification time went from ${iso(expected.mtimeMs)} to ${iso(mtimeMs)}`;
    }
    return undefined;
}
/**
 * Restores one file: streams `source` into `destination` (parent directories created; a file or
 * link already there replaced, never written through), checks its size and SHA-256, then sets its
 * mode and modification time. On a mismatch or a failed read the partial file is deleted and a
 * `TargetError` names the path (a cancellation stays an abort).
 */
async function writeVerified(source, destination, expected) {
    await (0,promises_.mkdir)(external_node_path_.dirname(destination), { recursive: true });
    // A link at the destination is replaced, not followed out of the restored tree; `wx` refuses
    // whatever appears there meanwhile.
    await (0,promises_.rm)(destination, { force: true });
    const count = new HashingCounter();
    try {
        await (0,external_node_stream_promises_.pipeline)(source, count, (0,external_node_fs_.createWriteStream)(destination, { flags: 'wx', mode: 0o600 }));
    }
    catch (error) {
        await (0,promises_.rm)(destination, { force: true });
        if ((0,errors/* isAbort */.rV)(error))
            throw error;
        throw new errors/* TargetError */.I0(`Restoring '${destination}' failed: ${(0,errors/* messageOf */.bD)(error)}; the partial file was deleted.`, {
            cause: error,
        });
    }
    const { bytes, sha256 } = count.passed();
    if (bytes !== expected.size || sha256 !== expected.sha256) {
        await (0,promises_.rm)(destination, { force: true });
        throw new errors/* TargetError */.I0(`Restoring '${destination}' failed: the content read has ${bytes} bytes and SHA-256 ${sha256}, but the manifest says ${expected.size} bytes and ${expected.sha256}; the partial file was deleted.`);
    }
    await (0,promises_.chmod)(destination, expected.mode & 0o7777);
    // The middle of the manifest's millisecond: seconds as a double are not exact, and the middle
    // reads back (floored) as that millisecond, where its start might read as the one before.
    const seconds = (expected.mtimeMs + 0.5) / 1000;
    await (0,promises_.utimes)(destination, seconds, seconds);
}
function iso(ms) {
    return new Date(ms).toISOString();
}
/**
 * Hashes `files`, `concurrency` at a time; a file that changes while it is read is left out and
 * its path added to `changed`.
 */
async function hashFiles(files, concurrency, changed) {
    const limit = (0,p_limit/* default */.A)(concurrency);
    const results = await Promise.all(files.map((file) => limit(async () => {
        try {
            return { file, sha256: await hashFile(file.absolutePath, file) };
        }
        catch (error) {
            if (!(error instanceof FileChangedError))
                throw error;
            changed.push(file.path);
            return undefined;
        }
    })));
    return results.filter((result) => result !== undefined);
}

;// CONCATENATED MODULE: ./src/targets/file-restore.ts
/**
 * Restoring a file set's backup into a directory: every file of the manifest downloaded (from its
 * own object, or a ranged read of its pack), verified against its SHA-256, with its mode and time.
 * Content in GLACIER or DEEP_ARCHIVE is first restored by S3 (RestoreObject): the run then says so
 * and a later run of the same step finishes. Nothing is written to the bucket but restore requests.
 */





/** How long S3 takes to restore an archived object, by class and tier (the S3 user guide). */
const RESTORE_TIMES = {
    GLACIER: { Expedited: '1–5 minutes', Standard: '3–5 hours', Bulk: '5–12 hours' },
    DEEP_ARCHIVE: { Standard: 'within 12 hours', Bulk: 'within 48 hours' },
};
/** Restores the manifest's files into `restore.to`; returns the report's restore section. */
async function restoreManifest(job) {
    const { store, area, manifest, restore } = job;
    const to = (0,external_node_path_.resolve)(job.workspace, restore.to);
    const keys = [
        ...new Set(manifest.files.map(({ content }) => ('object' in content ? content.object : content.pack))),
    ];
    // Archived content must be restored by S3 first: ask for every object not readable yet.
    let waiting = 0;
    let requested = false;
    let archivedClass;
    const limit = (0,p_limit/* default */.A)(job.concurrency);
    await Promise.all(keys.map((key) => limit(async () => {
        const readable = await store.readability(`${area}${key}`, job.signal);
        if (readable.state === 'readable' || readable.state === 'restored')
            return;
        archivedClass = readable.storageClass;
        waiting += 1;
        if (readable.state === 'archived') {
            const answer = await store.requestRestore(`${area}${key}`, {
                days: restore.days,
                tier: restore.tier,
                ...(job.signal ? { signal: job.signal } : {}),
            });
            if (answer === 'restored')
                waiting -= 1;
            else if (answer === 'requested')
                requested = true;
        }
    })));
    const base = { to, backupId: job.backupId, files: 0, bytes: 0 };
    if (waiting > 0) {
        const state = requested ? 'requested' : 'in-progress';
        const expected = archivedClass ? RESTORE_TIMES[archivedClass]?.[restore.tier] : undefined;
        return { ...base, state, waiting, ...(expected ? { expected } : {}) };
    }
    let bytes = 0;
    await Promise.all(manifest.files.map((file) => limit(async () => {
        const destination = (0,external_node_path_.resolve)(to, file.path);
        if (!destination.startsWith(to + external_node_path_.sep)) {
            throw new errors/* TargetError */.I0(`${file.path} in ${job.backupId} would be written outside ${to}.`);
        }
        const { content } = file;
        // An empty file has no byte to read: a range of it would be invalid.
        const body = file.size === 0
            ? external_node_stream_.Readable.from([])
            : 'object' in content
                ? await store.download(`${area}${content.object}`, job.signal ? { signal: job.signal } : {})
                : await store.download(`${area}${content.pack}`, {
                    range: { start: content.offset, end: content.offset + content.size - 1 },
                    ...(job.signal ? { signal: job.signal } : {}),
                });
        await writeVerified(body, destination, file);
        bytes += file.size;
    })));
    return { ...base, state: 'restored', files: manifest.files.length, bytes, waiting: 0 };
}

;// CONCATENATED MODULE: ./src/targets/file-upload.ts
/**
 * Storing a run's new content in the file set's area: each large content once as `data/<sha256>`
 * (skipped when another run stored it meanwhile), the small ones together in the run's tar pack.
 * Every byte sent is read through `verifiedStream`, so a file that changes while it is read fails
 * its upload instead of being stored torn.
 */








/** Uploads each content of `uploads` as an object of its own. */
async function uploadObjects(uploads, job) {
    const result = { files: [], objects: 0, bytes: 0, changed: [] };
    const limit = (0,p_limit/* default */.A)(job.concurrency);
    await Promise.all(uploads.map((content) => limit(async () => {
        const key = `${job.area}${contentKey(content.sha256)}`;
        // Multipart uploads meet If-None-Match only at their end: look first, send nothing twice.
        if (!(await job.store.exists(key, job.signal))) {
            const outcome = await sendVerified(job, key, content);
            if (outcome === 'changed') {
                result.changed.push(...content.files.map((file) => file.path));
                return;
            }
            if (outcome === 'created') {
                result.objects += 1;
                result.bytes += content.size;
            }
        }
        result.files.push(...uploadedFiles(content));
    })));
    return result;
}
/**
 * Uploads the small contents as one ustar archive at `packKey` (relative to the area), each
 * member named by its SHA-256. A member whose file changed while read fails the whole pack: it is
 * then uploaded again without the files that changed.
 */
async function uploadPack(packed, packKey, job) {
    const changed = [];
    let members = [...packed];
    for (;;) {
        if (members.length === 0)
            return { files: [], objects: 0, bytes: 0, changed };
        const layout = packLayout(members, packKey);
        try {
            const body = packStream(members, job);
            const outcome = await job.store.upload(`${job.area}${packKey}`, body, {
                storageClass: job.storageClass,
                contentLength: layout.size,
                ...(job.signal ? { signal: job.signal } : {}),
                onProgress: progress(job, packKey, layout.size),
            });
            if (outcome === 'exists') {
                throw new Error(`The pack ${packKey} exists already: another run wrote it.`);
            }
            return { files: layout.files, objects: 1, bytes: layout.size, changed };
        }
        catch (error) {
            if (!(error instanceof FileChangedError))
                throw error;
            const path = error.path;
            const torn = members.find((content) => content.files.some((file) => job.local.get(file.path)?.absolutePath === path));
            if (!torn)
                throw error;
            changed.push(...torn.files.map((file) => file.path));
            members = members.filter((content) => content !== torn);
        }
    }
}
/** The pack's bytes: a header, the verified file, its padding, per member; two zero blocks. */
function packStream(members, job) {
    const out = new external_node_stream_.PassThrough();
    void (async () => {
        for (const content of members) {
            const file = job.local.get(content.files[0].path);
            out.write(tarHeader(content.sha256, content.size, job.mtimeSeconds));
            await (0,external_node_stream_promises_.pipeline)(verifiedStream(file.absolutePath, { ...file, sha256: content.sha256 }), out, {
                end: false,
            });
            out.write(new Uint8Array(tarPadding(content.size)));
        }
        out.end(new Uint8Array(TAR_END));
    })().catch((error) => out.destroy(error));
    return out;
}
async function sendVerified(job, key, content) {
    const file = job.local.get(content.files[0].path);
    try {
        return await job.store.upload(key, verifiedStream(file.absolutePath, { ...file, sha256: content.sha256 }), {
            storageClass: job.storageClass,
            contentLength: content.size,
            ...(job.signal ? { signal: job.signal } : {}),
            onProgress: progress(job, file.path, content.size),
        });
    }
    catch (error) {
        if (error instanceof FileChangedError)
            return 'changed';
        throw error;
    }
}
/** Logs a long upload's progress (64 MiB and more), every tenth of it: bytes sent and rate. */
function progress(job, what, total) {
    const started = job.clock().getTime();
    let next = 0.1;
    return (loaded) => {
        if (total < 64 * 1024 * 1024 || loaded / total < next)
            return;
        const seconds = Math.max((job.clock().getTime() - started) / 1000, 0.001);
        job.log(`Uploading ${what}: ${(0,files_report/* formatBytes */.z3)(loaded)} of ${(0,files_report/* formatBytes */.z3)(total)} (${(0,files_report/* formatBytes */.z3)(loaded / seconds)}/s).`);
        next = Math.floor((loaded / total) * 10) / 10 + 0.1;
    };
}

;// CONCATENATED MODULE: ./src/targets/files.ts












class FilesAdapter {
    store;
    region;
    config;
    set;
    fileSet;
    scan;
    options;
    type = 'files';
    files;
    manifests = new Map();
    listed; // the resolve phase's listing, reused by create()
    area;
    /** The area's `data/` objects, listed once a run: by the create, or else by the clean-up. */
    data;
    constructor(store, region, config, set, fileSet, scan, options) {
        this.store = store;
        this.region = region;
        this.config = config;
        this.set = set;
        this.fileSet = fileSet;
        this.scan = scan;
        this.options = options;
        this.area = areaPrefix(config.prefix, set, fileSet);
        this.data = new DataListing(store, this.area);
        this.files = (0,files_report/* emptyFilesReport */.jw)(config.bucket, this.area);
        if (scan) {
            this.files.scanned = scan.files.length;
            this.files.skipped = scan.skipped.length;
        }
    }
    /** The file set was found by the scan, before any AWS call. */
    findSources(ids) {
        return Promise.resolve({ found: ids.map((id) => ({ id, tags: {} })), missing: [] });
    }
    /**
     * The file set's manifests: only keys of exactly the action's shape count. Other sets are under
     * other prefixes and would cost listings of their own: never listed (no `sources` here).
     */
    async listBackups(set) {
        if (set !== this.set)
            return [];
        const backups = [];
        for await (const page of this.store.list(`${this.area}manifests/`)) {
            for (const object of page) {
                const backup = this.backupOf(object.key);
                if (backup)
                    backups.push(backup);
            }
        }
        this.listed = backups;
        return backups;
    }
    /**
     * Scans, hashes what changed, stores new content, then writes the manifest (If-None-Match: a
     * manifest is never overwritten). The backup is complete when this returns.
     */
    async create({ tags, signal, warn }) {
        const scan = this.scan;
        if (!scan)
            throw new errors/* TargetError */.I0('No scan of the files to back up.');
        const createdAt = new Date(tags[constants/* TAGS */.gp.createdAt] ?? '');
        const runId = tags[constants/* TAGS */.gp.run];
        const kept = await this.readManifests(this.listed ?? (await this.listBackups(this.set)), signal);
        const previous = kept.at(-1);
        const local = new Map(scan.files.map((file) => [file.path, file]));
        const { known, toHash } = planHashing(scan.files, previous);
        const changed = [];
        const hashed = await hashFiles(toHash.map((file) => local.get(file.path)), this.options.concurrency, changed);
        this.files.changed = toHash.length;
        const dataKeys = (await this.data.read(signal)).map((object) => object.key);
        const plan = planContent(hashed, storedContent(dataKeys, kept), this.config.packThresholdBytes);
        const job = {
            store: this.store,
            area: this.area,
            storageClass: this.config.storageClass,
            concurrency: this.options.concurrency,
            local,
            log: this.options.log,
            signal,
            mtimeSeconds: Math.floor(createdAt.getTime() / 1000),
            clock: this.options.clock,
        };
        let objects, pack;
        try {
            objects = await uploadObjects(plan.uploads, job);
            pack = await uploadPack(plan.packed, packKey(createdAt, runId), job);
        }
        catch (error) {
            this.data.forget(); // what was stored before the failure is not in the listing
            throw error;
        }
        // The clean-up reuses the listing: the content stored since is in it, as new.
        this.data.stored(objects.files, this.config.storageClass, this.options.clock());
        changed.push(...objects.changed, ...pack.changed);
        for (const path of changed) {
            warn?.(`${path} changed while it was read; it is left out of this backup.`);
        }
        this.files.changedWhileRead = changed;
        const stored = [...objects.files, ...pack.files];
        this.files.uploaded = {
            files: stored.length,
            objects: objects.objects + pack.objects,
            bytes: objects.bytes + pack.bytes,
        };
        this.files.reused = known.length + plan.reused.length;
        const manifest = {
            format: MANIFEST_FORMAT,
            version: MANIFEST_VERSION,
            set: this.set,
            fileSet: this.fileSet,
            createdAt: createdAt.toISOString(),
            ...(runId ? { runId } : {}),
            root: scan.root,
            storageClass: this.config.storageClass,
            files: [...known, ...plan.reused, ...stored],
        };
        const key = manifestKey(this.area, createdAt, runId);
        const written = await this.store.putIfAbsent(key, serializeManifest(manifest), {
            storageClass: 'STANDARD',
            contentType: 'application/json',
            ...(signal ? { signal } : {}),
        });
        if (written === 'exists') {
            throw new errors/* TargetError */.I0(`The manifest ${key} exists already; it was left as it is.`);
        }
        this.manifests.set(key, manifest);
        const backup = this.backupOf(key);
        if (!backup)
            throw new errors/* TargetError */.I0(`The manifest key ${key} does not read back.`);
        return backup;
    }
    /** Never called: `copy-to-regions` is refused for files (S3 replication copies buckets). */
    copy() {
        return Promise.reject(new errors/* TargetError */.I0('File backups are not copied across Regions: use S3 replication.'));
    }
    copySlots() {
        return 1;
    }
    waitUntilDone(backup) {
        return Promise.resolve(backup);
    }
    async delete(backup, signal) {
        const { failed } = await this.store.deleteKeys([backup.id], signal);
        const refusal = failed[0];
        if (refusal) {
            throw new errors/* TargetError */.I0(`Could not delete s3://${this.config.bucket}/${backup.id}: ${refusal.code}: ${refusal.message}`);
        }
        return { result: 'deleted' };
    }
    /**
     * Deletes the content that none of `remaining` (the manifests left after pruning) references,
     * once its class's minimum duration has passed; reports what waits, with the date it is free.
     */
    async collectUnreferenced(remaining, options) {
        await collectContent({
            store: this.store,
            area: this.area,
            data: this.data,
            remaining: await this.readManifests(remaining, options.signal),
            now: options.now,
            dryRun: options.dryRun,
            allowEarlyDelete: this.config.allowEarlyDelete,
            graceMs: this.options.graceMs ?? MAX_GRACE_MS,
            signal: options.signal,
        }, this.files);
    }
    /**
     * Restores the backup `restore.backup` names (`latest`: the newest manifest) into `restore.to`;
     * archived content is asked back from S3 first, and a later run finishes.
     */
    async restore(restore, workspace, signal) {
        const backups = await this.listBackups(this.set);
        const chosen = restore.backup === 'latest'
            ? backups.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime()).at(-1)
            : backups.find((backup) => backup.id === restore.backup);
        if (!chosen) {
            throw new errors/* TargetError */.I0(restore.backup === 'latest'
                ? `File set ${this.fileSet} has no backup in s3://${this.config.bucket}/${this.area} to restore.`
                : `${restore.backup} is no backup of file set ${this.fileSet} in s3://${this.config.bucket}/${this.area}: give a backup-id the action reported, or 'latest'.`);
        }
        const [manifest] = await this.readManifests([chosen], signal);
        this.files.restore = await restoreManifest({
            store: this.store,
            area: this.area,
            manifest: manifest,
            backupId: chosen.id,
            restore,
            workspace,
            concurrency: this.options.concurrency,
            signal,
        });
        return this.files.restore;
    }
    /** The manifests of `backups`, read once each, oldest first. */
    async readManifests(backups, signal) {
        const sorted = [...backups].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
        const limit = (0,p_limit/* default */.A)(8);
        return Promise.all(sorted.map((backup) => limit(async () => {
            const known = this.manifests.get(backup.id);
            if (known)
                return known;
            const manifest = parseManifest(await this.store.getText(backup.id, signal), backup.id);
            this.manifests.set(backup.id, manifest);
            return manifest;
        })));
    }
    backupOf(key) {
        const { area, region, set, fileSet } = this;
        return manifestBackup(key, { area, region, set, fileSet });
    }
}


/***/ })

};
