// Registers the service worker (sw.js), which keeps this page's own files in the browser so that
// the page opens and works without a connection after the first visit, and says so at the foot
// of the page. The worker keeps code only: the files a user chooses are never stored. Imported
// by app.js once the engine has warmed up (issue 6): its copying of the site's files must not
// compete with the first view or the warm-up.

async function start() {
  if (!('serviceWorker' in navigator) || !window.isSecureContext) return;
  try {
    await navigator.serviceWorker.register('./sw.js', { scope: './' });
  } catch {
    // Not built (no sw-manifest.js) or refused by the browser: the page works online as before.
    return;
  }
  await navigator.serviceWorker.ready;
  const line = document.getElementById('offline-status');
  if (line) line.hidden = false;
  document.documentElement.dataset.offline = 'ready';
}

start();
