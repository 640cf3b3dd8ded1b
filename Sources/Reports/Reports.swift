// Reports: turns result tables into what people and spreadsheets read — CSV, aligned text tables,
// JSON (and, later, Markdown reports and charts).
// It must never emit a cell a spreadsheet would run as a formula, or a row that breaks its table.
