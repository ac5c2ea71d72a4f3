"""Pure rules of the vetting mechanism: standard library only, no database, no Flask."""
