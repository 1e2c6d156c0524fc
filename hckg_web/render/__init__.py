"""What the server draws: content negotiation, pages from templates (with labelled answers), charts, SVG maps and networks."""
