"""Tokens: the encoders, the family registry, counts with bands, image rules, tool templates."""
