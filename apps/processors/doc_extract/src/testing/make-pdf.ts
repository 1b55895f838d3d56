import { PDFDocument, StandardFonts } from 'pdf-lib';

/** A real PDF with one page per string (pdf-lib), for the extraction tests. */
export async function makePdf(pages: readonly string[]): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  for (const text of pages) {
    pdf.addPage([400, 200]).drawText(text, { x: 20, y: 150, size: 14, font });
  }
  return pdf.save();
}
