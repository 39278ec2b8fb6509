"""`make bench`: sockimpl against the stdlib's socket module and against a C
program making the same system calls (the floor), measured side by side in
one run so that the ratios hold on a noisy machine.

Modules, one job each:
  operations    the measured operations, written once for either module
  timing        interleaved rounds and their medians
  floor         runs the C floor program (bench/floor.c)
  instructions  user-space instructions per operation, from callgrind
  memory        socket object size, recv() allocation, RSS over ping-pongs
  labspeed      how fast the lab sets up its fixtures
  report        the terminal table, the targets, results.json
  chart         the PNG of the ratios
"""
