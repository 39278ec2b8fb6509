"""The lab's micro-VM backend: booting a kernel that has every family
(`machine`), the host's side of a VM run (`runner`), what runs inside the
guest (`guest`), the host/VM split of a pytest session (`plugin`), the
doctor's VM column (`doctor`) and the `lab vm` / `lab test --backend`
command line (`cli`)."""
