"""Readers of a paper's tables into one table model (:class:`TextTable`), and the placing of its numbers as
:class:`~eprstats.audit.cells.Cell` rows (docs/audit_import.md)."""
from .place import Read, read_table
from .table import TextTable, name_tables

__all__ = ["Read", "TextTable", "name_tables", "read_table"]
