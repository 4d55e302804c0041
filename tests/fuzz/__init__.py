"""Fuzz harness for gxaudit (issue 11): generated hostile inputs run through the CLI."""
