export const id = 310;
export const ids = [310];
export const modules = {

/***/ 7310:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   scanFiles: () => (/* binding */ scanFiles)
/* harmony export */ });
/* unused harmony export commonDirectory */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var _actions_glob__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(4427);
/* harmony import */ var _constants_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(7242);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(3916);
/**
 * The runner's side of a `files` backup: the `path` patterns scanned into the files to back up
 * (patterns globbed, links and special files skipped, the root they are relative to). Their
 * content is hashed, read and restored by `file-hash.ts`.
 */






/** The input whose patterns are scanned (named in its errors), and the one that follows links. */
const PATH_INPUT = _constants_js__WEBPACK_IMPORTED_MODULE_4__/* .INPUTS */ .mc.path;
const FOLLOW_INPUT = _constants_js__WEBPACK_IMPORTED_MODULE_4__/* .INPUTS */ .mc.followSymbolicLinks;
/**
 * Scans the `path` patterns into the regular files to back up.
 *
 * - Patterns are those of `@actions/glob` (`!` excludes what the patterns before it matched, `#`
 *   starts a comment, blank lines are ignored); a relative pattern is relative to `workspace`.
 *   A directory matched is walked: its files are backed up, never the directory itself.
 * - Every include pattern must match at least one regular file, once the `!` patterns after it are
 *   applied, else an `InputError` names the input and the pattern: a typo never backs up nothing.
 * - Symbolic links: with `followSymbolicLinks` false a link is neither followed nor stored (a link
 *   holds no data, and restoring one that points outside the restored tree would be a surprise);
 *   it is listed in `skipped`. With true, a link to a file is backed up as a file (its target's
 *   content, at the link's path) and a link to a directory is walked; broken links and cycles are
 *   passed over, as `@actions/glob` does.
 * - Sockets, FIFOs and devices are listed in `skipped`, never read (a FIFO would block the run).
 * - `root` is the deepest common directory of the patterns' literal beginnings (`/data` for
 *   `/data/**`, the directory of a pattern naming one file): `/data/**` backs up `a/b.txt`, not
 *   `data/a/b.txt`, and a backup's layout does not change with which files happen to exist.
 */
