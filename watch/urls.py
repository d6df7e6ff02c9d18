"""The watch app's URLs, one list per feature, all under the "watch" namespace."""

from watch.areas import urls as areas
from watch.audit import urls as audit
from watch.community import urls as community
from watch.dashboards import urls as dashboards
from watch.households import urls as households
from watch.municipality_page import urls as municipality_page
from watch.paper import urls as paper
from watch.roles import urls as roles
from watch.signs import urls as signs
from watch.statistics import urls as statistics

app_name = "watch"

urlpatterns = [
    *dashboards.urlpatterns,
    *areas.urlpatterns,
    *municipality_page.urlpatterns,
    *households.urlpatterns,
    *roles.urlpatterns,
    *signs.urlpatterns,
    *community.urlpatterns,
    *audit.urlpatterns,
    *statistics.urlpatterns,
    *paper.urlpatterns,
]
