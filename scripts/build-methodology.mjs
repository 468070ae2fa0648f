// Builds docs/methodology.md into www/methodology.html, styled with GOV.UK Frontend, so the
// method is part of the site (linked from the page and from each "How this figure was worked
// out"). A small converter of our own, for the Markdown the document uses: headings, paragraphs,
// bullet and numbered lists (continuation lines indented), pipe tables, `code`, **bold**,
// *emphasis* and [links](url). No network, no dependency.
//
//   node scripts/build-methodology.mjs [IN.md] [OUT.html]
//
// Headings get stable ids for links from the page: "### A1: ..." -> "A1" (an indicator), "## 10.
// Adoption activity" -> "adoption-activity" (the number dropped, so renumbering breaks no link).

import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const escape = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Inline Markdown: code spans first (their content is literal), then links, bold, emphasis. */
export function inline(text) {
  const parts = text.split(/(`[^`]*`)/);
  return parts
    .map((part, i) => {
      if (i % 2 === 1) return `<code>${escape(part.slice(1, -1))}</code>`;
      return escape(part)
        .replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (_, label, href) => `<a class="govuk-link" href="${href}">${label}</a>`)
        .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
        .replace(/(^|[\s(])\*([^*\s][^*]*)\*/g, '$1<em>$2</em>');
    })
    .join('');
}

/** The id of a heading (see the top of this file). */
export function headingId(text) {
  const indicator = /^(A\d+):/.exec(text);
  if (indicator) return indicator[1];
  return text
    .replace(/^\d+\.\s*/, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

const cells = (line) =>
  line
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split('|')
    .map((c) => c.trim());

/** Markdown to the body's HTML, and the headings (level 2) for the contents list. */
export function convert(markdown) {
  const lines = markdown.replace(/\r\n/g, '\n').split('\n');
  const out = [];
  const contents = [];
  const used = new Set();
  let tables = 0;
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (line.trim() === '') {
      i += 1;
      continue;
    }
    const heading = /^(#{1,4})\s+(.*)$/.exec(line);
    if (heading) {
      const level = heading[1].length;
      const text = heading[2].trim();
      let id = headingId(text);
      for (let n = 2; used.has(id); n += 1) id = `${headingId(text)}-${n}`;
      used.add(id);
      const cls = ['govuk-heading-xl', 'govuk-heading-l', 'govuk-heading-m', 'govuk-heading-s'][level - 1];
      out.push(`<h${level} class="${cls}" id="${id}">${inline(text)}</h${level}>`);
      if (level === 2) contents.push({ id, text });
      i += 1;
      continue;
    }
    if (line.startsWith('```')) {
      const body = [];
      i += 1;
      while (i < lines.length && !lines[i].startsWith('```')) body.push(lines[i++]);
      i += 1;
      out.push(`<pre class="app-code"><code>${escape(body.join('\n'))}</code></pre>`);
      continue;
    }
    if (line.trim().startsWith('|') && i + 1 < lines.length && /^\s*\|?\s*:?-{3,}/.test(lines[i + 1])) {
      const head = cells(line);
      i += 2;
      const rows = [];
      while (i < lines.length && lines[i].trim().startsWith('|')) rows.push(cells(lines[i++]));
      tables += 1;
      const caption = contents.length ? contents[contents.length - 1].text.replace(/^\d+\.\s*/, '') : 'Table';
      out.push(
        `<div class="app-table-scroll" role="region" aria-label="${escape(`${caption}: table ${tables}`)}" tabindex="0">` +
          '<table class="govuk-table app-table">' +
          `<thead class="govuk-table__head"><tr class="govuk-table__row">${head.map((c) => `<th scope="col" class="govuk-table__header">${inline(c)}</th>`).join('')}</tr></thead>` +
          `<tbody class="govuk-table__body">${rows
            .map((r) => `<tr class="govuk-table__row">${r.map((c) => `<td class="govuk-table__cell">${inline(c)}</td>`).join('')}</tr>`)
            .join('')}</tbody></table></div>`,
      );
      continue;
    }
    const item = /^(\s*)(-|\d+\.)\s+(.*)$/.exec(line);
    if (item) {
      const numbered = item[2] !== '-';
      const items = [];
      while (i < lines.length) {
        const m = /^(\s*)(-|\d+\.)\s+(.*)$/.exec(lines[i]);
        if (m && (m[2] !== '-') === numbered) {
          items.push(m[3]);
          i += 1;
        } else if (items.length && /^\s+\S/.test(lines[i])) {
          items[items.length - 1] += ` ${lines[i].trim()}`;
          i += 1;
        } else {
          break;
        }
      }
      const cls = numbered ? 'govuk-list govuk-list--number' : 'govuk-list govuk-list--bullet';
      const tag = numbered ? 'ol' : 'ul';
      out.push(`<${tag} class="${cls}">${items.map((t) => `<li>${inline(t)}</li>`).join('')}</${tag}>`);
      continue;
    }
    const para = [];
    while (
      i < lines.length &&
      lines[i].trim() !== '' &&
      !/^(#{1,4})\s/.test(lines[i]) &&
      !/^\s*(-|\d+\.)\s/.test(lines[i]) &&
      !lines[i].trim().startsWith('|') &&
      !lines[i].startsWith('```')
    ) {
      para.push(lines[i].trim());
      i += 1;
    }
    out.push(`<p class="govuk-body">${inline(para.join(' '))}</p>`);
  }
  return { body: out.join('\n'), contents };
}

