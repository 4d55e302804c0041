"""Stage 5, reporting: audit results → the ranked table, Markdown, CSV, JSON, HTML,
XLSX and SARIF; every file written whole or not at all."""
