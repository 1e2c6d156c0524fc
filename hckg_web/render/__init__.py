"""What the server draws: content negotiation, HTML, charts, SVG maps and networks."""
