"""The read-only web view (`claimtrack serve`): Starlette routes over the report view models."""
