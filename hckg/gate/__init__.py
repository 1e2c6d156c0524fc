"""The gate: the one write path and its lock, the validation engines, the SHACL compiler, inference, build."""
