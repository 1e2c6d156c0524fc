"""The server's runtime: query worker processes, the live store reopened after each swap, request state."""
