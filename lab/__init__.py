"""socklab's lab: real kernel interfaces for socket tests, on every backend.

One package per concern, none reaching into another's internals:

- `kernel`: the objects it makes (namespaces, veth, vcan/vxcan, Bluetooth
  controllers, modules),
- `wire`: what crossed them (captures, the pcap writer, CAN frames),
- `vm`, `docker`: the backends beyond this host (a micro-VM with every
  family, peer containers), reported by `doctor`,
- `run`, `repro`: the commands that put a user's suite or a bug report
  where its interfaces exist,
- `standalone`: files run by path under any interpreter.

The pytest face is `lab.plugin` (options, markers, hooks) and
`lab.fixtures` (the fixtures a test asks for); the command line is
`socklab` (or `python -m lab`).
"""
