"""Input adapters: each turns one kind of file into the text the grammar reads.

Tables become one row per line with tab-separated cells (a spanned position
is an empty cell, as in a text export), so every input shape reaches the
same grammar and the same AST.
"""
