"""What a corpus folder configures: its sources (sources.toml), synonyms, red flags, watched files."""
