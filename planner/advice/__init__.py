"""Advice: the fit rule, prices, policy, suggestions and the typed answers the presenters render."""
