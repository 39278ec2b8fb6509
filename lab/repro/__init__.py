"""`lab repro`: bug-report scenarios (`scenarios/`, read by `catalogue`)
run cell by cell (`cells`) on the host or in one VM boot (`vm`, `guest`),
judged and printed as a matrix (`matrix`); `run` drives it, `cli` is the
command."""
