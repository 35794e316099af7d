// CSV as spreadsheets read it: RFC 4180 quoting, CRLF line ends, a byte-order mark so Excel in a
// Chinese locale reads UTF-8, and no cell a spreadsheet would run as a formula.

/** A field for CSV: quoted when it holds a quote, a comma or a line break (RFC 4180). */
export function csvField(value: string): string {
  // A leading = + - @ would be a formula to a spreadsheet: typed text must stay text.
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Rows of fields as one CSV document: a byte-order mark, then a CRLF after every line. */
export function csvDocument(rows: readonly (readonly string[])[]): string {
  return `\uFEFF${rows.map((row) => row.map(csvField).join(',')).join('\r\n')}\r\n`;
}
