"""libFuzzer harnesses for sockimpl's C functions; seeds.py writes their seeds."""
