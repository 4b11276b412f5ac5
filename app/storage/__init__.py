"""Below the domains: what every table shares, the engines, and bulk reads and writes in numpy."""
