"""Docker peers: an engine the lab starts on its own terms (`engine`),
images built from local material only (`images`), peer containers wired
into the lab's namespaces (`peers`), removal of what dead runs left
(`clean`) and `lab images` (`cli`)."""
