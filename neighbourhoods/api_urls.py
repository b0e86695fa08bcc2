"""The public data API, compatible with data.police.uk's neighbourhood methods."""

app_name = "api"
urlpatterns: list = []
