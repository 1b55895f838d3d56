import { parse } from 'node-html-parser';
import { cleanText } from './clean-text.js';

const INVISIBLE = 'script, style, noscript, template, head, svg, iframe';

/** The visible text of an HTML document, block elements on their own lines. */
export function htmlToText(html: string): string {
  const root = parse(html, { comment: false, blockTextElements: { script: false, style: false } });
  for (const node of root.querySelectorAll(INVISIBLE)) {
    node.remove();
  }
  return cleanText(root.structuredText);
}
