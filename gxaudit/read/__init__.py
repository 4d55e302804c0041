"""Stage 1, reading: bytes of a file → the text lines the grammar reads.

Encodings, the kind of file (recognised by content), one adapter per kind
(HTML, PDF, .docx, Markdown) and flattened one-line text.
"""
