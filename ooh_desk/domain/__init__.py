"""The rules of the trade: records, board dates, 5x5 scoring, RAG. No Qt, no SQL, no files."""
