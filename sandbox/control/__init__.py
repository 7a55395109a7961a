"""The /_sandbox control plane: health, tenants, clocks, resets and vendor simulations."""
