"""Vendor-neutral machinery: specs, validation, the request pipeline, tenants and their state.

Nothing in this package imports a vendor.
"""
