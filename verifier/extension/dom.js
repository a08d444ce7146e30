// The code-bearing elements of a document, as comparable strings.  Loaded
// as a classic content script (before content.js) and, for tests, as a
// module for its side effect: it only defines globalThis.sealpostDom.
//
// Code-bearing, in every namespace (HTML, SVG, MathML): scripts (with
// their text if inline; an SVG <script href> too), links, http-equiv
// metas, base, frames, objects, templates, SVG animations, any element
// with an href-like attribute outside HTML, and any element with an
// event-handler attribute or a javascript: URL.  Shadow roots (declarative
// ones included) are walked too.  Used on the live document and on one
// parsed from the verified bytes; only elements under an *HTML* <noscript>
// are skipped (parsed as markup only with scripting off) — an SVG
// <noscript> is an ordinary SVG element, and what is inside it runs.
globalThis.sealpostDom = (() => {
  const HTML = 'http://www.w3.org/1999/xhtml';
  const PREFIX = { 'http://www.w3.org/2000/svg': 'svg:', 'http://www.w3.org/1998/Math/MathML': 'math:' };
  const CODE_TAGS = new Set(['script', 'link', 'base', 'iframe', 'frame', 'object', 'embed', 'template', 'portal', 'fencedframe']);
  const SVG_ANIMATION = new Set(['animate', 'set', 'animatemotion', 'animatetransform', 'discard']);
  // Browsers drop ASCII tab/newline and leading C0/space in URLs: "java\tscript:" is javascript:.
  const squeeze = (v) => v.replace(/[\u0000-\u0020]/g, '');
  const risky = (a) => /^on/i.test(a.name) || /javascript:|vbscript:/i.test(squeeze(a.value));
  const hrefLike = (a) => /(^|:)href$/i.test(a.name) || /^(src|action|formaction|data)$/i.test(a.name);

  function underHtmlNoscript(el) {
    for (let p = el.parentNode; p; p = p.parentNode) {
      if (p.nodeType === 1 && p.namespaceURI === HTML && p.localName === 'noscript') return true;
    }
    return false;
  }

  function isCodeBearing(el) {
    if (underHtmlNoscript(el)) return false;
    const tag = el.localName.toLowerCase();
    if (CODE_TAGS.has(tag)) return true;
    if (el.namespaceURI === HTML && tag === 'meta' && el.hasAttribute('http-equiv')) return true;
    if (el.namespaceURI !== HTML && (SVG_ANIMATION.has(tag) || [...el.attributes].some(hrefLike))) return true;
    return [...el.attributes].some(risky);
  }

  function signature(el) {
    const tag = el.localName.toLowerCase();
    const foreign = el.namespaceURI !== HTML;
    const all = CODE_TAGS.has(tag) || tag === 'meta' || foreign;
    const attrs = [...el.attributes]
      .filter((a) => all || risky(a))
      .map((a) => `${a.name.toLowerCase()}=${JSON.stringify(a.value)}`)
      .sort();
    const text = tag === 'script' && !el.hasAttribute('src') ? ` text=${JSON.stringify(el.textContent)}` : '';
    const where = el.getRootNode() instanceof ShadowRoot ? 'shadow>' : '';
    return `${where}<${PREFIX[el.namespaceURI] || ''}${tag}${attrs.map((a) => ' ' + a).join('')}>${text}`;
  }

  /** The shadow root of `el`, open or closed (closed ones only where the extension API is there). */
  function shadowOf(el) {
    try {
      return globalThis.chrome?.dom?.openOrClosedShadowRoot?.(el) || el.shadowRoot || null;
    } catch {
      return el.shadowRoot || null;
    }
  }

  /** Every element in `root` and below, shadow trees included. */
  function allElements(root) {
    const out = [];
    const walk = (node) => {
      if (node.nodeType === 1) out.push(node);
      const shadow = node.nodeType === 1 ? shadowOf(node) : null;
      if (shadow) walk(shadow);
      for (let c = node.firstChild; c; c = c.nextSibling) walk(c);
      // A <template>'s content (not a declarative shadow root: those are attached above).
      if (node.nodeType === 1 && node.localName === 'template' && node.content) walk(node.content);
    };
    walk(root);
    return out;
  }

  /** The code-bearing elements in `root` and below. */
  function elements(root) {
    return allElements(root).filter(isCodeBearing);
  }

  /**
   * Every element of the page in `root` and below — not only code: a forged
   * page with the genuine scripts (a fake banner, a phishing link, CSS that
   * leaks text) differs here.  Elements under an HTML <noscript> are left
   * out (parsed as markup only with scripting off).
   */
  function pageElements(root) {
    return allElements(root).filter((el) => !underHtmlNoscript(el));
  }

  /** An element with all its attributes and its own text (not its children's). */
  function fullSignature(el) {
    const tag = el.localName.toLowerCase();
    const attrs = [...el.attributes].map((a) => `${a.name.toLowerCase()}=${JSON.stringify(a.value)}`).sort();
    let text = '';
    const noscript = el.namespaceURI === HTML && tag === 'noscript';
    if (!noscript) for (let c = el.firstChild; c; c = c.nextSibling) if (c.nodeType === 3) text += c.data;
    const where = el.getRootNode() instanceof ShadowRoot ? 'shadow>' : '';
    return `${where}<${PREFIX[el.namespaceURI] || ''}${tag}${attrs.map((a) => ' ' + a).join('')}>${text ? ' text=' + JSON.stringify(text) : ''}`;
  }

  /** Signatures of the code-bearing elements in `root` and below. */
  function collect(root) {
    return elements(root).map(signature);
  }

  /** A document from verified bytes, with declarative shadow roots attached as the tab's parser does. */
  function parseVerified(text) {
    if (typeof Document !== 'undefined' && typeof Document.parseHTMLUnsafe === 'function') return Document.parseHTMLUnsafe(text);
    return new DOMParser().parseFromString(text, 'text/html');
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

  return { collect, diff, elements, signature, parseVerified, pageElements, fullSignature };
})();
