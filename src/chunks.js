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

/** A chunk of the panel stage; a failure is logged once and rejected (the panel shows Retry). */
export function fetchChunk(name) {
  var file = CHUNKS[name];
  var response = file ? fetchFile(file) : Promise.reject(new Error('this build has no chunk ' + name));
  return response.then(function (answer) {
    if (!answer.ok) throw new Error('HTTP ' + answer.status);
    return answer;
  }).catch(function (error) {
    console.error('orcheo-chat: could not load ' + (file ? file[0] : name), error);
    throw error;
  });
}

/** Compiles a chunk while it downloads, or from its bytes when the server's MIME type is wrong. */
export function instantiateChunk(response, imports) {
  return Promise.resolve(response).then(function (answer) {
    if (/^application\/wasm\b/.test(answer.headers.get('content-type') || '')) {
      return WebAssembly.instantiateStreaming(answer, imports);
    }
    return answer.arrayBuffer().then(function (bytes) {
      return WebAssembly.instantiate(bytes, imports);
    });
  });
}
