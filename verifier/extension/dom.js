// The code-bearing elements of a document, as comparable strings.  Loaded
// as a classic content script (before content.js) and, for tests, as a
// module for its side effect: it only defines globalThis.sealpostDom.
//
// Code-bearing: scripts (with their text if inline), links, http-equiv
// metas, base, frames, objects, and any element with an event-handler
// attribute or a javascript: URL.  Used on the live document and on one
// that DOMParser made from the verified bytes; elements under <noscript>
// are skipped (parsed differently with scripting on and off).
globalThis.sealpostDom = (() => {
  const CODE_TAGS = new Set(['script', 'link', 'base', 'iframe', 'frame', 'object', 'embed']);
  const risky = (a) => /^on/i.test(a.name) || /^\s*javascript:/i.test(a.value);

  function isCodeBearing(el) {
    if (el.closest('noscript')) return false;
    if (CODE_TAGS.has(el.localName)) return true;
    if (el.localName === 'meta' && el.hasAttribute('http-equiv')) return true;
    return [...el.attributes].some(risky);
  }

  function signature(el) {
    const tag = el.localName;
    const all = CODE_TAGS.has(tag) || tag === 'meta';
    const attrs = [...el.attributes]
      .filter((a) => all || risky(a))
      .map((a) => `${a.name.toLowerCase()}=${JSON.stringify(a.value)}`)
      .sort();
    const text = tag === 'script' && !el.hasAttribute('src') ? ` text=${JSON.stringify(el.textContent)}` : '';
    return `<${tag}${attrs.map((a) => ' ' + a).join('')}>${text}`;
  }

  /** The code-bearing elements in `root` and below. */
  function elements(root) {
    return [root, ...root.querySelectorAll('*')].filter(isCodeBearing);
  }

  /** Signatures of the code-bearing elements in `root` and below. */
  function collect(root) {
    return elements(root).map(signature);
  }

  /** Multiset difference: what `actual` has beyond `expected`, and what it lacks. */
  function diff(actual, expected) {
    const count = new Map();
    for (const s of expected) count.set(s, (count.get(s) || 0) + 1);
    const extra = [];
    for (const s of actual) {
      const n = count.get(s) || 0;
      if (n > 0) count.set(s, n - 1);
      else extra.push(s);
    }
    const missing = [];
    for (const [s, n] of count) for (let i = 0; i < n; i++) missing.push(s);
    return { extra, missing };
  }

  return { collect, diff, elements, signature };
})();
