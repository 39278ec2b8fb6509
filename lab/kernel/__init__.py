"""Kernel objects the lab makes and removes: network namespaces, links
(veth, vcan, vxcan), virtual Bluetooth controllers, loaded modules."""
