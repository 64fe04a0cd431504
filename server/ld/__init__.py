"""The linked-data site: dereferenceable IRIs, resource pages, browse pages, home page."""

from server.ld.views import blueprint

__all__ = ["blueprint"]
