import { Marked } from 'marked';
import { htmlToText } from './extract-html.js';

const marked = new Marked({ async: false, gfm: true });

/** Markdown rendered by a real parser (marked), then reduced to its visible text. */
export function markdownToText(markdown: string): string {
  return htmlToText(marked.parse(markdown, { async: false }));
}
