"""Stage 3, rules: rule files (YAML, checked against the schema), the expression
language of `assert:`, the check kinds that draw facts from the AST, and the
compilation of a rule's assert into an engine condition."""
