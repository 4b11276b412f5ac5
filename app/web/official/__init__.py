"""The officials' console (`/official/...`): a member state's officials and the administrators.

Each part is a blueprint of its own module (rules, rounds, administration, two-factor sign-in),
over the same service functions as the API. `access.official_page` decides who may see a page and
for which state; `navigation.SECTIONS` is the console's menu, one line per part.
"""
