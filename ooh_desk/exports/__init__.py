"""Write the register's records into the world's files: Excel risk logs, Word reports, packs.
Imports no Qt; reads the register, never writes it."""
