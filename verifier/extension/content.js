// Registered only for enrolled origins, at document_start, before any page
// script.  It records every code-bearing element the parser inserts (a
// MutationObserver sees them even if a script removes them again) until
// parsing ends, then compares them with the verified document's, parsed
// here with DOMParser.  This checks the document this tab actually
// received: a server that serves the genuine page to the extension's own
// fetch and another one to the browser is caught here.
(() => {
  const { collect, diff, elements, signature } = globalThis.sealpostDom;
  // Each element once (a subtree is seen again through its children's records),
  // kept even if a script removes it.
  const seen = new Set();
  const take = (records) => {
    for (const r of records) for (const n of r.addedNodes) if (n.nodeType === 1) for (const el of elements(n)) seen.add(el);
  };
  const observer = new MutationObserver(take);
  if (document.documentElement) for (const el of elements(document.documentElement)) seen.add(el);
  observer.observe(document, { childList: true, subtree: true });

  const finish = async () => {
    // 'interactive': the parser is done and deferred/module scripts have not run yet,
    // so what was recorded is the served document, not what the release's code adds.
    take(observer.takeRecords());
    observer.disconnect();
    const r = await chrome.runtime.sendMessage({ type: 'verified-document', url: location.href });
    if (!r || !r.ok || typeof r.text !== 'string') return; // failed already, or not enrolled
    const verified = new DOMParser().parseFromString(r.text, 'text/html');
    const d = diff([...seen].map(signature), collect(verified.documentElement));
    await chrome.runtime.sendMessage({ type: 'dom-result', url: location.href, ...d });
  };
  if (document.readyState === 'loading') {
    document.addEventListener('readystatechange', () => finish(), { once: true });
  } else {
    finish();
  }
})();
