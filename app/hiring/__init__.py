"""From a match to a verified job offer: candidates who chose to be found, employers' interest, offers."""
