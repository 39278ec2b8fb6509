"""The differential engine (issue 16): generated sequences of socket
operations, run in lockstep on the stdlib and on the implementation under
test, each in a world of its own, every observable compared.

- `families`: what may be done in each address family (kinds, addresses,
  options, flags, payloads, ancillary data) and how a world's own numbers
  are made comparable.
- `executor`: runs one step on one implementation and observes it.
- `world`: a child process with its own network namespace and directory.
- `lockstep`: two worlds, one sequence, the first divergence; tallies.
- `generate`: hypothesis strategies for sequences; `explore`: the search.
- `exclusions`: deliberate differences and known open findings, with reasons.
- `corpus`, `reproducer`: what diverged, kept and printed as a program.
- `oracle`: the stdlib really is the stdlib; `target`: the module under test.
- `mutants`: deliberately broken builds of sockimpl, to prove the engine.

`python -m lab.engine --help` runs it from the command line.
"""
