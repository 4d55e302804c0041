"""Stage 4, auditing: facts → engine → located, explained, scored findings; batches,
cross-year pairing, waivers, the SQLite store, units and ranking."""
