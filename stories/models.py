"""Stories, sources, statements and citations: built by the citations and stories issues."""
