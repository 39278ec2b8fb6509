"""What crossed the wire: captures (scapy's, and a stdlib-only one that also
runs in the guest), the one pcap writer, the CAN frame layout."""
