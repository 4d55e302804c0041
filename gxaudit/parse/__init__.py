"""Stage 2, parsing: text lines → the report AST (parts, tables, cells with positions)."""