async function scanFiles(options) {
    const workspace = node_path__WEBPACK_IMPORTED_MODULE_2__.resolve(options.workspace);
    const lines = patternLines(options.patterns, workspace);
    const includes = lines.flatMap((line, index) => (line.exclude ? [] : [{ line, index }]));
    if (includes.length === 0) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_5__/* .InputError */ .dz(PATH_INPUT, `Input '${PATH_INPUT}' has no pattern to back up: give one glob pattern a line ('!' excludes, '#' starts a comment).`);
    }
    const entries = new Map();
    const entryOf = (file) => {
        let entry = entries.get(file);
        if (!entry) {
            entry = classify(file, options.followSymbolicLinks);
            entries.set(file, entry);
        }
        return entry;
    };
    const bases = [];
    for (const { line, index } of includes) {
        // One globber per include, with the excludes that follow it: what it keeps is what
        // `@actions/glob` keeps of it from all the lines (an exclude undoes only the lines before it).
        const later = lines.slice(index + 1).filter((other) => other.exclude);
        const { matched, searchPath } = await globOne(line, later, options.followSymbolicLinks);
        const kinds = await Promise.all(matched.map(async (file) => (await entryOf(file)).kind));
        if (!kinds.includes('file'))
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_5__/* .InputError */ .dz(PATH_INPUT, noFileMessage(line, later, kinds, workspace));
        bases.push(await baseOf(searchPath, options.followSymbolicLinks));
    }
    const root = commonDirectory(bases);
    const files = [];
    const skipped = [];
    for (const [absolutePath, pending] of entries) {
        const entry = await pending;
        if (entry.kind !== 'file') {
            skipped.push({ path: absolutePath, reason: entry.kind });
            continue;
        }
        const relative = node_path__WEBPACK_IMPORTED_MODULE_2__.relative(root, absolutePath).split(node_path__WEBPACK_IMPORTED_MODULE_2__.sep).join('/');
        if (relative === '' ||
            relative === '..' ||
            relative.startsWith('../') ||
            node_path__WEBPACK_IMPORTED_MODULE_2__.isAbsolute(relative)) {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_5__/* .TargetError */ .I0(`The file '${absolutePath}' is not under the scan's root '${root}'.`);
        }
        files.push({
            path: relative,
            absolutePath,
            size: entry.stats.size,
            mtimeMs: Math.floor(entry.stats.mtimeMs),
            mode: entry.stats.mode & 0o7777,
        });
    }
    files.sort((a, b) => compare(a.path, b.path));
    skipped.sort((a, b) => compare(a.path, b.path));
    return { root, files, skipped };
}
/** The `path` input's lines: comments and blanks dropped, relative patterns made absolute. */
function patternLines(patterns, workspace) {
    const lines = [];
    for (const raw of patterns.split(/\r\n|\r|\n/)) {
        const text = raw.trim();
        if (text === '' || text.startsWith('#'))
            continue;
        // `@actions/glob`'s negation: each leading `!` flips it, blanks between are allowed.
        let exclude = false;
        let pattern = text;
        while (pattern.startsWith('!')) {
            exclude = !exclude;
            pattern = pattern.slice(1).trim();
        }
        if (pattern === '') {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_5__/* .InputError */ .dz(PATH_INPUT, `Input '${PATH_INPUT}' has a line '${text}' with no pattern after its '!'.`);
        }
        const relative = !(node_path__WEBPACK_IMPORTED_MODULE_2__.isAbsolute(pattern) || pattern === '~' || /^~[\\/]/.test(pattern));
        const anchored = relative ? anchor(pattern, workspace) : pattern;
        lines.push({ text, anchored: `${exclude ? '!' : ''}${anchored}`, exclude, relative });
    }
    return lines;
}
/** A relative pattern made absolute against the workspace (escaped, so that it is taken literally). */
function anchor(pattern, workspace) {
    const rest = pattern === '.' ? '' : pattern.replace(/^\.[\\/]/, '');
    const base = globEscape(workspace).replace(/[\\/]+$/, '');
    return rest === '' ? base || node_path__WEBPACK_IMPORTED_MODULE_2__.sep : `${base}${node_path__WEBPACK_IMPORTED_MODULE_2__.sep}${rest}`;
}
/** A literal path as a glob pattern: `@actions/glob`'s own escaping (`Pattern.globEscape`). */
function globEscape(literal) {
    return (process.platform === 'win32' ? literal : literal.replace(/\\/g, '\\\\'))
        .replace(/(\[)(?=[^/]+\])/g, '[[]')
        .replace(/\?/g, '[?]')
        .replace(/\*/g, '[*]');
}
/** What one include pattern matches, the excludes after it applied, and where its walk starts. */
async function globOne(line, excludes, followSymbolicLinks) {
    let globber;
    try {
        globber = await _actions_glob__WEBPACK_IMPORTED_MODULE_3__/* .create */ .v([line.anchored, ...excludes.map((e) => e.anchored)].join('\n'), {
            followSymbolicLinks,
            implicitDescendants: true,
            matchDirectories: false,
            omitBrokenSymbolicLinks: true,
            excludeHiddenFiles: false,
        });
    }
    catch (error) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_5__/* .InputError */ .dz(PATH_INPUT, `Input '${PATH_INPUT}' has an invalid pattern '${line.text}'${excludes.length > 0 ? ' (or an invalid exclude after it)' : ''}: ${(0,_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .messageOf */ .bD)(error)}.`);
    }
    const [searchPath] = globber.getSearchPaths();
    if (searchPath === undefined)
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_5__/* .TargetError */ .I0(`The pattern '${line.text}' has no search path.`);
    try {
        return { matched: await globber.glob(), searchPath };
    }
    catch (error) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_5__/* .TargetError */ .I0(`Scanning the pattern '${line.text}' of input '${PATH_INPUT}' failed: ${(0,_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .messageOf */ .bD)(error)}.`, {
            cause: error,
        });
    }
}
/** What a matched path is, by `lstat` (or `stat` when links are followed). */
async function classify(file, followSymbolicLinks) {
    let stats;
    try {
        stats = followSymbolicLinks ? await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.stat)(file) : await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.lstat)(file);
    }
    catch (error) {
        if ((0,_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .systemErrorCode */ .vq)(error) === 'ENOENT')
            return { kind: 'vanished' };
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_5__/* .TargetError */ .I0(`Reading '${file}' failed: ${(0,_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .messageOf */ .bD)(error)}.`, { cause: error });
    }
    if (stats.isFile())
        return { kind: 'file', stats };
    if (stats.isSymbolicLink())
        return { kind: 'symbolic-link' };
    return { kind: 'special-file' };
}
/** The message for an include pattern that matched no regular file. */
function noFileMessage(line, excludes, kinds, workspace) {
    const where = line.relative ? ` in the workspace '${workspace}'` : '';
    const after = excludes.length > 0 ? ", once the '!' patterns after it are applied" : '';
    const links = kinds.filter((kind) => kind === 'symbolic-link').length;
    const special = kinds.filter((kind) => kind === 'special-file').length;
    if (links === 0 && special === 0) {
        return `Input '${PATH_INPUT}': the pattern '${line.text}' matches no file${where}${after}.`;
    }
    const what = [
        ...(links > 0 ? [`${links} symbolic link${links === 1 ? '' : 's'}`] : []),
        ...(special > 0 ? [`${special} socket${special === 1 ? '' : 's'}, FIFO or device`] : []),
    ].join(' and ');
    const hint = links > 0 ? `; set '${FOLLOW_INPUT}: true' to back up what links point to` : '';
    return `Input '${PATH_INPUT}': the pattern '${line.text}' matches no regular file${where}${after}, only ${what}, which are not backed up${hint}.`;
}
/** The directory a pattern's files are under: its literal beginning, or that file's directory. */
async function baseOf(searchPath, followSymbolicLinks) {
    const stats = await (followSymbolicLinks ? (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.stat)(searchPath) : (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.lstat)(searchPath));
    return stats.isDirectory() ? node_path__WEBPACK_IMPORTED_MODULE_2__.resolve(searchPath) : node_path__WEBPACK_IMPORTED_MODULE_2__.dirname(node_path__WEBPACK_IMPORTED_MODULE_2__.resolve(searchPath));
}
/** The deepest directory that holds all of `directories` (absolute). */
function commonDirectory(directories) {
    const [first, ...rest] = directories.map((directory) => node_path__WEBPACK_IMPORTED_MODULE_2__.resolve(directory));
    if (first === undefined)
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_5__/* .TargetError */ .I0('No directory to find the common root of.');
    const root = node_path__WEBPACK_IMPORTED_MODULE_2__.parse(first).root;
    let common = segments(first);
    for (const directory of rest) {
        if (node_path__WEBPACK_IMPORTED_MODULE_2__.parse(directory).root !== root) {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_5__/* .TargetError */ .I0(`The files of input '${PATH_INPUT}' are on different drives ('${first}', '${directory}'): back each drive up in a step of its own.`);
        }
        const other = segments(directory);
        let shared = 0;
        while (shared < common.length && shared < other.length && same(common[shared], other[shared]))
            shared++;
        common = common.slice(0, shared);
    }
    return node_path__WEBPACK_IMPORTED_MODULE_2__.join(root, ...common);
}
function segments(directory) {
    return node_path__WEBPACK_IMPORTED_MODULE_2__.relative(node_path__WEBPACK_IMPORTED_MODULE_2__.parse(directory).root, directory)
        .split(node_path__WEBPACK_IMPORTED_MODULE_2__.sep)
        .filter((segment) => segment !== '');
}
function same(a, b) {
    return process.platform === 'win32' ? a?.toLowerCase() === b?.toLowerCase() : a === b;
}
function compare(a, b) {
    return a < b ? -1 : a > b ? 1 : 0;
}


/***/ })

};
