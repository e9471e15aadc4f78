"""The diagnostic score report of a released sitting (decision 0044): its figures, page and PDF."""
