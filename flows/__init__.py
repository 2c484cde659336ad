"""Prefect flows of followup: thin orchestration over the `followup` library."""
