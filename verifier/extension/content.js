// Registered only for enrolled origins, in every frame, at document_start,
// before any page script.  It records every element the parser
// inserts (a MutationObserver sees them even if a script removes them
// again) until parsing ends, walks the finished tree (shadow roots
// included), then compares them with the verified document's.  This checks
// the document this tab actually received: a server that serves the
// genuine page to the extension's own fetch and another one to the browser
// is caught here.  Then it proves the guard's policy holds *in this
// document*: an inline canary must be refused by exactly that policy, and
// no service worker may control the page.  Until the guard says the load is
// valid, the page is inert: no click, key or paste reaches it (a forged page
// cannot be used before it is blocked).
(() => {
  const INERT = ['click', 'auxclick', 'dblclick', 'mousedown', 'mouseup', 'pointerdown', 'pointerup', 'touchstart', 'touchend',
    'keydown', 'keypress', 'keyup', 'beforeinput', 'input', 'paste', 'drop', 'submit', 'contextmenu'];
  const swallow = (e) => {
    e.stopImmediatePropagation();
    e.preventDefault();
  };
  // Registered at document_start, before any page script: first on the event path.
  for (const t of INERT) window.addEventListener(t, swallow, true);
  chrome.runtime.onMessage.addListener((msg, _sender, reply) => {
    // The guard asks whether this document is still the one it is about to block.
    if (msg && msg.type === 'alive') reply(true);
    if (msg && msg.type === 'verdict' && msg.state === 'valid') {
      for (const t of INERT) window.removeEventListener(t, swallow, true);
      document.documentElement.dataset.sealpostVerified = '';
    }
  });

  const { diff, parseVerified, pageElements, fullSignature } = globalThis.sealpostDom;
  // The URL as the network saw it (no fragment).
  const here = () => location.href.split('#')[0];
  // A prerendered page (Speculation Rules, the address bar) gets no
  // verdict: once it is activated, the guard loads the tab again, checked.
  // Until then it stays inert, and nothing else runs here.
  if (document.prerendering) {
    document.addEventListener('prerenderingchange', () => {
      if (window === window.top) chrome.runtime.sendMessage({ type: 'activated', url: here() }).catch(() => {});
    }, { once: true });
    return;
  }
  // Whether a service worker controls this document (reading it throws in a
  // sandboxed, opaque-origin frame: no service worker can control one).
  const controlled = () => {
    try {
      return !!navigator.serviceWorker?.controller;
    } catch {
      return false;
    }
  };
  // Any service worker registration of the origin (a release uses none):
  // one left over after enrollment cleared them, or registered since, counts
  // as a controller — every guarded document confirms they are gone.
  const registered = async () => {
    try {
      return ((await navigator.serviceWorker?.getRegistrations()) || []).length > 0;
    } catch {
      return false;
    }
  };
  // A document no network load produced: a service worker answered for it.  Blocked at once.
  if (controlled()) {
    chrome.runtime.sendMessage({ type: 'controlled', url: here() }).catch(() => {});
    return;
  }
  // An about:blank, about:srcdoc, blob: or data: frame of a page of the
  // origin (matchOriginAsFallback): no signed text of its own.
  const local = !/^https?:$/.test(location.protocol);
  // Each element once (a subtree is seen again through its children's records),
  // kept even if a script removes it.
  const seen = new Set();
  const take = (records) => {
    for (const r of records) for (const n of r.addedNodes) if (n.nodeType === 1) for (const el of pageElements(n)) seen.add(el);
  };
  const observer = new MutationObserver(take);
  if (document.documentElement) for (const el of pageElements(document.documentElement)) seen.add(el);
  observer.observe(document, { childList: true, subtree: true });

  /**
   * Proves `policy` holds in this document: an inline event handler (always
   * compiled in the page's world, under the page's policies) must be refused
   * by exactly that policy, as a trusted violation report says.  Resolves
   * 'refused', 'ran' or 'unreported'.
   */
  function canary(policy, text, ms) {
    return new Promise((resolve) => {
      let timer;
      const done = (v) => {
        clearTimeout(timer);
        document.removeEventListener('securitypolicyviolation', onViolation, true);
        resolve(v);
      };
      const onViolation = (e) => {
        if (e.isTrusted && policy && e.originalPolicy.trim() === policy && /^script-src/.test(e.effectiveDirective)) done('refused');
      };
      document.addEventListener('securitypolicyviolation', onViolation, true);
      const probe = document.createElement('i');
      probe.setAttribute('onclick', text);
      probe.hidden = true;
      (document.body || document.documentElement).appendChild(probe);
      probe.click();
      probe.remove();
      if (document.documentElement.dataset.sealpostCanary === 'ran') return done('ran');
      timer = setTimeout(() => done('unreported'), ms);
    });
  }

  const finishLocal = async () => {
    const r = await chrome.runtime.sendMessage({ type: 'local-frame', url: here() });
    if (!r || !r.ok) return;
    const result = { local: true, scheme: location.protocol, canary: await canary(r.policy, r.canary, r.canaryMs), serviceWorker: controlled() || await registered() };
    await chrome.runtime.sendMessage({ type: 'dom-result', url: here(), ...result });
  };

  const finish = async () => {
    if (local) return finishLocal();
    // 'interactive': the parser is done and deferred/module scripts have not run yet,
    // so what was recorded is the served document, not what the release's code adds.
    take(observer.takeRecords());
    observer.disconnect();
    for (const el of pageElements(document.documentElement)) seen.add(el);
    // Now, before the release's (deferred, module) scripts change the page.
    const parsed = [...seen].map(fullSignature);
    const r = await chrome.runtime.sendMessage({ type: 'verified-document', url: here() });
    if (!r || !r.ok || typeof r.text !== 'string') return; // failed already (blocked), or not enrolled
    const verified = parseVerified(r.text);
    const d = diff(parsed, pageElements(verified.documentElement).map(fullSignature));
    const result = { ...d, canary: await canary(r.policy, r.canary, r.canaryMs), serviceWorker: controlled() || await registered() };
    await chrome.runtime.sendMessage({ type: 'dom-result', url: here(), ...result });
  };
  if (document.readyState === 'loading') {
    document.addEventListener('readystatechange', () => finish(), { once: true });
  } else {
    finish();
  }
  // Back/forward cache: the same document again; the guard decides whether it may be shown.
  window.addEventListener('pageshow', (e) => {
    if (e.persisted && !local) chrome.runtime.sendMessage({ type: 'restored', url: here() });
  });
})();
