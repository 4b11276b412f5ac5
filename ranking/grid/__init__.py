"""The grid language and its engine: a grid file compiled into a Grid that encodes and scores pools.

Reading order, from the bottom up: `files` reads TOML, `inputs` is the input contract and its
encoder, `records` a profile as one fixed-width binary record laid out from that contract
(encode, zero-copy columns, decode), `evaluation` is one block of candidates being scored,
`lookup` the fused point tables, `quantities` the named values factors are written in, `points` the factors and eligibility
rules, `states` the member-state overlays, `scores` what scoring returns, `engine` the compiled
Grid and its builder, `presets` the shipped grids (data in `ranking/grids/`).
"""
