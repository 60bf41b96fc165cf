"""Facts beyond names: extractors that read a piece's sentences and give a table of rows each (dates, money)."""
