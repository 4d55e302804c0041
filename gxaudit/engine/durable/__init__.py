"""The durable-rules adapter: translates gxaudit's conditions to durable-rules and
holds every workaround for its limits and traps."""
