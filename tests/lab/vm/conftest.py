"""The guest families' fixtures (see `fixtures.guest`), for the tests here."""

from fixtures.guest import (  # noqa: F401 - fixtures are found by name
    alg,
    bt_controllers,
    qrtr,
    rds_loopback,
    sctp,
    tipc_node,
    vcan_bus,
    vsock_loopback,
    vxcan_pair,
)
