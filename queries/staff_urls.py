"""The staff inbox and each query's page, under /staff/queries/."""

app_name = "queries_staff"
urlpatterns: list = []
