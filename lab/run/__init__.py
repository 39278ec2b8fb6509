"""`lab run`: a user's command where its interfaces exist (`command`), what
it needs and how the guest makes it (`needs`), and the side-by-side report
(`report`)."""
