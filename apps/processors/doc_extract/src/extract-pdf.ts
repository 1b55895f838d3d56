import { cleanText } from './clean-text.js';

export interface PdfText {
  text: string;
  pages: number;
}

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
let pdfjs: Promise<PdfJs> | undefined;

// Loaded on the first PDF only (it is large). Registering the worker module on globalThis makes
// pdf.js run it in-process, with no worker file to locate, so the bundled app works too.
function loadPdfJs(): Promise<PdfJs> {
  pdfjs ??= (async () => {
    const worker = await import('pdfjs-dist/legacy/build/pdf.worker.mjs');
    (globalThis as { pdfjsWorker?: unknown }).pdfjsWorker = worker;
    return import('pdfjs-dist/legacy/build/pdf.mjs');
  })();
  return pdfjs;
}

/** The text of every page (pdf.js legacy build for Node), pages separated by blank lines. */
export async function pdfToText(bytes: Uint8Array, signal: AbortSignal): Promise<PdfText> {
  const { getDocument } = await loadPdfJs();
  const task = getDocument({
    // pdf.js takes ownership of (detaches) the buffer it is given.
    data: new Uint8Array(bytes),
    disableFontFace: true,
    useSystemFonts: false,
    verbosity: 0,
  });
  const onAbort = () => void task.destroy();
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    const doc = await task.promise;
    const pages: string[] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      signal.throwIfAborted();
      const page = await doc.getPage(n);
      const content = await page.getTextContent();
      let text = '';
      for (const item of content.items) {
        if ('str' in item) {
          text += item.str + (item.hasEOL ? '\n' : '');
        }
      }
      pages.push(text);
      page.cleanup();
    }
    return { text: cleanText(pages.join('\n\n')), pages: doc.numPages };
  } finally {
    signal.removeEventListener('abort', onAbort);
    await task.destroy();
  }
}
