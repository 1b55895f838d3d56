import { Parser } from 'htmlparser2';

// Content a reader never sees. <head> itself is not skipped: its only text is <title>, often the
// best one-line summary, and a missing </head> would otherwise swallow the whole page.
const SKIPPED = new Set(['script', 'style', 'noscript', 'template', 'svg']);

// Elements that end a paragraph: a blank line, which the chunker prefers to cut at.
const PARAGRAPHS = new Set(
  'p h1 h2 h3 h4 h5 h6 blockquote pre table section article header footer main nav aside figure form hr dl ol ul'.split(
    ' ',
  ),
);
// Elements that end a line.
const LINES = new Set(
  'br div li tr dt dd caption figcaption address details summary fieldset legend title option'.split(
    ' ',
  ),
);
// Table cells: kept apart on the same line.
const CELLS = new Set(['td', 'th']);

/**
 * Visible text of an HTML document: scripts, styles and templates skipped, entities decoded,
 * block elements turned into line breaks and whitespace collapsed (<pre> keeps its newlines).
 */
export function htmlToText(html: string): string {
  const parts: string[] = [];
  let skipDepth = 0;
  let preDepth = 0;
  const parser = new Parser(
    {
      onopentag(name) {
        if (SKIPPED.has(name)) {
          skipDepth += 1;
        } else if (name === 'pre') {
          preDepth += 1;
        }
        if (PARAGRAPHS.has(name)) {
          parts.push('\n\n');
        }
      },
      ontext(text) {
        if (skipDepth > 0) {
          return;
        }
        parts.push(preDepth > 0 ? text : text.replace(/\s+/g, ' '));
      },
      onclosetag(name) {
        if (SKIPPED.has(name)) {
          skipDepth = Math.max(0, skipDepth - 1);
        } else if (name === 'pre') {
          preDepth = Math.max(0, preDepth - 1);
        }
        if (PARAGRAPHS.has(name)) {
          parts.push('\n\n');
        } else if (LINES.has(name)) {
          parts.push('\n');
        } else if (CELLS.has(name)) {
          parts.push(' ');
        }
      },
    },
    { decodeEntities: true },
  );
  parser.write(html);
  parser.end();
  return parts
    .join('')
    .split('\n')
    .map((line) => line.replace(/[ \t\u00a0]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
