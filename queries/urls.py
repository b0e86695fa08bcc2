"""Public pages: contact a neighbourhood team, and follow a query with its private link."""

app_name = "queries"
urlpatterns: list = []
