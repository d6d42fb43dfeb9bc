"""The table formats eprstats writes (a module of its own so that the command line can name them in its help
without importing pandas)."""

FORMATS = ("csv", "md", "tex", "docx", "html")
