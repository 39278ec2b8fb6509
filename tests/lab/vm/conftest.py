"""The guest families' fixtures (see `fixtures.guest`) and the python-can
instruments (see `fixtures.can`), for the tests here."""

from fixtures.can import (  # noqa: F401 - fixtures are found by name
    can_bus,
    can_trace,
    vxcan_can_bus,
)
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
