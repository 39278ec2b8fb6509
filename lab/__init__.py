"""The lab: real kernel interfaces for socket tests, on every backend.

Three kinds of object, none knowing the others' internals:

- *resources* that create kernel objects (`netns.NetnsHost`, `links.VethPair`),
- *backends* that decide where a test runs (the host kernel now; a VM and
  containers later), reported by `doctor`,
- *checks* that read the wire (`capture.WireCapture`).

The pytest face is `lab.plugin` (options, markers, hooks) and `fixtures`
(the fixtures a test asks for); the command line is `python -m lab`.
"""
