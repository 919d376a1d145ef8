// The widget's files next to its script, each fetched with its SRI hash so that a file that is
// not the one this build made is refused. scripts/lib/bundle.mjs fills in __CHUNKS__ (the panel
// stage's wasm chunks by the name the splitter gave them) and points the splitter's link module
// at fetchChunk and instantiateChunk.

var base = location.href;
var CHUNKS = __CHUNKS__;

/** Resolves files against the script's own URL (query strings such as `?v=3` are fine). */
export function setBase(url) {
  base = url;
}

/** `fetch` of `[name, integrity]`; a response whose bytes do not match is refused. */
export function fetchFile(file) {
  try {
    return fetch(new URL(file[0], base), { integrity: file[1] });
  } catch (error) {
    return Promise.reject(error);
  }
}

// Chunks fetched and compiled ahead of need (precompileChunk), by name: the compiled module.
var compiled = {};

/**
 * Fetches and compiles a chunk without running it (streaming compilation, off the main thread),
 * so that loading it later only instantiates it. A failure is forgotten: the load tries again.
 */
export function precompileChunk(name) {
  (compiled[name] = compiled[name] || fetchChunk(name, true).then(compile)).catch(function () {
    delete compiled[name];
  });
}

// Called with a chunk's name as it is fetched; the chunk starts once the promise it returns (if
// any) settles. The loader fetches the panel stage's strings alongside its chunk this way.
var alongside = function () {};

/** Sets what is fetched alongside a chunk (the hook never rejects). */
export function setAlongside(hook) {
  alongside = hook;
}

/**
 * A chunk; a failure is logged once (unless `quiet`: fetched ahead of need, it is tried again
 * when needed) and rejected (the panel shows Retry).
 */
export function fetchChunk(name, quiet) {
  var waits = alongside(name);
  // Compiled ahead of need: that module (instantiateChunk takes either).
  if (compiled[name]) return compiled[name];
  var file = CHUNKS[name];
  var response = file ? fetchFile(file) : Promise.reject(new Error('this build has no chunk ' + name));
  return Promise.all([response, waits]).then(function (both) {
    if (!both[0].ok) throw new Error('HTTP ' + both[0].status);
    return both[0];
  }).catch(function (error) {
    if (!quiet) console.error('orcheo-chat: could not load ' + (file ? file[0] : name), error);
    throw error;
  });
}

/** Compiles a chunk while it downloads, or from its bytes when the server's MIME type is wrong. */
function compile(answer) {
  return /^application\/wasm\b/.test(answer.headers.get('content-type') || '')
    ? WebAssembly.compileStreaming(answer)
    : answer.arrayBuffer().then(function (bytes) { return WebAssembly.compile(bytes); });
}

/** Instantiates a chunk: one precompileChunk compiled, or one still downloading. */
export function instantiateChunk(response, imports) {
  return Promise.resolve(response).then(function (answer) {
    return answer instanceof WebAssembly.Module ? answer : compile(answer);
  }).then(function (module) {
    return WebAssembly.instantiate(module, imports);
  }).then(function (instance) {
    // The chunk starts in a task of its own: instantiating and starting it in one task would
    // be one long task on a slow phone.
    return new Promise(function (resolve) {
      setTimeout(function () { resolve(instance); });
    });
  });
}
