"""Language data: cue words (per language) and a small general lexicon.

Nothing here is derived from the evaluation gold: it is public, general
knowledge (well-known benchmark suites, model families, organisations,
generic acronyms that are *not* names)."""
