"""The links to the open data on the public performance pages (a dashboards.performance_page
section)."""

from dashboards.performance_page import PerformanceSection


class OpenDataSection(PerformanceSection):
    order = 10
    template = "api/_performance_open_data.html"
