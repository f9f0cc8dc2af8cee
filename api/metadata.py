"""What the API answers to ``OPTIONS``: the endpoint's name, description and the media
types it renders and parses — not DRF's form description of each action, which asks a view
for a ``serializer_class`` that the action endpoints (submit, supplement, withdraw, pay,
files, the desk's actions) do not have and answered 500 (issue 19). The request and answer
shapes are in the OpenAPI schema (/api/schema/)."""

from rest_framework.metadata import SimpleMetadata


class EndpointMetadata(SimpleMetadata):
    def determine_metadata(self, request, view):
        metadata = super().determine_metadata(request, view)
        metadata.pop("actions", None)
        return metadata

    def determine_actions(self, request, view):  # never asked: see determine_metadata
        return {}
