// A minimal, valid PDF 1.4 writer for invoice PDFs: one A4 page of Helvetica text lines.
// Hand-written objects with a byte-exact cross-reference table, so any PDF reader opens it.

/** PDF strings are bytes: keep to printable ASCII and escape the three special characters. */
function pdfText(value: string): string {
  const ascii = value.replace(/[\u00a0\u202f]/g, " ").replace(/[^\x20-\x7e]/g, "?");
  return ascii.replace(/[\\()]/g, (char) => `\\${char}`);
}

export interface PdfLine {
  text: string;
  size?: number;
}

/** A one-page PDF showing `lines` top to bottom; long documents are cut at the page end. */
export function renderPdf(title: string, lines: readonly PdfLine[], producer: string): Buffer {
  const pageHeight = 842; // A4 in points
  let y = pageHeight - 60;
  const drawn: string[] = [];
  for (const line of lines) {
    const size = line.size ?? 11;
    if (y < 50) break;
    drawn.push(`BT /F1 ${size} Tf 50 ${y} Td (${pdfText(line.text)}) Tj ET`);
    y -= size + 8;
  }
  const content = drawn.join("\n");
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 ${pageHeight}] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>`,
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    `<< /Length ${Buffer.byteLength(content, "latin1")} >>\nstream\n${content}\nendstream`,
    `<< /Title (${pdfText(title)}) /Producer (${pdfText(producer)}) >>`,
  ];
  let body = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(Buffer.byteLength(body, "latin1"));
    body += `${index + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xrefOffset = Buffer.byteLength(body, "latin1");
  // Each cross-reference entry is exactly 20 bytes: 10-digit offset, 5-digit generation, type, CR LF.
  const entries = offsets.map((offset) => `${String(offset).padStart(10, "0")} 00000 n\r\n`).join("");
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f\r\n${entries}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info ${objects.length} 0 R >>\nstartxref\n${xrefOffset}\n%%EOF\n`;
  return Buffer.from(body, "latin1");
}
