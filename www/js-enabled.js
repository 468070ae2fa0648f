// The first thing in <body> (a classic script), so GOV.UK Frontend's JavaScript-only styles
// apply from the first paint. A file rather than the usual inline snippet because the page's
// Content-Security-Policy allows no inline script.
document.body.className +=
  ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');