export function page(markdown) {
  const { body, contents } = convert(markdown);
  const nav = contents.map((c) => `<li><a class="govuk-link" href="#${c.id}">${inline(c.text)}</a></li>`).join('');
  return `<!DOCTYPE html>
<html lang="en" class="govuk-template">
<head>
  <meta charset="utf-8">
  <title>Methodology – care-scorecard</title>
  <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
  <meta name="theme-color" content="#0b0c0c">
  <!-- Built from docs/methodology.md by scripts/build-methodology.mjs: edit that file, not this one. -->
  <meta http-equiv="Content-Security-Policy"
        content="default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'">
  <meta name="referrer" content="no-referrer">
  <link rel="icon" href="assets/images/favicon.ico">
  <link rel="stylesheet" href="vendor/govuk/govuk-frontend.min.css">
  <link rel="stylesheet" href="app.css">
</head>
<body class="govuk-template__body">
  <script src="js-enabled.js"></script>
  <a href="#main-content" class="govuk-skip-link">Skip to main content</a>
  <header>
    <div class="govuk-header">
      <div class="govuk-header__container govuk-width-container">
        <div class="govuk-header__logo">
          <a href="./" class="govuk-header__link govuk-header__link--homepage app-header__name">care-scorecard</a>
        </div>
      </div>
    </div>
  </header>
  <div class="govuk-width-container">
    <nav aria-label="Back"><a href="./" class="govuk-back-link">Back to the scorecard</a></nav>
    <main class="govuk-main-wrapper" id="main-content">
      <div class="govuk-grid-row">
        <div class="govuk-grid-column-full app-methodology">
          <nav aria-label="Contents" class="app-methodology__contents">
            <h2 class="govuk-heading-s">Contents</h2>
            <ol class="govuk-list">${nav}</ol>
          </nav>
${body}
        </div>
      </div>
    </main>
  </div>
  <footer class="govuk-footer">
    <div class="govuk-width-container">
      <p class="govuk-body-s app-footer__text">care-scorecard. This page is built from docs/methodology.md in the project's repository.</p>
    </div>
  </footer>
</body>
</html>
`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = fileURLToPath(new URL('../', import.meta.url));
  const [input = `${root}docs/methodology.md`, output = `${root}www/methodology.html`] = process.argv.slice(2);
  writeFileSync(output, page(readFileSync(input, 'utf8')));
}
