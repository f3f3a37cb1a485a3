"""Exact counts from the vendors' own count endpoints, for families no offline tokenizer counts exactly
(Claude, Gemini 1.x and 3.1+, Grok) and for whole OpenAI request bodies (whose formatting tokens the offline
count approximates). Opt-in only (``--online`` / ``PLANNER_ONLINE=1``, ``switch``): nothing here runs
otherwise.

One module per vendor (``anthropic``, ``gemini``, ``openai``, ``xai``: its documented request and answer
shapes, with their sources), ``vendors`` (which vendor counts which family), ``request`` (the
vendor-neutral request), ``counting`` (the network rules: timeouts, caps, retries) and ``cache`` (counts kept
by a hash of the request, no text). This file imports nothing, so that asking ``switch`` costs no start-up.
"""
