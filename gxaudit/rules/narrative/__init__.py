"""Narrative: what the text of a report states (figures, their scope), the table
cells those statements refer to, and how much of a text was copied from another."""
