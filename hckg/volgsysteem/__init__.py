"""The volgsysteem (tracking system) of learning communities; it writes only through the gate's write path."""
