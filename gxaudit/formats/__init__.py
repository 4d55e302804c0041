"""Stage 0, the formats: the official report formats as data (formats/*.yaml at the
top of the repository) and the grammar of their text (cells, headings, labels).

Every later stage reads its knowledge of tables, rows, columns, identities and
Chinese names from here; nothing here imports a later stage.
"""
