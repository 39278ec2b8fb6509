"""The tests here use the lab's guest-family fixtures (`vcan_bus`,
`bt_controllers`, `alg`, ...) and python-can instruments (`can_bus`,
`can_trace`), which socklab's pytest plugin provides."""
